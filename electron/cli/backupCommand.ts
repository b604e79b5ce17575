// `edgewise backup list|restore`: the database's automatic backups (made daily, before migrations and
// before restores, in <data>/backups). Listing works beside a running app; restoring needs the folder.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../services/paths.ts';
import { acquireDataLock, DataLockedError } from '../services/dataLock.ts';
import { findBackup, listBackups } from '../services/store/backups.ts';
import { DATABASE_FILE, moveAside } from '../services/store/dataStore.ts';
import { migrations } from '../services/store/migrations.ts';
import { CliError, exitCodes, parseCommandLine } from './args.ts';
import { errorMessage } from '../../shared/errors.ts';

export const backupUsage = `Usage: edgewise backup list [--json]
       edgewise backup restore ID        (the current database is moved aside first, never deleted)`;

export function backupCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommandLine(
    { args: rest, strict: true, allowPositionals: true, options: { json: { type: 'boolean' } } },
    backupUsage,
  );
  const dataDir = defaultDataDir();
  if (sub === 'list') {
    const backups = listBackups(dataDir);
    if (values.json) {
      process.stdout.write(JSON.stringify(backups, null, 2) + '\n');
      return exitCodes.ok;
    }
    if (backups.length === 0) console.log(`No backups yet in ${join(dataDir, 'backups')}.`);
    for (const b of backups)
      console.log(
        `${b.id.padEnd(28)} ${new Date(b.createdAt).toISOString()}  ${b.conversations} conversation(s), ${b.messages} message(s), ${(b.sizeBytes / 1024).toFixed(0)} KB`,
      );
    return exitCodes.ok;
  }
  if (sub === 'restore') {
    const id = positionals[0];
    if (!id || positionals.length > 1)
      throw new CliError(exitCodes.badInput, `Name one backup to restore.\n${backupUsage}`);
    let chosen;
    try {
      chosen = findBackup(dataDir, id);
    } catch (error) {
      throw new CliError(exitCodes.badInput, errorMessage(error));
    }
    if (chosen.schemaVersion > migrations.length)
      throw new CliError(exitCodes.badInput, `Backup ${id} comes from a newer Edgewise; this one cannot open it.`);
    let lock;
    try {
      lock = acquireDataLock(dataDir, 'edgewise backup restore');
    } catch (error) {
      if (error instanceof DataLockedError)
        throw new CliError(
          exitCodes.dataLocked,
          `${error.message} (Or restore from the Backups view of the running app.)`,
        );
      throw error;
    }
    try {
      const path = join(dataDir, DATABASE_FILE);
      const aside = existsSync(path) ? moveAside(path, 'before-restore') : null;
      copyFileSync(chosen.path, path);
      console.log(
        `Restored backup ${chosen.id} (${chosen.conversations} conversation(s), ${chosen.messages} message(s)).`,
      );
      if (aside) console.log(`The database it replaced was moved to ${aside}.`);
      return exitCodes.ok;
    } finally {
      lock.release();
    }
  }
  throw new CliError(exitCodes.badInput, backupUsage);
}
