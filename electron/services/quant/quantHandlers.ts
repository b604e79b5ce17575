// Quantization and comparison: QuantLab runs the jobs, the comparison store keeps the results.
import type { Handlers } from '../../../shared/rpc.ts';
import type { quantContract } from '../../../shared/contract/quant.ts';
import type { ComparisonStore } from '../store/comparisonStore.ts';
import type { QuantLab } from './quantLab.ts';

export function quantHandlers(deps: {
  lab: Pick<QuantLab, 'levels' | 'startQuantize' | 'startCompare' | 'cancel'>;
  comparisons: Pick<ComparisonStore, 'list' | 'delete'>;
}): Handlers<typeof quantContract> {
  const { lab, comparisons } = deps;
  return {
    'quant.levels': ({ modelId }) => lab.levels(modelId),
    'quant.start': ({ modelId, types }) => lab.startQuantize(modelId, types),
    'quant.cancel': ({ jobId }) => ({ ok: lab.cancel(jobId) }),
    'compare.start': (args) => lab.startCompare(args),
    'compare.cancel': ({ jobId }) => ({ ok: lab.cancel(jobId) }),
    'compare.list': () => comparisons.list(),
    'compare.delete': ({ id }) => {
      comparisons.delete(id);
      return { ok: true as const };
    },
  };
}
