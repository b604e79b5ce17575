// Is edgewise.db a database this Edgewise can trust? Checked at start, before anything writes to it:
// the header, the size the header promises, PRAGMA integrity_check and foreign_key_check, and the
// schema version. SQLite itself would only fail later, on the first page it happens to read.
import { DatabaseSync } from 'node:sqlite';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { errorMessage } from '../../../shared/errors.ts';

export type DamageKind = 'not_a_database' | 'truncated' | 'integrity' | 'foreign_keys' | 'newer_schema' | 'unreadable';

export interface Finding {
  kind: DamageKind;
  /** What was found, in words a user can act on. */
  detail: string;
}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** The page size the header declares, or null when the two bytes are not a valid page size. */
export function headerPageSize(header: Buffer): number | null {
  if (header.length < 18) return null;
  const raw = header.readUInt16BE(16);
  const size = raw === 1 ? 65536 : raw;
  return size >= 512 && (size & (size - 1)) === 0 ? size : null;
}

function checkFile(path: string): Finding | null {
  const size = statSync(path).size;
  if (size === 0) return null; // SQLite treats an empty file as an empty database
  const header = readHeader(path);
  if (header.length < 100 || !header.subarray(0, 16).equals(MAGIC))
    return { kind: 'not_a_database', detail: 'the file does not start with an SQLite header' };
  const pageSize = headerPageSize(header);
  if (!pageSize) return { kind: 'not_a_database', detail: 'the SQLite header declares an impossible page size' };
  // The page count in the header is valid only when its "version-valid-for" matches the change counter.
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (valid && pages > 0 && size < pages * pageSize)
    return {
      kind: 'truncated',
      detail: `the file is ${size.toLocaleString('en-US')} bytes, but its header says ${(pages * pageSize).toLocaleString('en-US')}`,
    };
  if (size % pageSize !== 0)
    return { kind: 'truncated', detail: `the file size is not a whole number of ${pageSize}-byte pages` };
  return null;
}

function describeError(error: unknown): Finding {
  const message = errorMessage(error);
  if (/not a database/i.test(message)) return { kind: 'not_a_database', detail: message };
  if (/malformed|corrupt/i.test(message)) return { kind: 'integrity', detail: message };
  return { kind: 'unreadable', detail: message };
}

/** Null when the database at `path` is sound (or absent); otherwise the first problem found. */
export function inspectDatabase(path: string, knownVersion: number): Finding | null {
  if (!existsSync(path)) return null;
  const fileFinding = checkFile(path);
  if (fileFinding) return fileFinding;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 5000');
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > knownVersion)
      return {
        kind: 'newer_schema',
        detail: `it was written by a newer Edgewise (schema ${version}; this one knows ${knownVersion})`,
      };
    const problems = (db.prepare('PRAGMA integrity_check(10)').all() as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    if (problems.length !== 1 || problems[0] !== 'ok')
      return { kind: 'integrity', detail: `integrity_check found: ${problems.join('; ')}` };
    const orphans = db.prepare('PRAGMA foreign_key_check').all() as { table: string; parent: string }[];
    if (orphans.length > 0) {
      const first = orphans[0]!;
      return {
        kind: 'foreign_keys',
        detail: `foreign_key_check found ${orphans.length} row(s) pointing at missing rows (first: ${first.table} → ${first.parent})`,
      };
    }
    return null;
  } catch (error) {
    return describeError(error);
  } finally {
    try {
      db?.close();
    } catch {
      // a handle that failed to open has nothing to close
    }
  }
}
