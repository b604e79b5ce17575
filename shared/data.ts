// What the app found in its data folder at start, and the backups it keeps: shown by the UI as a
// banner and a Backups view, and printed by the CLI.
import { z } from 'zod';

export const dataHealth = z.object({
  /** ok: nothing wrong; recovered: the database was damaged and a sound one was put in its place. */
  state: z.enum(['ok', 'recovered']),
  /** not_a_database, truncated, integrity, foreign_keys, newer_schema or unreadable; null when ok. */
  found: z.string().nullable(),
  /** The plain-words account of what was found and done; null when ok. */
  message: z.string().nullable(),
  /** Where the damaged file was moved (never deleted). */
  movedTo: z.string().nullable(),
  /** The backup the new database started from, if any. */
  restoredFrom: z.string().nullable(),
  /** Rows read back out of the damaged file, per table. */
  salvaged: z.record(z.string(), z.number()),
  /** Rows or stretches of the damaged file that could not be read, per table. */
  unreadable: z.record(z.string(), z.number()),
  /** The last time saving failed (a full disk, say), and why; null when saving works. */
  saveError: z.string().nullable(),
});
export type DataHealth = z.infer<typeof dataHealth>;

export const backupInfo = z.object({
  id: z.string(),
  path: z.string(),
  createdAt: z.number(),
  reason: z.string(),
  sizeBytes: z.number(),
  schemaVersion: z.number(),
  conversations: z.number(),
  messages: z.number(),
});
export type BackupInfo = z.infer<typeof backupInfo>;

export const healthyData: DataHealth = {
  state: 'ok',
  found: null,
  message: null,
  movedTo: null,
  restoredFrom: null,
  salvaged: {},
  unreadable: {},
  saveError: null,
};
