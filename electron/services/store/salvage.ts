// Reads what is still readable out of a damaged database into a sound one. node:sqlite has no
// `.recover` (that lives in the sqlite3 shell and the sqlite_dbdata extension), so this is the
// row-by-row fallback: walk each table by rowid, and when a page cannot be read, seek past it and go
// on. It works on a copy, with the header's magic string and page size repaired if those were hit.
import { DatabaseSync } from 'node:sqlite';
import { copyFileSync, existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerPageSize, readHeader } from './dataCheck.ts';

export interface SalvageReport {
  /** Rows copied per table. */
  copied: Record<string, number>;
  /** Rows or stretches that could not be read, per table. */
  unreadable: Record<string, number>;
  /** Tables whose schema or first page could not be read at all. */
  lostTables: string[];
  /** Conversations re-created to hold messages whose conversation row was lost. */
  placeholders: number;
}

/** Parents before children, so foreign keys hold while copying. */
const ORDER = [
  'conversations',
  'messages',
  'models',
  'settings',
  'comparisons',
  'downloads',
  'model_names',
  'presets',
  'model_presets',
  // Attached documents, their pages, and their chunks with each chunk's embedding (the chunks' FTS index
  // is rebuilt by the target's own triggers as the chunks go in).
  'documents',
  'document_pages',
  'document_chunks',
  'mcp_servers',
  'conversation_tools',
];
const PAGE_SIZES = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512];

function repairedCopy(path: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'edgewise-salvage-'));
  const file = join(dir, 'damaged.db');
  copyFileSync(path, file);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${file}-wal`);
  const header = readHeader(file);
  if (header.length === 100) {
    const fixed = Buffer.from(header);
    fixed.write('SQLite format 3\0', 0, 'latin1');
    if (!headerPageSize(fixed)) {
      // Guess the page size from where page 2 starts: a b-tree page begins with type 2, 5, 10 or 13.
      fixed.writeUInt16BE(4096, 16);
    }
    const fd = openSync(file, 'r+');
    writeSync(fd, fixed, 0, 100, 0);
    closeSync(fd);
  }
  return { dir, file };
}

function tablesOf(db: DatabaseSync): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const rows = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[];
  for (const { name } of rows) {
    try {
      const cols = db.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as { name: string }[];
      tables.set(
        name,
        cols.map((c) => c.name),
      );
    } catch {
      tables.set(name, []);
    }
  }
  return tables;
}

function openDamaged(file: string): DatabaseSync | null {
  for (const pageSize of [null, ...PAGE_SIZES]) {
    try {
      if (pageSize) {
        const fd = openSync(file, 'r+');
        const b = Buffer.alloc(2);
        b.writeUInt16BE(pageSize === 65536 ? 1 : pageSize);
        writeSync(fd, b, 0, 2, 16);
        closeSync(fd);
      }
      const db = new DatabaseSync(file);
      // A header that promises more pages than the file holds is refused unless the schema is
      // "writable", which defensive mode (node:sqlite's default in newer Nodes) forbids. Only this
      // throwaway copy is opened so.
      db.enableDefensive?.(false);
      db.exec('PRAGMA writable_schema = ON');
      db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
      return db;
    } catch {
      // try the next page size
    }
  }
  return null;
}

/** Yields each readable row of `table` in rowid order, skipping past unreadable stretches. */
function* readRows(db: DatabaseSync, table: string, columns: string[], onSkip: () => void) {
  const list = columns.map((c) => `"${c}"`).join(', ');
  const query = (limit: number) => {
    const statement = db.prepare(
      `SELECT rowid AS __rowid, ${list} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${limit}`,
    );
    statement.setReadBigInts(true);
    return statement;
  };
  const batch = query(64);
  const single = query(1);
  let after = -(2n ** 63n);
  let step = 1n;
  let careful = 0; // rows still to read one at a time after a failure
  for (let guard = 0; guard < 1_000_000; guard++) {
    let rows: Record<string, unknown>[];
    try {
      rows = (careful > 0 ? single : batch).all(after) as Record<string, unknown>[];
    } catch {
      if (careful === 0) {
        careful = 64; // first re-read this stretch row by row, keeping the rows before the bad page
        continue;
      }
      // A page here is unreadable: jump ahead, further each time, until reads work again.
      onSkip();
      if (after > 2n ** 62n) return;
      after = after < 0n ? 0n : after + step;
      step *= 2n;
      continue;
    }
    if (rows.length === 0) return;
    step = 1n;
    if (careful > 0) careful--;
    for (const row of rows) {
      after = row.__rowid as bigint;
      delete row.__rowid;
      yield row;
    }
  }
}

/**
 * Copies every readable row of `damagedPath` into `target` (already at this app's schema), keeping the
 * target's row where both have one, unless the damaged copy's `updated_at` is newer.
 */
export function salvageInto(target: DatabaseSync, damagedPath: string): SalvageReport {
  const report: SalvageReport = { copied: {}, unreadable: {}, lostTables: [], placeholders: 0 };
  const { dir, file } = repairedCopy(damagedPath);
  const source = openDamaged(file);
  try {
    if (!source) {
      report.lostTables.push(...ORDER);
      return report;
    }
    const sourceTables = tablesOf(source);
    const targetTables = tablesOf(target);
    target.exec('PRAGMA foreign_keys = ON; BEGIN');
    for (const table of ORDER) {
      const wanted = targetTables.get(table);
      const have = sourceTables.get(table);
      if (!wanted) continue;
      if (!have || have.length === 0) {
        report.lostTables.push(table);
        continue;
      }
      const columns = wanted.filter((c) => have.includes(c));
      const upsert =
        columns.includes('id') && columns.includes('updated_at')
          ? ` ON CONFLICT(id) DO UPDATE SET ${columns.map((c) => `"${c}" = excluded."${c}"`).join(', ')} WHERE excluded.updated_at > "${table}".updated_at`
          : ' ON CONFLICT DO NOTHING';
      const insert = target.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${upsert}`,
      );
      let copied = 0;
      let unreadable = 0;
      for (const row of readRows(source, table, columns, () => unreadable++)) {
        if (table === 'messages' || table === 'documents') report.placeholders += keepParent(target, row);
        try {
          insert.run(...columns.map((c) => row[c] as never));
          copied++;
        } catch {
          unreadable++;
        }
      }
      report.copied[table] = copied;
      if (unreadable) report.unreadable[table] = unreadable;
    }
    target.exec('COMMIT');
    return report;
  } catch (error) {
    if (target.isTransaction) target.exec('ROLLBACK');
    throw error;
  } finally {
    source?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A message or document whose conversation row was lost goes into a re-created conversation rather than away. */
function keepParent(target: DatabaseSync, row: Record<string, unknown>): number {
  const id = row.conversation_id;
  if (typeof id !== 'string' || target.prepare('SELECT 1 FROM conversations WHERE id = ?').get(id)) return 0;
  const now = Number(row.created_at ?? Date.now());
  target
    .prepare(
      'INSERT INTO conversations (id, title, model_id, settings, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?)',
    )
    .run(id, 'Recovered conversation', '{}', now, now);
  return 1;
}
