// Predicted speed against speed measured on this machine, in the same run: the probe's two models (the
// demo model and a synthetic 160M) give this machine's lines per thread count, and the predictions must
// land within ±20% of measured decode speed and time to first token, at 1 and 2 threads, for the
// synthetic 300M model (which the probe never runs) and for the demo model in runs of its own (it is the
// probe's fixed-cost point, so for it this checks that the probe's figure holds from run to run).
// Other people share this CPU, so every figure is a median of repeats, and the probe runs and the
// measured runs are interleaved so that load hits all of them alike. A figure cannot judge a ±20%
// prediction when its own repeats, or the prediction made through each repeat's probe runs, do not agree
// to within ±20% (interquartile range over 40% of the median): it is reported as unjudgeable, not passed.
// Three verdicts, never a looser bound: PASS (every judged figure within ±20%), FAIL (one is not), and
// "cannot judge: noisy" (the test is skipped with that note) when the load average was above the number of
// cores at the start or the end, or the 1-thread figures of the 300M model, which must always be judged,
// repeat too loosely. A noisy machine says so; it neither passes nor fails the predictions.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { predictSpeed } from '../shared/fit/speed.ts';
import { efficiencies } from '../shared/fit/calibrate.ts';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { makeSyntheticModel } from '../electron/services/quant/syntheticModel.ts';
import { readLocalFacts } from '../electron/services/fit/localFacts.ts';
import {
  bytesPerToken,
  ensureProbeModels,
  fitLine,
  median,
  probeDecode,
  probePromptTokens,
  quantile,
} from '../electron/services/fit/speedProbe.ts';
import { demoModel } from './fixtures.ts';

/** Kept outside the repository, beside the bench's own synthetic models: made once, in seconds. */
const cacheDir = process.env.EDGEWISE_MODEL_CACHE ?? join(homedir(), '.cache', 'edgewise-bench');

async function synthetic300M(): Promise<string> {
  const path = join(cacheDir, 'synthetic-300M-Q4_0.gguf');
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(path))
    await makeSyntheticModel({ parameters: 300e6, type: 'Q4_0', tokenizerFrom: demoModel, out: path, threads: 2 });
  return path;
}

const decode = {
  small: probeDecode.small,
  large: probeDecode.large,
  demo: probeDecode.small,
  big: probeDecode.large,
};
const repeats = 6;
type Run = { ttftMs: number; secondsPerToken: number };

/**
 * The order of one repeat's runs. The demo model is the probe's small model, so 'small' and 'demo' are the
 * same run; with a fixed order (small, large, demo, big) small always came after the 300M model and demo
 * after the 160M one, and on a quiet run their medians differed by 23%. Now the two take turns in an
 * A B B A pattern whose A alternates between repeats, so over an even number of repeats both come after
 * the same runs as often (the 300M model, the other, themselves); each runs twice per repeat (a fraction
 * of a second), so their medians rest on 12 runs, not 5.
 */
function runOrder(repeat: number): (keyof typeof decode)[] {
  const [a, b] = repeat % 2 === 0 ? (['small', 'demo'] as const) : (['demo', 'small'] as const);
  return [a, b, b, a, 'large', 'big'];
}

// A timing check, so it is not part of `npm test` (speed belongs to the benchmark, and a gate must not
// depend on how busy the machine is): `npm run test:speed` runs it, with EDGEWISE_SPEED_CHECK=1. In a
// clean-clone CI run the 300M model's 2-thread decode came out -51% once (repeats spread 26%), because
// 2 threads on 2 shared cores is dominated by thread synchronisation. Run it on a quiet machine.
const load = loadavg()[0]!;
const why =
  process.env.EDGEWISE_SPEED_CHECK !== '1'
    ? 'a timing check, run by `npm run test:speed` (EDGEWISE_SPEED_CHECK=1), not by npm test'
    : null;
if (why) console.log(`Skipping the on-machine speed check: ${why}. Load average now ${load.toFixed(1)}.`);
const busy = why !== null;
const cores = cpus().length;
const required = ['big decode at 1 thread(s)', 'big TTFT at 1 thread(s)'];

/** Why this run cannot judge a ±20% prediction, or null when it can. */
function noisyBecause(loads: number[], logicalCores: number, judged: string[], needed: string[]): string | null {
  const worst = Math.max(...loads);
  if (worst > logicalCores)
    return `load average ${worst.toFixed(1)} is above the ${logicalCores} core(s): other work took CPU time the measurements need`;
  const unjudged = needed.filter((id) => !judged.includes(id));
  if (unjudged.length > 0) return `${unjudged.join(' and ')} repeated too loosely (IQR over 40%) to judge ±20%`;
  return null;
}

