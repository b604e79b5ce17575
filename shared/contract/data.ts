// The data folder: what the start-up checks found in the database, and its backups.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { backupInfo, dataHealth } from '../data.ts';
import { empty } from './parts.ts';

export const dataContract = {
  calls: {
    /** What the start-up checks found in the database and what was done about it. */
    'data.health': { args: empty, result: dataHealth },
    'backups.list': { args: empty, result: z.array(backupInfo) },
    'backups.create': { args: empty, result: backupInfo },
    /** Replaces the database's contents with a backup's, after backing up what is there now. */
    'backups.restore': {
      args: z.strictObject({ id: z.string().regex(/^\d{8}T\d{9}Z-[a-z-]+$/, 'not a backup id') }),
      result: z.object({ restored: z.string(), safetyBackup: z.string() }),
    },
  },
  events: {
    /** The database was replaced by a backup: every view reloads what it shows. */
    'data.restored': z.object({ id: z.string() }),
    /** Saving started failing (a full disk, say) or works again. */
    'data.health': dataHealth,
  },
} as const satisfies Contract;
