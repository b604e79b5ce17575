// What to say before a load that will disappoint: a model that fits but is predicted under the reading
// speed, or a context that does not fit; each with what to choose instead (ollama#8144: warn before a
// load freezes the machine, not after).
import type { Device } from './devices.ts';
import { bestFit, fitModel, type FitModel } from './matrix.ts';
import type { KvType } from './quantLevels.ts';
import { roundTokens } from './speed.ts';
import { gb } from '../format.ts';

export function loadWarning(
  model: FitModel,
  machine: Device,
  contextSize: number,
  readingSpeed: number,
  catalog: FitModel[],
  kvType: KvType = 'f16',
): string | null {
  const controls = { quant: model.quantization ?? 'Q4_K_M', ctx: contextSize, kvType, readingSpeed };
  const fit = fitModel(model, machine, controls);
  if (fit.verdict !== 'no' && !fit.tooSlow) return null;
  const best = bestFit(catalog, machine, contextSize, kvType, readingSpeed);
  const instead = best
    ? `${best.name} at ${best.quantization} (predicted ~${roundTokens(best.predictedDecodeTokensPerSec)} tok/s)`
    : 'a smaller model or a lower quantization';
  if (fit.verdict === 'no') {
    let shorter: number | null = null;
    for (let ctx = Math.floor(contextSize / 2); ctx >= 512 && !shorter; ctx = Math.floor(ctx / 2)) {
      if (fitModel(model, machine, { ...controls, ctx }).verdict !== 'no') shorter = ctx;
    }
    return `${fit.name} needs about ${gb(fit.totalBytes)} at a ${contextSize}-token context, ${gb(-fit.marginBytes)} more than this machine can give it. Choose ${shorter ? `a context of ${shorter} tokens or less, or ` : ''}${instead}.`;
  }
  return `${fit.name} fits in memory but is predicted at ~${roundTokens(fit.predictedDecodeTokensPerSec)} tok/s here (a prediction), under your reading speed of ${readingSpeed} tok/s. Choose ${instead} instead, or lower the reading speed in the Fit view.`;
}
