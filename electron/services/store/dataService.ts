// The data folder as the app sees it: its lock, its database (checked and, if need be, recovered at
// start), what was found, and the backups, including a restore while the app runs.
import { backup, DatabaseSync } from 'node:sqlite';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../../shared/rpc.ts';
import type { DataHealth } from '../../../shared/data.ts';
import { acquireDataLock, DataLockedError, type DataLock } from '../dataLock.ts';
import { backupsDir, createBackup, findBackup, listBackups } from './backups.ts';
import { DATABASE_FILE, openDataStore } from './dataStore.ts';
import { migrate } from './database.ts';
import { migrations } from './migrations.ts';
import { errorMessage } from '../../../shared/errors.ts';

/** write: take the folder's lock or fail; read: take it if free, else open without maintaining. */
export type DataAccess = 'write' | 'read';

export interface DataServiceOptions {
  dataDir: string;
  shell: string;
  access: DataAccess;
}

export async function openDataService(options: DataServiceOptions) {
  let lock: DataLock | null = null;
  try {
    lock = acquireDataLock(options.dataDir, options.shell);
  } catch (error) {
    if (!(error instanceof DataLockedError) || options.access === 'write') throw error;
  }
  let opened;
  try {
    opened = await openDataStore(options.dataDir, { maintain: lock !== null });
  } catch (error) {
    lock?.release();
    throw error;
  }
  return new DataService(options.dataDir, opened.db, opened.health, lock);
}

export class DataService {
  readonly dataDir: string;
  readonly db: DatabaseSync;
  private readonly lock: DataLock | null;
  private health: DataHealth;

  constructor(dataDir: string, db: DatabaseSync, health: DataHealth, lock: DataLock | null) {
    this.dataDir = dataDir;
    this.db = db;
    this.health = health;
    this.lock = lock;
  }

  /** True when this process owns the folder and may write to it. */
  get owner(): boolean {
    return this.lock !== null;
  }

  status(): DataHealth {
    return this.health;
  }

  /** Records that a save failed (or, with null, that saving works again). */
  saveFailed(why: string | null): void {
    this.health = { ...this.health, saveError: why };
  }

  list() {
    return listBackups(this.dataDir);
  }

  backupNow() {
    this.assertOwner();
    return createBackup(this.db, this.dataDir, 'manual');
  }

  /**
   * Puts a backup's contents into the open database (SQLite's backup API, into the live file), after
   * backing up what is there now. The caller stops any answer being written first.
   */
  async restore(id: string) {
    this.assertOwner();
    let chosen;
    try {
      chosen = findBackup(this.dataDir, id);
    } catch (error) {
      throw new RpcError('not_found', errorMessage(error));
    }
    if (chosen.schemaVersion > migrations.length)
      throw new RpcError('bad_input', `Backup ${id} comes from a newer Edgewise (schema ${chosen.schemaVersion}).`);
    // A copy first: the safety backup below may prune the chosen one if it is the oldest of those kept.
    const staged = join(backupsDir(this.dataDir), `restoring-${process.pid}.db`);
    copyFileSync(chosen.path, staged);
    try {
      const safety = await createBackup(this.db, this.dataDir, 'before-restore');
      const source = new DatabaseSync(staged, { readOnly: true });
      try {
        await backup(source, join(this.dataDir, DATABASE_FILE));
      } finally {
        source.close();
      }
      this.db.exec('PRAGMA journal_mode = WAL');
      migrate(this.db);
      return { restored: chosen.id, safetyBackup: safety.id };
    } finally {
      rmSync(staged, { force: true });
    }
  }

  private assertOwner() {
    if (!this.lock)
      throw new RpcError('busy', 'Another Edgewise owns this data folder; backups are made and restored there.');
  }

  close(): void {
    this.db.close();
    this.lock?.release();
  }
}
