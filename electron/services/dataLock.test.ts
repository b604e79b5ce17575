import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { acquireDataLock, DataLockedError, LOCK_FILE, lockHolder, readLock } from './dataLock.ts';
import { tempDir } from '../../tests/fixtures.ts';

describe('the data folder lock', () => {
  it('is taken, refused to a second taker naming the first, and released', () => {
    const dir = tempDir();
    const lock = acquireDataLock(dir, 'edgewise serve');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, shell: 'edgewise serve' });
    expect(() => acquireDataLock(dir, 'the Edgewise app')).toThrow(DataLockedError);
    expect(() => acquireDataLock(dir, 'x')).toThrow(/in use by another Edgewise \(edgewise serve, process \d+, since /);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireDataLock(dir, 'again').release();
    // No private temp files are left behind by any of this.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose process is gone, or which cannot be read', () => {
    const dir = tempDir();
    // pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4194305, shell: 'crashed', host: 'x', startedAt: 0 }));
    expect(lockHolder(dir)).not.toBeNull(); // another host's lock cannot be checked: assumed held
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 4194305, shell: 'crashed', host: hostname(), startedAt: 0 }),
    );
    expect(lockHolder(dir)).toBeNull();
    const lock = acquireDataLock(dir, 'successor');
    expect(readLock(dir)?.shell).toBe('successor');
    expect(readdirSync(dir)).toContain(`${LOCK_FILE}.stale-4194305`);
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    acquireDataLock(dir, 'after garbage').release();
  });

  it("refuses another machine's lock instead of guessing it is stale", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, shell: 'elsewhere', host: 'another-host', startedAt: 0 }),
    );
    expect(() => acquireDataLock(dir, 'here')).toThrow(DataLockedError);
  });
});
