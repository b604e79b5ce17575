// SQLite through node:sqlite: WAL, foreign keys, versioned migrations in one transaction each.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.ts';

export function openDatabase(path: string): DatabaseSync {
  const db = openUnmigrated(path);
  migrate(db);
  return db;
}

/** Opens (or creates) the file with the app's settings but leaves the schema as it is. */
export function openUnmigrated(path: string): DatabaseSync {
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  return db;
}

export function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

export function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const from = row.user_version;
  if (from > migrations.length) {
    throw new Error(
      `The database was written by a newer Edgewise (schema ${from}, this one knows ${migrations.length}); refusing to touch it`,
    );
  }
  for (let version = from; version < migrations.length; version++) {
    transaction(db, () => {
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // SQLite has already rolled back after some errors (SQLITE_FULL, say); a second ROLLBACK would throw
    // and hide the error that matters.
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
