// Backups of edgewise.db in <data>/backups: SQLite's online backup (node:sqlite's backup()), each one
// verified with integrity_check before it counts, the newest N kept. Made at start when the last is
// older than a day, before every migration, before a restore, and on request.
import { backup, DatabaseSync } from 'node:sqlite';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupInfo } from '../../../shared/data.ts';
import { errorMessage } from '../../../shared/errors.ts';

export type { BackupInfo };

export const KEEP_BACKUPS = 7;
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type BackupReason = 'daily' | 'migration' | 'manual' | 'before-restore' | 'before-recovery';

const NAME = /^edgewise-(\d{8}T\d{9}Z)-([a-z-]+)\.db$/;

export function backupsDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[-:.]/g, '');
}

function parseStamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(s)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}

/** Opens a backup read-only and reads its schema version and counts; throws if it is not sound. */
export function verifyBackup(path: string): { schemaVersion: number; conversations: number; messages: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const check = db.prepare('PRAGMA integrity_check(1)').get() as { integrity_check: string };
    if (check.integrity_check !== 'ok') throw new Error(`integrity_check: ${check.integrity_check}`);
    const { user_version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    const count = (table: string) => {
      const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(table);
      return exists ? Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n) : 0;
    };
    return { schemaVersion: user_version, conversations: count('conversations'), messages: count('messages') };
  } finally {
    db.close();
  }
}

/** The kept backups, newest first. A file that fails to open is left out (and left alone). */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  const found: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    try {
      found.push({
        id: name.slice('edgewise-'.length, -'.db'.length),
        path,
        createdAt: parseStamp(m[1]!),
        reason: m[2]!,
        sizeBytes: statSync(path).size,
        ...verifyBackup(path),
      });
    } catch {
      // not a sound backup: never offered
    }
  }
  return found.sort((a, b) => b.createdAt - a.createdAt);
}

export function findBackup(dataDir: string, id: string): BackupInfo {
  const found = listBackups(dataDir).find((b) => b.id === id);
  if (!found) throw new Error(`No backup "${id}" in ${backupsDir(dataDir)} (\`edgewise backup list\` shows them).`);
  return found;
}

/** The newest sound backup this Edgewise can open (not one from a newer schema). */
export function newestUsableBackup(dataDir: string, knownVersion: number): BackupInfo | null {
  return listBackups(dataDir).find((b) => b.schemaVersion <= knownVersion) ?? null;
}

export function backupDue(dataDir: string, now = Date.now()): boolean {
  const newest = listBackups(dataDir)[0];
  return !newest || now - newest.createdAt >= BACKUP_INTERVAL_MS;
}

/** Backs `db` up, verifies the copy, then drops the oldest beyond `keep`. */
export async function createBackup(
  db: DatabaseSync,
  dataDir: string,
  reason: BackupReason,
  keep = KEEP_BACKUPS,
): Promise<BackupInfo> {
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const name = `edgewise-${stamp(now)}-${reason}.db`;
  const partial = join(dir, `${name}.partial`);
  rmSync(partial, { force: true });
  try {
    await backup(db, partial);
    // A backup is one self-contained file: out of WAL mode, so no -wal or -shm travels with it.
    const copy = new DatabaseSync(partial);
    copy.exec('PRAGMA journal_mode = DELETE');
    copy.close();
    const facts = verifyBackup(partial);
    renameSync(partial, join(dir, name));
    prune(dataDir, keep);
    return {
      id: name.slice('edgewise-'.length, -'.db'.length),
      path: join(dir, name),
      createdAt: now,
      reason,
      sizeBytes: statSync(join(dir, name)).size,
      ...facts,
    };
  } catch (error) {
    rmSync(partial, { force: true });
    throw new Error(`The backup failed: ${errorMessage(error)}`);
  }
}

function prune(dataDir: string, keep: number): void {
  for (const old of listBackups(dataDir).slice(keep)) rmSync(old.path, { force: true });
}
