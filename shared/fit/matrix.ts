// The fit matrix: model size tiers × devices, each cell a verdict with the models behind it.
import type { z } from 'zod';
import type { fitModelSchema } from './archFacts.ts';
import type { Catalog } from '../catalog.ts';
import { budgetOf, efficiencyOf, speedFactsOf, verdictFor, type Device, type Verdict } from './devices.ts';
import { estimate, type Estimate } from './estimator.ts';
import { quantLevels, type KvType } from './quantLevels.ts';
import { defaultPromptTokens, defaultReadingSpeed, predictSpeed, type SpeedPrediction } from './speed.ts';

/** A file on disk carries its own tensor bytes and quantization, which replace the chosen level. */
export type FitModel = z.infer<typeof fitModelSchema>;

/** The catalog models that have architecture facts, as the fit matrix sees them. */
export function catalogFitModels(catalog: Catalog): FitModel[] {
  return catalog.models.flatMap((m) =>
    m.facts ? [{ id: m.id, name: m.name, facts: m.facts, quantizationAware: m.quantizationAware }] : [],
  );
}

export interface FitControls {
  quant: string;
  ctx: number;
  kvType: KvType;
  /** Tokens per second below which a model that fits is called too slow (default 10). */
  readingSpeed?: number;
  /** Prompt length for the predicted time to first token (default 100). */
  promptTokens?: number;
}

export const tiers = [
  { tier: 'under 1B', below: 1e9 },
  { tier: '1-3B', below: 3.5e9 },
  { tier: '3-8B', below: 8.5e9 },
  { tier: '8-15B', below: 15.5e9 },
  // Not in the figure we follow, but Gemma 3 27B and its peers need a row of their own.
  { tier: '15-30B', below: 30e9 },
  { tier: '30B+', below: Infinity },
] as const;

export function tierOf(parameters: number): string {
  return tiers.find((t) => parameters < t.below)!.tier;
}

export interface CellModel extends Estimate {
  id: string;
  name: string;
  quantization: string;
  verdict: Verdict;
  marginBytes: number;
  reason: string;
  /** Predicted, not measured: decode speed with the KV cache full at the chosen context. */
  predictedDecodeTokensPerSec: number;
  predictedTtftMs: number;
  speed: SpeedPrediction;
  /** Fits in memory but is predicted under the reading speed. */
  tooSlow: boolean;
}
export interface Cell {
  device: string;
  verdict: Verdict;
  models: CellModel[];
}
export interface Matrix {
  controls: FitControls;
  devices: {
    id: string;
    name: string;
    memoryBytes: number;
    budgetBytes: number;
    explanation: string;
    bandwidthBytesPerSec: number;
    computeFlops: number;
    speedKind: string;
    speedSource: string;
    /** The engine's own rates on this machine, when measured; the rest are predicted from published peaks. */
    measuredSpeed: Device['measuredSpeed'] | null;
  }[];
  rows: { tier: string; cells: Cell[] }[];
}

export function fitModel(model: FitModel, d: Device, controls: FitControls): CellModel {
  const quantization = model.quantization ?? controls.quant;
  const e = estimate(model.facts, {
    contextSize: controls.ctx,
    kvType: controls.kvType,
    quantization,
    weightsBytes: model.weightsBytes,
    flashAttention: d.flashAttention ?? true,
  });
  const speed = predictSpeed(
    {
      facts: model.facts,
      weightsBytes: e.weightsBytes,
      contextTokens: controls.ctx,
      kvType: controls.kvType,
      promptTokens: controls.promptTokens ?? defaultPromptTokens,
    },
    speedFactsOf(d),
    efficiencyOf(d),
  );
  const fit = verdictFor(e.totalBytes, d);
  return {
    id: model.id,
    name: model.name,
    quantization,
    ...e,
    ...fit,
    predictedDecodeTokensPerSec: Number(speed.decodeTokensPerSec.toPrecision(3)),
    predictedTtftMs: Number(speed.ttftMs.toPrecision(3)),
    speed,
    tooSlow: fit.verdict !== 'no' && speed.decodeTokensPerSec < (controls.readingSpeed ?? defaultReadingSpeed),
  };
}

