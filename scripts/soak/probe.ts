// Readings of a running process from /proc (Linux): resident memory, open file descriptors, and its
// children (the engine worker). Elsewhere the figures are unavailable and say so.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export function rssBytes(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

export function childPids(pid: number): number[] {
  try {
    const out = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return out ? out.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** The database's size in pages, read through a read-only connection (so pages still in the WAL count). */
export function sqlitePages(dbPath: string): number {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const { page_count } = db.prepare('PRAGMA page_count').get() as { page_count: number };
    const { page_size } = db.prepare('PRAGMA page_size').get() as { page_size: number };
    return page_count * page_size;
  } finally {
    db.close();
  }
}

export function walBytes(dbPath: string): number {
  return existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0;
}
