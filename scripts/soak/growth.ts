// Does a resource grow without bound? A least-squares slope over the samples after warm-up, judged
// together with how far the last third sits above the first, so one GC-shaped reading proves nothing.

export interface Series {
  /** Seconds since the soak started. */
  t: number[];
  v: number[];
}

export interface Limit {
  /** Growth per hour (in the metric's unit) above which the slope counts as unbounded. */
  perHour: number;
  /** The last third's median must also exceed the first third's by this much. */
  atLeast: number;
}

export interface Verdict {
  slopePerHour: number;
  firstThird: number;
  lastThird: number;
  growing: boolean;
}

export function slope({ t, v }: Series): number {
  const n = t.length;
  if (n < 2) return 0;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const mv = v.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (t[i]! - mt) * (v[i]! - mv);
    den += (t[i]! - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

/** Judges the series after dropping the first `warmup` fraction (caches filling, the model loading). */
export function judge(series: Series, limit: Limit, warmup = 0.25): Verdict {
  const skip = Math.floor(series.t.length * warmup);
  const t = series.t.slice(skip);
  const v = series.v.slice(skip);
  const third = Math.max(1, Math.floor(v.length / 3));
  const slopePerHour = slope({ t, v }) * 3600;
  const firstThird = median(v.slice(0, third));
  const lastThird = median(v.slice(-third));
  return {
    slopePerHour,
    firstThird,
    lastThird,
    growing: slopePerHour > limit.perHour && lastThird - firstThird > limit.atLeast,
  };
}
