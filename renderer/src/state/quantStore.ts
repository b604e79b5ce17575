// The Quantize view's state: quantization jobs and their progress, the comparison being run
// (its columns fill as each variant is measured) and the comparisons kept in the store.
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallResult, EventPayload } from '../../../shared/rpc.ts';
import type { Comparison, QuantTypeName, VariantResult } from '../../../shared/quant.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

type Levels = CallResult<AppContract, 'quant.levels'>;
type QuantProgress = EventPayload<AppContract, 'quant.progress'>;
export interface Column {
  stage: string;
  fraction: number;
  answer: string;
  result: VariantResult | null;
}

interface QuantState {
  sourceId: string | null;
  levels: Levels | null;
  chosenTypes: QuantTypeName[];
  quantJob: string | null;
  progress: Partial<Record<QuantTypeName, QuantProgress>>;
  picked: string[];
  ctx: number;
  prompt: string;
  maxTokens: number;
  ownText: { name: string; content: string } | null;
  compareJob: string | null;
  columns: Column[];
  compareError: string | null;
  saved: Comparison[];
  openedId: string | null;
}

export const useQuantStore = create<QuantState>(() => ({
  sourceId: null,
  levels: null,
  chosenTypes: ['Q8_0', 'Q4_0'],
  quantJob: null,
  progress: {},
  picked: [],
  ctx: 256,
  prompt: 'Once upon a time',
  maxTokens: 64,
  ownText: null,
  compareJob: null,
  columns: [],
  compareError: null,
  saved: [],
  openedId: null,
}));

const subscribe = subscribeOnce(() => {
  rpc().on('quant.progress', (p) => {
    if (p.jobId !== useQuantStore.getState().quantJob) return;
    useQuantStore.setState((s) => ({ progress: { ...s.progress, [p.type]: p } }));
  });
  rpc().on('compare.event', (e) => {
    if (e.jobId !== useQuantStore.getState().compareJob) return;
    useQuantStore.setState((s) => {
      const columns = [...s.columns];
      const column = { ...columns[e.index]! };
      if (e.kind === 'stage') Object.assign(column, { stage: e.stage, fraction: e.fraction });
      else if (e.kind === 'delta') column.answer += e.text;
      else Object.assign(column, { result: e.result, stage: 'done', fraction: 1 });
      columns[e.index] = column;
      return { columns };
    });
  });
  rpc().on('compare.done', ({ jobId, comparison, error }) => {
    if (jobId !== useQuantStore.getState().compareJob) return;
    useQuantStore.setState((s) => ({
      compareJob: null,
      compareError: error,
      saved: comparison ? [comparison, ...s.saved] : s.saved,
      openedId: comparison?.id ?? s.openedId,
    }));
  });
});

export const quantActions = {
  async load() {
    subscribe();
    const saved = await guarded(() => rpc().call('compare.list', {}));
    if (saved) useQuantStore.setState({ saved });
  },

  async pickSource(sourceId: string) {
    useQuantStore.setState({ sourceId, levels: null, progress: {} });
    if (!sourceId) return;
    const levels = await guarded(() => rpc().call('quant.levels', { modelId: sourceId }));
    useQuantStore.setState({ levels: levels ?? null });
  },

  toggleType(type: QuantTypeName) {
    useQuantStore.setState((s) => ({
      chosenTypes: s.chosenTypes.includes(type) ? s.chosenTypes.filter((t) => t !== type) : [...s.chosenTypes, type],
    }));
  },

  async quantize() {
    const { sourceId, chosenTypes, levels } = useQuantStore.getState();
    const types = chosenTypes.filter((t) => !levels?.levels.find((l) => l.type === t)?.blocker);
    if (!sourceId || types.length === 0) return;
    useQuantStore.setState({ progress: {} });
    const started = await guarded(() => rpc().call('quant.start', { modelId: sourceId, types }));
    if (started) useQuantStore.setState({ quantJob: started.jobId });
  },

  async cancelQuantize() {
    const { quantJob } = useQuantStore.getState();
    if (quantJob) await guarded(() => rpc().call('quant.cancel', { jobId: quantJob }));
  },

  togglePick(modelId: string) {
    useQuantStore.setState((s) => ({
      picked: s.picked.includes(modelId) ? s.picked.filter((m) => m !== modelId) : [...s.picked, modelId].slice(0, 6),
    }));
  },

  set(change: Partial<Pick<QuantState, 'ctx' | 'prompt' | 'maxTokens' | 'ownText'>>) {
    useQuantStore.setState(change);
  },

  async compare() {
    const { picked, ctx, prompt, maxTokens, ownText } = useQuantStore.getState();
    useQuantStore.setState({
      columns: picked.map(() => ({ stage: 'waiting', fraction: 0, answer: '', result: null })),
      compareError: null,
      openedId: null,
    });
    const started = await guarded(() =>
      rpc().call('compare.start', { modelIds: picked, ctx, prompt, maxTokens, text: ownText }),
    );
    if (started) useQuantStore.setState({ compareJob: started.jobId });
    else useQuantStore.setState({ columns: [] });
  },

  async cancelCompare() {
    const { compareJob } = useQuantStore.getState();
    if (compareJob) await guarded(() => rpc().call('compare.cancel', { jobId: compareJob }));
  },

  open(openedId: string | null) {
    useQuantStore.setState({ openedId, columns: [] });
  },

  async remove(id: string) {
    if (await guarded(() => rpc().call('compare.delete', { id }))) {
      useQuantStore.setState((s) => ({
        saved: s.saved.filter((c) => c.id !== id),
        openedId: s.openedId === id ? null : s.openedId,
      }));
    }
  },
};
