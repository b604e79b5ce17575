// Vitest's global setup: see run.ts.
import { beginRun, endRun } from './run.ts';

export default function setup() {
  beginRun();
  return async () => {
    const problems = await endRun();
    if (problems.length > 0) throw new Error(`The test run left things behind:\n${problems.join('\n')}`);
  };
}
