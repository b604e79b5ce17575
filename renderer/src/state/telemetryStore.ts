// Telemetry: the samples of each answer (the streaming one and those of this session), which sources
// this machine has (and why the others are unavailable), and the per-model medians.
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallResult } from '../../../shared/rpc.ts';
import type { TelemetrySample } from '../../../shared/schemas.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

export type TelemetrySources = CallResult<AppContract, 'telemetry.sources'>;
export type TelemetrySummary = CallResult<AppContract, 'telemetry.summary'>;

interface TelemetryState {
  /** Samples per answer, by message id. */
  samples: Record<string, TelemetrySample[]>;
  sources: TelemetrySources | null;
  summary: TelemetrySummary;
}

export const useTelemetryStore = create<TelemetryState>(() => ({ samples: {}, sources: null, summary: [] }));

const subscribe = subscribeOnce(() => {
  rpc().on('telemetry.samples', (batch) => {
    useTelemetryStore.setState((s) => {
      const samples = { ...s.samples };
      for (const sample of batch) samples[sample.messageId] = [...(samples[sample.messageId] ?? []), sample];
      return { samples };
    });
  });
  // Each finished answer adds to the medians; what is measurable (VRAM above all) depends on the model.
  rpc().on('chat.done', () => {
    void telemetryActions.refreshSummary();
    void telemetryActions.refreshSources();
  });
});

export const telemetryActions = {
  async load() {
    subscribe();
    await telemetryActions.refreshSources();
    await telemetryActions.refreshSummary();
  },
  async refreshSources() {
    const sources = await guarded(() => rpc().call('telemetry.sources', {}));
    if (sources) useTelemetryStore.setState({ sources });
  },
  async refreshSummary() {
    const summary = await guarded(() => rpc().call('telemetry.summary', {}));
    if (summary) useTelemetryStore.setState({ summary });
  },
};
