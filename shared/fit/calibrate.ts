// The efficiency of each device kind, fitted to the "fit" half of the published rows and nothing else,
// computed here rather than typed in so no figure is tuned by hand; the "held-out" half judges it.
import { publishedRows, type PublishedRow } from './published.ts';
import type { Efficiency, SpeedKind } from './speed.ts';

const PP_TOKENS = 512;

/** Seconds per decoded token the model predicts for a row, given a kind's efficiency. */
export function rowSecondsPerToken(row: PublishedRow, e: Pick<Efficiency, 'bandwidth' | 'fixedSecondsPerToken'>) {
  return e.fixedSecondsPerToken + row.modelBytes / (e.bandwidth * row.bandwidthGBs * 1e9);
}

export function rowPrediction(row: PublishedRow, e: Efficiency) {
  const spt = rowSecondsPerToken(row, e);
  const decodeTokensPerSec = 1 / spt;
  const promptTokensPerSec =
    row.computeTflops === null
      ? null
      : PP_TOKENS / ((2 * row.parameters * PP_TOKENS) / (e.compute * row.computeTflops * 1e12) + spt);
  return { decodeTokensPerSec, promptTokensPerSec };
}

/**
 * Least squares on log(predicted / measured) decode speed over a grid of (bandwidth share, fixed cost):
 * the fixed cost is what separates a small model on a fast chip (launch-bound) from a big one.
 */
export function fitDecode(rows: PublishedRow[]): Pick<Efficiency, 'bandwidth' | 'fixedSecondsPerToken'> {
  let best = { bandwidth: 1, fixedSecondsPerToken: 0, error: Infinity };
  // Rows that all read the same bytes cannot tell a fixed cost from a lower bandwidth: fit none then.
  const maxFixed = new Set(rows.map((r) => r.modelBytes)).size > 1 ? 0.01 : 0;
  for (let b = 0.2; b <= 1.0001; b += 0.005) {
    for (let t = 0; t <= maxFixed + 1e-9; t += 0.00005) {
      let error = 0;
      for (const r of rows)
        error += Math.log(r.decodeTokensPerSec * rowSecondsPerToken(r, { bandwidth: b, fixedSecondsPerToken: t })) ** 2;
      if (error < best.error) best = { bandwidth: b, fixedSecondsPerToken: t, error };
    }
  }
  return { bandwidth: round(best.bandwidth, 3), fixedSecondsPerToken: round(best.fixedSecondsPerToken, 5) };
}

/** Share of peak compute over a 512-token prompt, once the decode step inside it is taken out (median). */
export function fitCompute(rows: PublishedRow[], decode: Pick<Efficiency, 'bandwidth' | 'fixedSecondsPerToken'>) {
  const shares = rows
    .filter((r) => r.computeTflops !== null && r.promptTokensPerSec !== null)
    .map((r) => {
      const computeSeconds = PP_TOKENS / r.promptTokensPerSec! - rowSecondsPerToken(r, decode);
      return (2 * r.parameters * PP_TOKENS) / computeSeconds / (r.computeTflops! * 1e12);
    })
    .sort((a, b) => a - b);
  if (shares.length === 0) return null;
  return round(shares[Math.floor((shares.length - 1) / 2)]!, 3);
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** Kinds with rows of their own, and what the others borrow (said in their basis). */
function fitKind(kind: SpeedKind, rows: PublishedRow[]): Efficiency {
  const mine = rows.filter((r) => r.kind === kind && r.half === 'fit');
  const decode = fitDecode(mine);
  const compute = fitCompute(mine, decode);
  return {
    ...decode,
    // No fitted prompt row for this kind (the CPU rows publish no comparable peak): half of the peak,
    // an assumption the detail view says out loud.
    compute: compute ?? 0.5,
    basis: `fitted to ${mine.length} published llama.cpp rows (${[...new Set(mine.map((r) => r.device))].join('; ')})${compute === null ? '; prompt compute share assumed 0.5 (no fitted prompt row)' : ''}`,
  };
}

let cached: Record<SpeedKind, Efficiency> | null = null;

export function efficiencies(): Record<SpeedKind, Efficiency> {
  if (cached) return cached;
  const appleGpu = fitKind('apple-gpu', publishedRows);
  const nvidiaGpu = fitKind('nvidia-gpu', publishedRows);
  const cpu = fitKind('cpu', publishedRows);
  cached = {
    'apple-gpu': appleGpu,
    'nvidia-gpu': nvidiaGpu,
    // No AMD rows in the set: AMD's discrete GPUs borrow NVIDIA's shares, which is an assumption.
    'amd-gpu': { ...nvidiaGpu, basis: `assumed equal to NVIDIA's (no AMD row yet): ${nvidiaGpu.basis}` },
    // llama.cpp on a phone runs on its CPU cores (Android) or Metal (iPhone); phones use the CPU fit.
    phone: { ...cpu, basis: `the CPU kind's, since llama.cpp on Android runs on the CPU: ${cpu.basis}` },
    cpu,
  };
  return cached;
}