describe('predicted speed against this machine', () => {
  it.skipIf(busy)(
    'predicts decode speed and time to first token within ±20% for the demo and a 300M model, at 1 and 2 threads',
    async (ctx) => {
      const loads = [loadavg()[0]!];
      const probe = await ensureProbeModels(join(cacheDir, 'probe'), demoModel);
      const big = await synthetic300M();
      const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu' });
      const rows: string[] = [];
      const misses: string[] = [];
      const judged: string[] = [];
      try {
        for (const threads of [1, 2]) {
          const runs: Record<keyof typeof decode, Run[]> = { small: [], large: [], demo: [], big: [] };
          const paths = { small: probe.small, large: probe.large, demo: demoModel, big };
          for (let r = 0; r < repeats; r++) {
            for (const name of runOrder(r)) {
              const d = decode[name];
              runs[name].push(await engine.speedProbe(paths[name], threads, probePromptTokens, d.tokens, d.maxSeconds));
            }
          }
          const med = (name: keyof typeof decode) => ({
            secondsPerToken: median(runs[name].map((x) => x.secondsPerToken)),
            ttftMs: median(runs[name].map((x) => x.ttftMs)),
          });
          const spread = (xs: number[]) => quantile(xs, 0.75) / quantile(xs, 0.25) - 1;
          const point = async (name: 'small' | 'large') => ({
            ...(await bytesPerToken(paths[name], probePromptTokens + decode[name].tokens / 2)),
            ...med(name),
          });
          const line = fitLine(threads, await point('small'), await point('large'));
          // The probe's own noise: the line through each small-model run and its repeat's 160M run.
          const bytesOf = { small: await point('small'), large: await point('large') };
          const smallPerRepeat = runs.small.length / runs.large.length;
          const repeatLines = runs.small.map((s, i) =>
            fitLine(
              threads,
              { ...bytesOf.small, ...s },
              { ...bytesOf.large, ...runs.large[Math.floor(i / smallPerRepeat)]! },
            ),
          );
          rows.push(
            `${threads} thread(s): probe: fixed ${(line.fixedSecondsPerToken * 1000).toFixed(2)} ms/token, ${(line.effectiveBytesPerSec / 1e9).toFixed(2)} GB/s effective, ${(line.effectiveFlops / 1e9).toFixed(1)} GFLOP/s, start ${(line.startSeconds * 1000).toFixed(2)} ms`,
          );
          for (const name of ['demo', 'big'] as const) {
            const local = await readLocalFacts(paths[name]);
            const predict = (measured: typeof line) =>
              predictSpeed(
                {
                  facts: local.facts,
                  weightsBytes: local.weightsBytes,
                  contextTokens: probePromptTokens + decode[name].tokens / 2,
                  kvType: 'f16',
                  promptTokens: probePromptTokens,
                },
                { kind: 'cpu', bandwidthBytesPerSec: 1, computeFlops: 1, source: 'probe', measured },
                efficiencies().cpu,
              );
            const p = predict(line);
            const perRepeat = repeatLines.map(predict);
            const m = med(name);
            const label = name === 'demo' ? 'TinyStories 656K Q8_0' : 'synthetic 300M Q4_0';
            const figures = [
              {
                what: 'decode',
                error: p.decodeTokensPerSec * m.secondsPerToken - 1,
                noise: spread(runs[name].map((x) => x.secondsPerToken)),
                probeNoise: spread(perRepeat.map((x) => x.secondsPerToken)),
                text: `decode predicted ${p.decodeTokensPerSec.toFixed(1)} tok/s, measured ${(1 / m.secondsPerToken).toFixed(1)}`,
              },
              {
                what: 'TTFT',
                error: p.ttftMs / m.ttftMs - 1,
                noise: spread(runs[name].map((x) => x.ttftMs)),
                probeNoise: spread(perRepeat.map((x) => x.ttftMs)),
                text: `TTFT (${probePromptTokens} tokens) predicted ${p.ttftMs.toFixed(1)} ms, measured ${m.ttftMs.toFixed(1)} ms`,
              },
            ];
            for (const f of figures) {
              const id = `${name} ${f.what} at ${threads} thread(s)`;
              // Judged only when both the measurement and the prediction (through the probe's runs) repeat
              // to within ±20%; otherwise neither side is known well enough for a ±20% verdict. The demo
              // model's decode at 2 threads (all thread synchronisation: its weights are 0.7 MB) was printed
              // and not judged while, under the fixed order, medians of the same run differed by over 20%;
              // with the order balanced (runOrder) it is judged like every other figure.
              const judgeable = f.noise <= 0.4 && f.probeNoise <= 0.4;
              rows.push(
                `  ${label}: ${f.text} (${(f.error * 100).toFixed(1)}%; IQR of repeats: measured ${(f.noise * 100).toFixed(0)}%, predicted ${(f.probeNoise * 100).toFixed(0)}%${judgeable ? '' : ': too noisy to judge ±20%'})`,
              );
              if (!judgeable) continue;
              judged.push(id);
              if (Math.abs(f.error) > 0.2) misses.push(id);
            }
          }
        }
      } finally {
        await engine.dispose();
        loads.push(loadavg()[0]!);
        console.log(rows.join('\n'));
      }
      const noisy = noisyBecause(loads, cores, judged, required);
      const verdict = noisy
        ? `cannot judge: noisy (${noisy})`
        : misses.length > 0
          ? `FAIL: ${misses.join(', ')}`
          : 'PASS';
      console.log(
        `Speed check verdict: ${verdict}. Load average ${loads.map((l) => l.toFixed(1)).join(' at start, ')} at end.`,
      );
      if (noisy) ctx.skip(`cannot judge: noisy (${noisy})`);
      expect(misses, rows.join('\n')).toEqual([]);
    },
    900_000,
  );
});
