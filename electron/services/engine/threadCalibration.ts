// Thread count by measurement. The fastest count depends on the model and on how busy the machine is:
// on a 2-core box llama.cpp's spinning thread barriers make 2 threads 10-500x slower than 1 while other
// processes hold a core, yet a 300M model on a quiet machine runs faster at 2. So the worker times a few
// real decode steps at each candidate count on the model's first load, alternating the candidates in
// rounds and comparing medians so that one noisy moment does not decide, and keeps the fastest.
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { ThreadChoice } from '../../../shared/schemas.ts';

/** 1…cores on small machines; on big ones powers of two plus the core count itself. */
export function candidateThreads(cores: number): number[] {
  const n = Math.max(1, Math.floor(cores));
  if (n <= 8) return Array.from({ length: n }, (_, i) => i + 1);
  const set = new Set<number>([n, n - 1]);
  for (let t = 1; t < n; t *= 2) set.add(t);
  return [...set].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Step times (ms per token) per thread count → the fastest by median, and each count's median speed. */
export function chooseThreads(
  stepMs: ReadonlyMap<number, readonly number[]>,
): Pick<ThreadChoice, 'threads' | 'measurements'> {
  const measurements = [...stepMs]
    .filter(([, times]) => times.length > 0)
    .map(([threads, times]) => ({ threads, tokensPerSec: 1000 / median(times), samples: times.length }));
  if (measurements.length === 0) throw new Error('No thread count was measured');
  // Ties go to fewer threads: the same speed with cores left free for the rest of the machine.
  const best = measurements.reduce((a, b) =>
    b.tokensPerSec > a.tokensPerSec || (b.tokensPerSec === a.tokensPerSec && b.threads < a.threads) ? b : a,
  );
  return { threads: best.threads, measurements };
}

export interface CalibrationOptions {
  /** Stop starting new rounds after this long (every candidate is measured at least once). */
  budgetMs?: number;
  /** Rounds every candidate still in the race gets, budget allowing (the first always runs). */
  rounds?: number;
}

/** A candidate whose median is this many times the best one's is out: more rounds would not save it. */
const DROP_FACTOR = 3;
/** Each measurement times decode steps until this long has passed (or STEPS_MAX steps). */
const SLICE_MS = 15;
const STEPS_MAX = 8;
const CALIBRATION_CONTEXT = 256;

async function timeSteps(
  sequence: LlamaContextSequence,
  token: Token,
  floor: number,
  maxSteps = STEPS_MAX,
): Promise<number> {
  const started = performance.now();
  let steps = 0;
  while (steps < maxSteps && (steps === 0 || performance.now() - started < SLICE_MS)) {
    if (sequence.nextTokenIndex >= sequence.contextSize - 2)
      await sequence.eraseContextTokenRanges([{ start: floor, end: sequence.nextTokenIndex }]);
    // A real decode step: one token in, logits out and the next token picked greedily.
    await sequence.controlledEvaluate([[token, { generateNext: { token: true } }]]);
    steps++;
  }
  return (performance.now() - started) / steps;
}

/**
 * Times decode steps of `model` at each candidate thread count, in its own small contexts (one per
 * count, so each runs exactly that many threads), and returns the fastest with what was measured.
 */
export async function calibrateThreads(
  model: LlamaModel,
  candidates: readonly number[],
  options: CalibrationOptions = {},
): Promise<ThreadChoice> {
  const budgetMs = options.budgetMs ?? 800;
  const rounds = options.rounds ?? 5;
  const started = performance.now();
  const contexts: LlamaContext[] = [];
  try {
    const size = Math.min(CALIBRATION_CONTEXT, model.trainContextSize);
    // One ordinary token, fed again and again: each step is a full decode at a growing position.
    const token = model.tokenize(' time', false).at(-1) ?? model.tokens.bos ?? (0 as Token);
    const floor = 1;
    const runs: { threads: number; sequence: LlamaContextSequence; times: number[] }[] = [];
    let best = Infinity;
    for (const threads of candidates) {
      const context = await model.createContext({ contextSize: size, threads, sequences: 1 });
      contexts.push(context);
      const sequence = context.getSequence();
      // Warm-up step: first-use allocations and page faults belong to no thread count. When even that
      // step (an upper bound) is far slower than the best median so far, a collapsed count (spinning
      // barriers on a busy machine: a second a step) is out without spending more seconds on it.
      const warm = await timeSteps(sequence, token, floor, 1);
      const run = { threads, sequence, times: warm > best * DROP_FACTOR * 3 ? [warm] : [] };
      if (run.times.length === 0) {
        run.times.push(await timeSteps(sequence, token, floor));
        best = Math.min(best, run.times[0]!);
      }
      runs.push(run);
    }
    let active = runs.filter((r) => median(r.times) <= best * DROP_FACTOR);
    for (let round = 1; round < rounds && active.length > 1; round++) {
      if (performance.now() - started > budgetMs) break;
      // Alternate the order each round, so a slow spell on the machine does not always hit the same count.
      const order = round % 2 === 0 ? active : [...active].reverse();
      for (const run of order) run.times.push(await timeSteps(run.sequence, token, floor));
      best = Math.min(...active.map((r) => median(r.times)));
      active = active.filter((r) => median(r.times) <= best * DROP_FACTOR);
    }
    const chosen = chooseThreads(new Map(runs.map((r) => [r.threads, r.times])));
    return {
      ...chosen,
      source: 'measured',
      measuredAt: Date.now(),
      calibrationMs: Math.round(performance.now() - started),
    };
  } finally {
    for (const context of contexts) await context.dispose();
  }
}
