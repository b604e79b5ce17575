// One test run's bookkeeping, shared by Vitest's and Playwright's global setup: every process the run
// starts carries EDGEWISE_TEST_RUN, and every temporary file it makes lands in one folder (TMPDIR for
// the run and everything it starts), as does the data folder (EDGEWISE_DATA_DIR). At the end, anything still running or left in that folder is
// removed and reported as a failure.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeLeft, reap } from './processes.ts';

export function beginRun(): void {
  process.env.EDGEWISE_TEST_RUN = randomUUID();
  const folder = mkdtempSync(join(tmpdir(), 'edgewise-run-'));
  process.env.EDGEWISE_TEST_TMP = folder;
  process.env.TMPDIR = folder;
  // No test may read or write the user's real data folder (another Edgewise, or a newer one, may own it):
  // every test process and the CLIs they start inherit this one unless a test names its own.
  const data = join(folder, 'data');
  mkdirSync(data);
  process.env.EDGEWISE_DATA_DIR = data;
}

/** Problems found at the end of the run; each has been cleaned up already. */
export async function endRun(): Promise<string[]> {
  const problems: string[] = [];
  const run = process.env.EDGEWISE_TEST_RUN;
  if (run) {
    const left = await reap('EDGEWISE_TEST_RUN', run);
    if (left.length > 0)
      problems.push(`processes the tests started were still running (now killed):\n${describeLeft(left)}`);
  }
  const folder = process.env.EDGEWISE_TEST_TMP;
  if (folder) {
    // Ours are named edgewise-*; what Chromium or node-llama-cpp leave there is theirs, removed with the folder.
    const ours = readdirSync(folder).filter((name) => name.startsWith('edgewise-'));
    if (ours.length > 0) problems.push(`temporary folders were not removed (now removed): ${ours.join(', ')}`);
    rmSync(folder, { recursive: true, force: true });
  }
  return problems;
}