/** Green when every model of the tier fits, gray when none runs at all, yellow otherwise. */
function cellVerdict(models: CellModel[]): Verdict {
  if (models.length > 0 && models.every((m) => m.verdict === 'fits')) return 'fits';
  if (models.every((m) => m.verdict === 'no')) return 'no';
  return 'tight';
}

export function buildMatrix(models: FitModel[], devices: Device[], controls: FitControls): Matrix {
  return {
    controls,
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      memoryBytes: d.memoryBytes,
      budgetBytes: Math.round(budgetOf(d)),
      explanation: d.explanation,
      bandwidthBytesPerSec: speedFactsOf(d).bandwidthBytesPerSec,
      computeFlops: speedFactsOf(d).computeFlops,
      speedKind: speedFactsOf(d).kind,
      speedSource: speedFactsOf(d).source,
      measuredSpeed: d.measuredSpeed ?? null,
    })),
    rows: tiers.map(({ tier }) => {
      const inTier = models.filter((m) => tierOf(m.facts.parameters) === tier);
      return {
        tier,
        cells: devices.map((d) => {
          const fitted = inTier.map((m) => fitModel(m, d, controls));
          return { device: d.name, verdict: cellVerdict(fitted), models: fitted };
        }),
      };
    }),
  };
}

/**
 * Levels worth recommending: below about 4.5 bits per weight a model trained at full precision loses
 * noticeably (llama.cpp's perplexity table: Q3_K_M +0.66, Q2_K +3.5 on Llama-3-8B), so the lower
 * levels are offered only for models trained for them.
 */
export function recommendableQuants(model: FitModel): string[] {
  return quantLevels.filter((q) => model.quantizationAware || q.bitsPerWeight >= 4.5).map((q) => q.name);
}

export interface BestFit extends CellModel {
  /** Why this one: it fits with room to spare and is predicted at or above the reading speed. */
  why: string;
}

/**
 * The most capable model that fits comfortably and is predicted to run at or above the reading speed:
 * the largest such model, at the highest precision that still does. Null, with nothing fast enough.
 */
export function bestFit(
  models: FitModel[],
  d: Device,
  ctx: number,
  kvType: KvType,
  readingSpeed = defaultReadingSpeed,
): BestFit | null {
  let best: { fit: CellModel; parameters: number } | null = null;
  for (const m of models) {
    for (const quant of recommendableQuants(m)) {
      const fit = fitModel(m, d, { quant, ctx, kvType, readingSpeed });
      if (fit.verdict !== 'fits') continue;
      if (fit.tooSlow) continue;
      const better =
        !best ||
        m.facts.parameters > best.parameters ||
        (m.facts.parameters === best.parameters && fit.weightsBytes > best.fit.weightsBytes);
      if (better) best = { fit, parameters: m.facts.parameters };
    }
  }
  if (!best) return null;
  const f = best.fit;
  const skipped = models.filter(
    (m) =>
      m.facts.parameters > best.parameters &&
      recommendableQuants(m).some((quant) => {
        const x = fitModel(m, d, { quant, ctx, kvType, readingSpeed });
        return x.verdict === 'fits' && x.tooSlow;
      }),
  ).length;
  return {
    ...f,
    why: `the largest model that fits with a fifth of the budget to spare and is predicted at ${f.predictedDecodeTokensPerSec} tok/s, at or above your reading speed of ${readingSpeed} tok/s${skipped > 0 ? `; ${skipped} larger model${skipped > 1 ? 's' : ''} fit${skipped > 1 ? '' : 's'} in memory but would be slower than that` : ''}`,
  };
}
