// The routing view's state: settings (never keys), detected local servers, and the tier history.
import { create } from 'zustand';
import type { AppContract } from '../../shared/contract.ts';
import type { CallArgs, CallResult } from '../../shared/rpc.ts';
import { guarded, rpc } from './store.ts';

interface RoutingState {
  settings: CallResult<AppContract, 'routing.get'> | null;
  detected: CallResult<AppContract, 'routing.detect'> | null;
  history: Record<string, number>;
}

export const useRouting = create<RoutingState>(() => ({ settings: null, detected: null, history: {} }));

export const routingActions = {
  async load() {
    const [settings, history] = await Promise.all([
      guarded(() => rpc().call('routing.get', {})),
      guarded(() => rpc().call('routing.history', {})),
    ]);
    useRouting.setState({ settings: settings ?? null, history: history ?? {} });
  },
  async save(change: CallArgs<AppContract, 'routing.set'>) {
    const settings = await guarded(() => rpc().call('routing.set', change));
    if (settings) useRouting.setState({ settings });
    return settings !== undefined;
  },
  async detect() {
    useRouting.setState({ detected: null });
    const detected = await guarded(() => rpc().call('routing.detect', {}));
    useRouting.setState({ detected: detected ?? [] });
  },
};
