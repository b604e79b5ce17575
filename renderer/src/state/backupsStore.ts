// The data folder's state in the UI: what the start-up checks found (a banner until dismissed) and
// the database's backups (the Backups view), including a restore while the app runs.
import { create } from 'zustand';
import type { BackupInfo, DataHealth } from '../../../shared/data.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface BackupsState {
  health: DataHealth | null;
  dismissed: boolean;
  backups: BackupInfo[];
  busy: boolean;
  done: string | null;
}

export const useBackupsStore = create<BackupsState>(() => ({
  health: null,
  dismissed: false,
  backups: [],
  busy: false,
  done: null,
}));

const subscribe = subscribeOnce(() => {
  // Every view shows the old database's rows until it reloads them; a reload is the honest way.
  rpc().on('data.restored', () => location.reload());
  // A new failure to save is shown even if an earlier banner was dismissed.
  rpc().on('data.health', (health) => useBackupsStore.setState({ health, dismissed: false }));
});

export const backupsActions = {
  /** Runs on every connection: what the start-up checks found, and saving failures from then on. */
  async loadHealth() {
    subscribe();
    const health = await guarded(() => rpc().call('data.health', {}));
    if (health) useBackupsStore.setState({ health });
  },
  async load() {
    const backups = await guarded(() => rpc().call('backups.list', {}));
    if (backups) useBackupsStore.setState({ backups });
  },
  async create() {
    useBackupsStore.setState({ busy: true, done: null });
    const made = await guarded(() => rpc().call('backups.create', {}));
    useBackupsStore.setState({ busy: false, done: made ? `Backed up: ${made.id}` : null });
    await backupsActions.load();
  },
  async restore(id: string) {
    useBackupsStore.setState({ busy: true, done: null });
    await guarded(() => rpc().call('backups.restore', { id }));
    useBackupsStore.setState({ busy: false });
  },
  dismiss() {
    useBackupsStore.setState({ dismissed: true });
  },
};
