// Opens edgewise.db for the app, and never lets a damaged one stop it: a file that fails the start-up
// checks is moved aside (never deleted), the newest sound backup takes its place, and every row still
// readable in the damaged file is read back on top. Backups are made before migrations and daily.
import type { DatabaseSync } from 'node:sqlite';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { healthyData, type DataHealth } from '../../../shared/data.ts';
import { migrate, openDatabase, openUnmigrated, schemaVersion } from './database.ts';
import { migrations } from './migrations.ts';
import { inspectDatabase, type Finding } from './dataCheck.ts';
import { backupDue, createBackup, newestUsableBackup } from './backups.ts';
import { salvageInto, type SalvageReport } from './salvage.ts';
import { errorMessage } from '../../../shared/errors.ts';

export const DATABASE_FILE = 'edgewise.db';

export interface OpenedData {
  db: DatabaseSync;
  health: DataHealth;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:.]/g, '');
}

/** Renames the database and its -wal and -shm to `<name>.<label>-<time>`; returns the new path. */
export function moveAside(path: string, label: string): string {
  const aside = `${path}.${label}-${stamp()}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  return aside;
}

const describe: Record<Finding['kind'], string> = {
  not_a_database: 'is not an SQLite database',
  truncated: 'is cut short',
  integrity: 'failed SQLite’s integrity check',
  foreign_keys: 'has messages or records pointing at rows that are gone',
  newer_schema: 'comes from a newer version of Edgewise',
  unreadable: 'could not be read',
};

function account(finding: Finding, movedTo: string, from: string | null, salvage: SalvageReport | null, why?: string) {
  const parts = [
    `Edgewise’s database ${describe[finding.kind]} (${finding.detail}).`,
    `It was moved to ${movedTo}; nothing was deleted.`,
    from
      ? `Edgewise started from the backup ${from}.`
      : 'No usable backup was found, so Edgewise started a new database.',
  ];
  if (salvage && Object.keys(salvage.copied).length === 0)
    parts.push('Nothing in the damaged file could be read as SQLite tables.');
  else if (salvage) {
    const c = salvage.copied;
    const unreadable = Object.values(salvage.unreadable).reduce((a, b) => a + b, 0);
    parts.push(
      `Read back from the damaged file: ${c.conversations ?? 0} conversation(s) and ${c.messages ?? 0} message(s)` +
        (unreadable ? `; ${unreadable} row(s) or stretch(es) could not be read.` : '.') +
        (salvage.lostTables.length ? ` Unreadable tables: ${salvage.lostTables.join(', ')}.` : ''),
    );
  } else if (why) parts.push(`Nothing could be read back from the damaged file (${why}).`);
  if (finding.kind === 'newer_schema') parts.push('Open the moved file with the newer Edgewise to see everything.');
  return parts.join(' ');
}

/**
 * `maintain` is true for the one process that owns the data folder (see dataLock.ts); only it checks,
 * repairs, migrates and backs up. A read-only command on a folder another process owns just opens it.
 */
export async function openDataStore(dataDir: string, options: { maintain: boolean }): Promise<OpenedData> {
  const path = join(dataDir, DATABASE_FILE);
  if (!options.maintain) return { db: openDatabase(path), health: healthyData };
  const finding = inspectDatabase(path, migrations.length);
  if (!finding) {
    const fresh = !existsSync(path);
    const db = openUnmigrated(path);
    const version = schemaVersion(db);
    if (version > 0 && version < migrations.length) await createBackup(db, dataDir, 'migration');
    migrate(db);
    if (!fresh && backupDue(dataDir)) await createBackup(db, dataDir, 'daily');
    return { db, health: healthyData };
  }
  return recover(dataDir, path, finding);
}

async function recover(dataDir: string, path: string, finding: Finding): Promise<OpenedData> {
  const movedTo = moveAside(path, finding.kind === 'newer_schema' ? 'newer' : 'damaged');
  const base = newestUsableBackup(dataDir, migrations.length);
  if (base) copyFileSync(base.path, path);
  const db = openUnmigrated(path);
  migrate(db);
  let salvage: SalvageReport | null = null;
  let why: string | undefined;
  try {
    salvage = salvageInto(db, movedTo);
  } catch (error) {
    why = errorMessage(error);
  }
  const health: DataHealth = {
    state: 'recovered',
    found: finding.kind,
    message: account(finding, movedTo, base?.id ?? null, salvage, why),
    movedTo,
    restoredFrom: base?.id ?? null,
    salvaged: salvage?.copied ?? {},
    unreadable: salvage?.unreadable ?? {},
    saveError: null,
  };
  // The recovered database is the one to keep now: back it up at once.
  await createBackup(db, dataDir, 'daily').catch(() => undefined);
  return { db, health };
}
