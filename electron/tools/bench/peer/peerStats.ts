// Ratios between Edgewise and its peer over alternating repetitions: the median ratio says which is
// faster, the spread says how much to trust it on a noisy machine.
import { median } from '../../../services/engine/threadCalibration.ts';

export interface RatioSummary extends Ratio {
  /** (max − min) ÷ median: 0.1 means the repetitions disagree by 10% of the ratio. */
  spread: number;
  repetitions: number;
}

/** A median with the lowest and highest of the values it was taken from. */
export interface Ratio {
  median: number;
  min: number;
  max: number;
}

/** Per-repetition ratios (each measured back to back) as their median and range. */
export function ratioRange(values: readonly number[]): Ratio {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Per-repetition ratios edgewise ÷ peer (pairs measured back to back), summarized. */
export function ratioSummary(pairs: readonly { edgewise: number; peer: number }[]): RatioSummary {
  const ratios = pairs.filter((p) => p.peer > 0 && Number.isFinite(p.edgewise)).map((p) => p.edgewise / p.peer);
  if (ratios.length === 0) throw new Error('No repetition gave a ratio (the peer measured 0)');
  const { median: m, min, max } = ratioRange(ratios);
  return { median: m, min, max, spread: m > 0 ? (max - min) / m : Infinity, repetitions: ratios.length };
}

export interface PeerTarget {
  name: string;
  pass: boolean;
  value: number;
  cause: string | null;
}

/** PASS when the median ratio is at least (or at most) the bound; the cause names the spread too. */
export function peerTarget(
  name: string,
  summary: RatioSummary,
  bound: { atLeast?: number; atMost?: number },
  cause: string,
): PeerTarget {
  const pass =
    (bound.atLeast === undefined || summary.median >= bound.atLeast) &&
    (bound.atMost === undefined || summary.median <= bound.atMost);
  const range = `median ${summary.median.toFixed(3)} over ${summary.repetitions} repetitions, ${summary.min.toFixed(3)}–${summary.max.toFixed(3)}`;
  return { name, pass, value: Number(summary.median.toFixed(3)), cause: pass ? null : `${cause} (${range})` };
}
