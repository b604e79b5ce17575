// Telemetry's calls: what this machine can measure, and each model's figures so far.
import type { Handlers } from '../../../shared/rpc.ts';
import type { telemetryContract } from '../../../shared/contract/telemetry.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import { describeSources, type PowerSources } from './powerSources.ts';
import type { PowerState } from './powerState.ts';
import { summarize } from './summary.ts';

export function telemetryHandlers(deps: {
  sources: PowerSources;
  store: Pick<ConversationStore, 'answerStats'>;
  engine: Pick<EngineHost, 'status' | 'usage'>;
  powerState?: () => PowerState;
}): Handlers<typeof telemetryContract> {
  const { sources, store, engine, powerState } = deps;
  return {
    'telemetry.summary': () => summarize(store.answerStats()),
    'telemetry.sources': async () => {
      // VRAM in use now, as the engine worker measures it: null where its backend reports none.
      const vramUsedBytes = (await engine.usage().catch(() => null))?.vramUsedBytes ?? null;
      return describeSources(sources, engine.status.backend, powerState, vramUsedBytes);
    },
  };
}
