// Routing: settings (never keys), detected local servers, the tier history, and the partner dispatches
// waiting for the user's consent (asked from any view, so the app loads this store at start).
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallArgs, CallResult, EventPayload } from '../../../shared/rpc.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface RoutingState {
  settings: CallResult<AppContract, 'routing.get'> | null;
  detected: CallResult<AppContract, 'routing.detect'> | null;
  history: Record<string, number>;
  /** Partner dispatches waiting for the user's yes or no, oldest first. */
  consents: EventPayload<AppContract, 'route.consent'>[];
  /** The local API's key (null until loaded). */
  apiKey: CallResult<AppContract, 'routing.apiKey'> | null;
}

export const useRoutingStore = create<RoutingState>(() => ({
  settings: null,
  detected: null,
  history: {},
  consents: [],
  apiKey: null,
}));

const subscribe = subscribeOnce(() => {
  rpc().on('route.consent', (request) => useRoutingStore.setState((s) => ({ consents: [...s.consents, request] })));
});

export const routingActions = {
  async load() {
    subscribe();
    const [settings, history] = await Promise.all([
      guarded(() => rpc().call('routing.get', {})),
      guarded(() => rpc().call('routing.history', {})),
    ]);
    useRoutingStore.setState({ settings: settings ?? null, history: history ?? {} });
  },
  async save(change: CallArgs<AppContract, 'routing.set'>) {
    const settings = await guarded(() => rpc().call('routing.set', change));
    if (settings) useRoutingStore.setState({ settings });
    return settings !== undefined;
  },
  async detect() {
    useRoutingStore.setState({ detected: null });
    const detected = await guarded(() => rpc().call('routing.detect', {}));
    useRoutingStore.setState({ detected: detected ?? [] });
  },
  async loadApiKey() {
    const apiKey = await guarded(() => rpc().call('routing.apiKey', {}));
    useRoutingStore.setState({ apiKey: apiKey ?? null });
  },
  /** True when a new key was made (the old one no longer works). */
  async rotateApiKey() {
    const apiKey = await guarded(() => rpc().call('routing.rotateApiKey', {}));
    if (apiKey) useRoutingStore.setState({ apiKey });
    return apiKey !== undefined;
  },
  async answerConsent(messageId: string, answer: 'yes' | 'yes for this conversation' | 'no') {
    useRoutingStore.setState((s) => ({ consents: s.consents.filter((c) => c.messageId !== messageId) }));
    await guarded(() => rpc().call('route.consent', { messageId, answer }));
  },
};
