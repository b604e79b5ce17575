// Per model and quantization: how fast and how costly its answers were, as medians of stored figures.
import type { MessageStats } from '../../../shared/schemas.ts';

export interface ModelSummary {
  modelFile: string;
  quantization: string;
  backend: string;
  answers: number;
  medianDecodeTokensPerSec: number;
  medianTtftMs: number;
  /** Null when no answer of this model had a measured energy figure. */
  medianEnergyPerTokenMj: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(stats: MessageStats[]): ModelSummary[] {
  const groups = new Map<string, MessageStats[]>();
  for (const s of stats) {
    if (s.backend === 'remote' || s.outputTokens < 2) continue;
    const key = `${s.modelFile}\u0000${s.quantization}\u0000${s.backend}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((list) => ({
    modelFile: list[0]!.modelFile,
    quantization: list[0]!.quantization,
    backend: list[0]!.backend,
    answers: list.length,
    medianDecodeTokensPerSec: median(list.map((s) => s.decodeTokensPerSec))!,
    medianTtftMs: median(list.map((s) => s.ttftMs))!,
    medianEnergyPerTokenMj: median(list.flatMap((s) => (s.energyPerTokenMj == null ? [] : [s.energyPerTokenMj]))),
  }));
}
