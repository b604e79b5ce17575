// How fast a model runs on a device: a prediction from bytes and FLOPs, labelled as one.
//
// Decoding one token reads every weight the token touches (all of them for a dense model, only the
// active experts for a mixture of experts) and the KV cache once, so its time is a fixed cost per token
// (kernel launches, thread wake-ups, sampling) plus bytes over the bandwidth llama.cpp really reaches:
//   seconds per token = fixed + bytes per token / (efficiency × peak bandwidth)
// A prompt of N tokens is compute-bound: about 2 FLOPs per active parameter per token, so
//   time to first token = start + 2 × active parameters × N / (efficiency × peak compute)
// where the start cost is one decode step on published devices (the weights read once, the fixed cost)
// and is measured on this machine. The efficiencies per device kind
// are fitted to published llama.cpp measurements (published.ts, calibrate.ts); this machine's are measured.
import type { ArchFacts } from './archFacts.ts';
import { kvCacheBytes } from './estimator.ts';
import type { KvType } from './quantLevels.ts';

export const speedKinds = ['apple-gpu', 'nvidia-gpu', 'amd-gpu', 'phone', 'cpu'] as const;
export type SpeedKind = (typeof speedKinds)[number];

/** What llama.cpp reaches on a kind of device, as a share of its published peak, plus fixed costs. */
export interface Efficiency {
  bandwidth: number;
  fixedSecondsPerToken: number;
  compute: number;
  /** Where the figures come from: fitted (with the rows), or assumed (and why). */
  basis: string;
}

/** A device's speed facts: published peaks, or (this machine) the engine's own measured rates. */
export interface SpeedFacts {
  kind: SpeedKind;
  bandwidthBytesPerSec: number;
  /** FP16 FLOP/s for prompt processing (GPU), or the CPU's vector peak. */
  computeFlops: number;
  source: string;
  /** This machine: rates measured by the probe at a thread count; they replace peak × efficiency. */
  measured?: MeasuredSpeed;
}

export interface MeasuredSpeed {
  threads: number;
  fixedSecondsPerToken: number;
  effectiveBytesPerSec: number;
  effectiveFlops: number;
  /** Fixed cost before the first token (thread start, graph set-up, sampling), measured. */
  startSeconds: number;
}

export interface SpeedInput {
  facts: ArchFacts;
  /** Bytes of all weights (a file on disk: its own tensors). */
  weightsBytes: number;
  /** Tokens held in the KV cache while decoding: the chosen context when full. */
  contextTokens: number;
  kvType: KvType;
  /** Prompt length for the time to first token. */
  promptTokens?: number;
}

export interface SpeedPrediction {
  decodeTokensPerSec: number;
  ttftMs: number;
  secondsPerToken: number;
  bytesPerToken: number;
  weightBytesPerToken: number;
  kvBytesPerToken: number;
  promptTokens: number;
  promptFlops: number;
  effectiveBytesPerSec: number;
  effectiveFlops: number;
  fixedSecondsPerToken: number;
  startSeconds: number;
  /** measured: this machine's probe; published: peak × the kind's fitted efficiency. */
  basis: 'measured' | 'published';
}

export const defaultPromptTokens = 100;

/** Weights a token touches: for a mixture of experts, the active share of them. */
export function activeShare(facts: ArchFacts): number {
  return facts.activeParameters ? Math.min(1, facts.activeParameters / facts.parameters) : 1;
}

export function activeParameters(facts: ArchFacts): number {
  return facts.activeParameters ?? facts.parameters;
}

export function predictSpeed(input: SpeedInput, speed: SpeedFacts, efficiency: Efficiency): SpeedPrediction {
  const promptTokens = input.promptTokens ?? defaultPromptTokens;
  const weightBytesPerToken = input.weightsBytes * activeShare(input.facts);
  const kvBytesPerToken = kvCacheBytes(input.facts, input.contextTokens, input.kvType);
  const bytesPerToken = weightBytesPerToken + kvBytesPerToken;
  const m = speed.measured;
  const effectiveBytesPerSec = m ? m.effectiveBytesPerSec : speed.bandwidthBytesPerSec * efficiency.bandwidth;
  const effectiveFlops = m ? m.effectiveFlops : speed.computeFlops * efficiency.compute;
  const fixedSecondsPerToken = m ? m.fixedSecondsPerToken : efficiency.fixedSecondsPerToken;
  const secondsPerToken = fixedSecondsPerToken + bytesPerToken / effectiveBytesPerSec;
  const promptFlops = 2 * activeParameters(input.facts) * promptTokens;
  // Published kinds: the start cost is one decode step (the weights read once, the fixed cost); this
  // machine: measured, since a prompt's single evaluation does not pay the per-token cost of decoding.
  const startSeconds = m ? m.startSeconds : secondsPerToken;
  const ttftSeconds = startSeconds + promptFlops / effectiveFlops;
  return {
    decodeTokensPerSec: 1 / secondsPerToken,
    ttftMs: ttftSeconds * 1000,
    secondsPerToken,
    bytesPerToken,
    weightBytesPerToken,
    kvBytesPerToken,
    promptTokens,
    promptFlops,
    effectiveBytesPerSec,
    effectiveFlops,
    fixedSecondsPerToken,
    startSeconds,
    basis: m ? 'measured' : 'published',
  };
}

/** "~45 tok/s, first token ~0.2 s": rounded to what the model can honestly claim. */
export function speedLabel(p: Pick<SpeedPrediction, 'decodeTokensPerSec' | 'ttftMs'>): string {
  return `~${roundTokens(p.decodeTokensPerSec)} tok/s, first token ~${roundSeconds(p.ttftMs / 1000)}`;
}

export function roundTokens(n: number): string {
  if (n >= 100) return String(Math.round(n / 10) * 10);
  if (n >= 10) return String(Math.round(n));
  return n.toFixed(1);
}

export function roundSeconds(s: number): string {
  if (s < 0.01) return `${Math.max(1, Math.round(s * 1000))} ms`;
  if (s < 10) return `${s.toFixed(s < 1 ? 2 : 1)} s`;
  return `${Math.round(s)} s`;
}

/** The reading speed below which a model that fits is called too slow; users can change it. */
export const defaultReadingSpeed = 10;
