// Readings of a running process from /proc (Linux): resident memory, open file descriptors, and its
// children (the engine worker). Elsewhere the figures are unavailable and say so.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

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

/** The database with its WAL: what the data takes on disk. */
export function sqliteBytes(dbPath: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) total += statSync(dbPath + suffix).size;
  return total;
}
