// The app's own state: the connection, which view is shown, and the one notice that reports a failed
// call. guarded() is how every store turns a failed call into that notice.
import { create } from 'zustand';
import { rpc } from '../rpc/client.ts';
import { errorMessage } from '../../../shared/errors.ts';

export type View = 'chat' | 'fit' | 'models' | 'quant' | 'routing' | 'backups';

interface AppState {
  connected: boolean;
  dataDir: string;
  view: View;
  notice: string | null;
}

export const useAppStore = create<AppState>(() => ({ connected: false, dataDir: '', view: 'chat', notice: null }));

export async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    useAppStore.setState({ notice: errorMessage(error) });
    return undefined;
  }
}

export const appActions = {
  async load() {
    const info = await guarded(() => rpc().call('app.info', {}));
    if (info) useAppStore.setState({ dataDir: info.dataDir });
  },
  show(view: View) {
    useAppStore.setState({ view });
  },
  dismiss() {
    useAppStore.setState({ notice: null });
  },
};
