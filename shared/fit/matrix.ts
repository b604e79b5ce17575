// The fit matrix: model size tiers × devices, each cell a verdict with the models behind it.
import type { z } from 'zod';
import type { fitModelSchema } from './archFacts.ts';
import type { Catalog } from '../catalog.ts';
import { budgetOf, verdictFor, type Device, type Verdict } from './devices.ts';
import { estimate, type Estimate } from './estimator.ts';
import { quantLevels, type KvType } from './quantLevels.ts';

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
}
export interface Cell {
  device: string;
  verdict: Verdict;
  models: CellModel[];
}
export interface Matrix {
  controls: FitControls;
  devices: { id: string; name: string; memoryBytes: number; budgetBytes: number; explanation: string }[];
  rows: { tier: string; cells: Cell[] }[];
}

export function fitModel(model: FitModel, d: Device, controls: FitControls): CellModel {
  const quantization = model.quantization ?? controls.quant;
  const e = estimate(model.facts, {
    contextSize: controls.ctx,
    kvType: controls.kvType,
    quantization,
    weightsBytes: model.weightsBytes,
  });
  return { id: model.id, name: model.name, quantization, ...e, ...verdictFor(e.totalBytes, d) };
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

/** The largest model that fits comfortably on the device, at the highest precision that does. */
export function bestFit(models: FitModel[], d: Device, ctx: number, kvType: KvType): CellModel | null {
  let best: { fit: CellModel; parameters: number } | null = null;
  for (const m of models) {
    for (const quant of recommendableQuants(m)) {
      const fit = fitModel(m, d, { quant, ctx, kvType });
      if (fit.verdict !== 'fits') continue;
      const better =
        !best ||
        m.facts.parameters > best.parameters ||
        (m.facts.parameters === best.parameters && fit.weightsBytes > best.fit.weightsBytes);
      if (better) best = { fit, parameters: m.facts.parameters };
    }
  }
  return best?.fit ?? null;
}
