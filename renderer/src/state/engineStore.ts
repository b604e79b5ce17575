// The engine's state (starting, loading with progress, ready, crashed), as the back end announces it.
import { create } from 'zustand';
import type { EngineStatus, FlashAttentionChoice } from '../../../shared/schemas.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface EngineState {
  status: EngineStatus | null;
}

export const useEngineStore = create<EngineState>(() => ({ status: null }));

const subscribe = subscribeOnce(() => {
  rpc().on('engine.status', (status) => useEngineStore.setState({ status }));
});

export const engineActions = {
  async load() {
    subscribe();
    const status = await guarded(() => rpc().call('engine.status', {}));
    if (status) useEngineStore.setState({ status });
  },
  /** Kept as the engine's setting; the loaded model is loaded again with it. */
  async setFlashAttention(flashAttention: FlashAttentionChoice) {
    const status = await guarded(() => rpc().call('engine.setFlashAttention', { flashAttention }));
    if (status) useEngineStore.setState({ status });
  },
};
