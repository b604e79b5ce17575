// Playwright's global setup and teardown: the same checks as Vitest's (tests/setup/run.ts), so a run of
// the end-to-end tests leaves no shell, engine worker or Chromium running and no temporary folder.
import { beginRun, endRun } from '../tests/setup/run.ts';

export default function globalSetup() {
  beginRun();
  return async () => {
    const problems = await endRun();
    if (problems.length > 0) throw new Error(`The end-to-end run left things behind:\n${problems.join('\n')}`);
  };
}
