// One owner of a data folder at a time: `edgewise.lock` names the process that writes there (the
// Electron app, `edgewise serve`, or a CLI command that writes). A second writer is refused with who
// holds it; a lock left by a process that no longer runs (a crash, a kill -9) is taken over.
// Electron's single-instance lock only covers two Electron apps; this file also covers the other shells.
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'edgewise.lock';

export interface LockOwner {
  pid: number;
  shell: string;
  host: string;
  startedAt: number;
}

export class DataLockedError extends Error {
  readonly owner: LockOwner;
  constructor(dataDir: string, owner: LockOwner) {
    super(
      `The data folder ${dataDir} is in use by another Edgewise (${owner.shell}, process ${owner.pid}, since ${new Date(owner.startedAt).toISOString()}). ` +
        'Quit that one first, or point this one at another folder with EDGEWISE_DATA_DIR.',
    );
    this.owner = owner;
  }
}

export interface DataLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

export function readLock(dataDir: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : null;
  } catch {
    return null;
  }
}

/** The process holding the folder, if one is running (a stale lock counts as none). */
export function lockHolder(dataDir: string): LockOwner | null {
  const owner = readLock(dataDir);
  if (!owner) return null;
  if (owner.host !== hostname()) return owner; // cannot check another machine's processes: assume alive
  return owner.pid !== process.pid && alive(owner.pid) ? owner : null;
}

/** Takes the folder's lock or throws DataLockedError. */
export function acquireDataLock(dataDir: string, shell: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, shell, host: hostname(), startedAt: Date.now() };
  // Written whole to a private file, then linked into place: link() fails if the lock exists, so two
  // starting processes cannot both win, and nobody ever reads a half-written lock.
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const fd = openSync(mine, 'wx', 0o600);
  writeSync(fd, JSON.stringify(me));
  closeSync(fd);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, path);
        return lockHandle(path, me);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readLock(dataDir);
      if (owner && owner.pid === process.pid && owner.host === me.host) throw new DataLockedError(dataDir, owner); // this process already owns it (a second app in one process)
      if (owner && (owner.host !== me.host || alive(owner.pid))) throw new DataLockedError(dataDir, owner);
      // Stale: move it away (renaming is atomic; a racer that renamed first leaves us ENOENT) and retry.
      try {
        renameSync(path, `${path}.stale-${owner?.pid ?? 'unreadable'}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const owner = readLock(dataDir);
    throw owner ? new DataLockedError(dataDir, owner) : new Error(`Could not take the lock ${path}`);
  } finally {
    rmSync(mine, { force: true });
  }
}

function lockHandle(path: string, me: LockOwner): DataLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
      if (owner.pid === me.pid && owner.startedAt === me.startedAt) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}
