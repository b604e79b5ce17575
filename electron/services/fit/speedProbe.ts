// This machine's speed facts, measured rather than looked up, and cached per machine:
// - a memory-bandwidth probe (a read loop over a buffer far larger than the caches, under a second);
// - the engine's own rates per thread count, from two probe models: the bundled demo model (656K
//   parameters: its time per token is almost all fixed cost, i.e. thread wake-ups, graph set-up and
//   sampling) and a synthetic 160M one (1024 wide, 14 layers: its time is mostly reading weights).
//   Two points give the lines
//     seconds per token   = fixed(threads) + bytes per token / effective bandwidth(threads)
//     time to first token = start(threads) + 2 × parameters × N / effective compute(threads)
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { kvCacheBytes } from '../../../shared/fit/estimator.ts';
import { makeSyntheticModel } from '../quant/syntheticModel.ts';
import { readLocalFacts } from './localFacts.ts';

export const threadSpeed = z.strictObject({
  threads: z.number().int().positive(),
  fixedSecondsPerToken: z.number().nonnegative(),
  effectiveBytesPerSec: z.number().positive(),
  effectiveFlops: z.number().positive(),
  startSeconds: z.number().nonnegative(),
});
export type ThreadSpeed = z.infer<typeof threadSpeed>;

export const machineSpeed = z.object({
  key: z.string(),
  measuredAt: z.string(),
  bandwidthBytesPerSec: z.number().positive(),
  engine: z.array(threadSpeed),
});
export type MachineSpeed = z.infer<typeof machineSpeed>;

export const probePromptTokens = 100;

/** Which machine a cached measurement belongs to: a copied data folder must not carry another's figures. */
export function machineKey(): string {
  const cpu = cpus();
  return `${hostname()}|${cpu[0]?.model ?? 'cpu'}|${cpu.length}|${Math.round(totalmem() / 1024 ** 3)}GB`;
}

/**
 * Bytes per second one thread reads from memory: a summing loop over a 64 MiB Float64Array (well past
 * the per-core caches), best of repeats within about half a second so a moment of contention does not set it.
 */
export function probeBandwidth(budgetMs = 500): number {
  const data = new Float64Array(8 * 1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = i & 7;
  let best = 0;
  let sink = 0;
  const end = performance.now() + budgetMs;
  do {
    const started = performance.now();
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i]! + data[i + 1]! + data[i + 2]! + data[i + 3]!;
    const seconds = (performance.now() - started) / 1000;
    sink += sum;
    best = Math.max(best, data.byteLength / seconds);
  } while (performance.now() < end);
  if (sink < 0) throw new Error('unreachable');
  return best;
}

export interface ProbeModels {
  small: string;
  large: string;
}

/** The demo model, and the large probe model made once (seconds) with its tokenizer and kept in `dir`. */
export async function ensureProbeModels(dir: string, demoModel: string): Promise<ProbeModels> {
  mkdirSync(dir, { recursive: true });
  const large = join(dir, 'probe-160M-Q4_0.gguf');
  if (!existsSync(large))
    await makeSyntheticModel({ parameters: 160e6, type: 'Q4_0', tokenizerFrom: demoModel, out: large, threads: 1 });
  return { small: demoModel, large };
}

export type Timer = (
  path: string,
  threads: number,
  promptTokens: number,
  decodeTokens: number,
  maxSeconds?: number,
) => Promise<{ ttftMs: number; secondsPerToken: number }>;

/** Decode tokens and time cap per probe model: many tokens where each takes well under a millisecond. */
export const probeDecode = { small: { tokens: 128, maxSeconds: 2 }, large: { tokens: 16, maxSeconds: 6 } };

/** The q-quantile (0..1) of a sample, by linear interpolation. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Bytes one decoded token reads from a model file: its weights and the KV cache filled so far. */
export async function bytesPerToken(path: string, filledTokens: number) {
  const local = await readLocalFacts(path);
  return {
    bytes: local.weightsBytes + kvCacheBytes(local.facts, filledTokens, 'f16'),
    parameters: local.facts.parameters,
  };
}

/** The line through the two probe models, per thread count; repeats interleave them so load hits both alike. */
export async function probeEngine(
  time: Timer,
  models: ProbeModels,
  threadCounts: number[],
  repeats = 3,
): Promise<ThreadSpeed[]> {
  const small = await bytesPerToken(models.small, probePromptTokens + probeDecode.small.tokens / 2);
  const large = await bytesPerToken(models.large, probePromptTokens + probeDecode.large.tokens / 2);
  const out: ThreadSpeed[] = [];
  for (const threads of threadCounts) {
    const s: { ttftMs: number; secondsPerToken: number }[] = [];
    const l: { ttftMs: number; secondsPerToken: number }[] = [];
    for (let r = 0; r < repeats; r++) {
      s.push(
        await time(models.small, threads, probePromptTokens, probeDecode.small.tokens, probeDecode.small.maxSeconds),
      );
      l.push(
        await time(models.large, threads, probePromptTokens, probeDecode.large.tokens, probeDecode.large.maxSeconds),
      );
    }
    out.push(
      fitLine(
        threads,
        { ...small, secondsPerToken: median(s.map((x) => x.secondsPerToken)), ttftMs: median(s.map((x) => x.ttftMs)) },
        { ...large, secondsPerToken: median(l.map((x) => x.secondsPerToken)), ttftMs: median(l.map((x) => x.ttftMs)) },
      ),
    );
  }
  return out;
}

interface Point {
  bytes: number;
  parameters: number;
  secondsPerToken: number;
  ttftMs: number;
}

export function fitLine(threads: number, small: Point, large: Point): ThreadSpeed {
  const slope = (large.secondsPerToken - small.secondsPerToken) / (large.bytes - small.bytes);
  // Contention can make the small model look slower than the large one; then no fixed cost is separable.
  const effectiveBytesPerSec = slope > 0 ? 1 / slope : large.bytes / large.secondsPerToken;
  const fixedSecondsPerToken = Math.max(0, small.secondsPerToken - small.bytes / effectiveBytesPerSec);
  const flops = (p: Point) => 2 * p.parameters * probePromptTokens;
  const promptSlope = (large.ttftMs - small.ttftMs) / 1000 / (flops(large) - flops(small));
  const effectiveFlops = promptSlope > 0 ? 1 / promptSlope : flops(large) / (large.ttftMs / 1000);
  return {
    threads,
    fixedSecondsPerToken,
    effectiveBytesPerSec,
    effectiveFlops,
    startSeconds: Math.max(0, small.ttftMs / 1000 - flops(small) / effectiveFlops),
  };
}
