// Runs in every Vitest test file. Each test's temporary folders are removed after it, the file's own
// (made at load or in beforeAll) after the file; and every process the file started, directly or not,
// must be gone when it ends: what is left is killed and fails the file, so a failing test cannot leave
// a shell or an engine worker running.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { removeTempDirs, tempDirsMade } from '../fixtures.ts';
import { describeLeft, reap } from './processes.ts';

const owner = randomUUID();
process.env.EDGEWISE_TEST_OWNER = owner;

let before = 0;
beforeEach(() => {
  before = tempDirsMade();
});
afterEach(() => removeTempDirs(before));

afterAll(async () => {
  removeTempDirs(0);
  const left = await reap('EDGEWISE_TEST_OWNER', owner);
  if (left.length > 0) throw new Error(`This file left processes running (now killed):\n${describeLeft(left)}`);
});
