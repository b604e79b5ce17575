// The estimate against the memory a real llama.cpp process uses, and this machine's verdict against
// node-llama-cpp's own decision. Each case runs in a fresh process (tests/measureLoad.ts).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { estimate, kvCacheBytes } from '../shared/fit/estimator.ts';
import { totalmem } from 'node:os';
import { verdictFor } from '../shared/fit/devices.ts';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { readLocalFacts } from '../electron/services/fit/localFacts.ts';
import { thisMachine } from '../electron/services/fit/thisMachine.ts';
import { demoModel, f16Model, repoRoot, stories260k } from './fixtures.ts';

// Asynchronous, not execFileSync: a blocked event loop also blocks Vitest's timeout, and a stuck child then
// held the run for 517 s past a 60 s limit in the stress trial.
async function measure(path: string, contextSize: number): Promise<{ deltaBytes: number; refused: string | null }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', join(repoRoot, 'tests', 'measureLoad.ts'), path, String(contextSize)],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('fit estimates against reality', () => {
  it('is within 15% of the RSS a worker really uses, across models and context sizes', async () => {
    const rows: string[] = [];
    const errors: number[] = [];
    for (const path of [demoModel, f16Model, stories260k]) {
      const local = await readLocalFacts(path);
      for (const ctx of [512, 4096, 8192]) {
        const real = await measure(path, ctx);
        expect(real.refused).toBeNull();
        const e = estimate(local.facts, { contextSize: ctx, kvType: 'f16', weightsBytes: local.weightsBytes });
        const error = (e.totalBytes - real.deltaBytes) / real.deltaBytes;
        errors.push(error);
        rows.push(
          `${path.split('/').pop()} ctx ${ctx}: estimate ${(e.totalBytes / 1e6).toFixed(1)} MB, measured ${(real.deltaBytes / 1e6).toFixed(1)} MB, error ${(error * 100).toFixed(1)}%`,
        );
      }
    }
    console.log(rows.join('\n'));
    // The goal is 15%; a case past 25% means the model of llama.cpp's allocations is wrong, not noise.
    for (const error of errors) expect(Math.abs(error)).toBeLessThan(0.25);
    expect(errors.filter((e) => Math.abs(e) <= 0.15).length).toBeGreaterThanOrEqual(errors.length - 1);
    // Nine fresh processes, each loading a model and creating a context: the time scales with machine speed;
    // with both cores busy (the stress trial) it took 141 s.
  }, 480_000);

  it("this machine's verdict agrees with node-llama-cpp's own decision to load or refuse", async () => {
    const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu' });
    const machine = thisMachine(await engine.memory());
    await engine.dispose();
    const local = await readLocalFacts(stories260k);
    // a context whose KV cache alone needs twice this machine's RAM, whatever the machine
    const perToken = kvCacheBytes(local.facts, 1, 'f16');
    const tooBig = Math.min(2 ** 32 - 1, Math.ceil((2 * totalmem()) / perToken));
    for (const ctx of [2048, tooBig]) {
      const ours = verdictFor(
        estimate(local.facts, { contextSize: ctx, kvType: 'f16', weightsBytes: local.weightsBytes }).totalBytes,
        machine,
      ).verdict;
      const theirs = await measure(stories260k, ctx);
      expect(ours === 'no', `context ${ctx}: we said ${ours}, node-llama-cpp ${theirs.refused ?? 'loaded it'}`).toBe(
        theirs.refused !== null,
      );
      if (theirs.refused) expect(theirs.refused).toMatch(/too large for the available RAM/);
    }
    // A worker start and two fresh processes loading a model: seconds when quiet, minutes with the cores busy.
  }, 300_000);
});
