// The Models view's state: the catalog (with a fit verdict for this machine), downloads as they move,
// and where other apps' stores are looked for. The model list itself lives in the main store.
import { create } from 'zustand';
import type { AppContract } from '../../shared/contract.ts';
import type { CallResult } from '../../shared/rpc.ts';
import type { DownloadRecord } from '../../shared/catalog.ts';
import type { Device } from '../../shared/fit/devices.ts';
import { guarded, rpc, useApp, actions } from './store.ts';

type Catalog = CallResult<AppContract, 'catalog.list'>;
type Stores = CallResult<AppContract, 'library.stores'>;

interface ModelsState {
  catalog: Catalog;
  downloads: Record<string, DownloadRecord>;
  stores: Stores | null;
  machine: Device | null;
}

export const useModels = create<ModelsState>(() => ({ catalog: [], downloads: {}, stores: null, machine: null }));

let subscribed = false;

export const modelsActions = {
  async load() {
    if (!subscribed) {
      subscribed = true;
      rpc().on('downloads.changed', (record) =>
        useModels.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } })),
      );
    }
    const [catalog, downloads, stores, facts] = await Promise.all([
      guarded(() => rpc().call('catalog.list', {})),
      guarded(() => rpc().call('downloads.list', {})),
      guarded(() => rpc().call('library.stores', {})),
      guarded(() => rpc().call('fit.facts', {})),
    ]);
    useModels.setState({
      catalog: catalog ?? [],
      stores: stores ?? null,
      downloads: Object.fromEntries((downloads ?? []).map((d) => [d.id, d])),
      machine: facts?.devices.find((d) => d.id === 'this-machine') ?? null,
    });
    await actions.refreshModels();
  },
  async download(uri: string) {
    const record = await guarded(() => rpc().call('downloads.start', { uri }));
    if (record) useModels.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } }));
  },
  async control(id: string, action: 'pause' | 'resume' | 'cancel') {
    const record = await guarded(() => rpc().call(`downloads.${action}`, { id }));
    if (record) useModels.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } }));
  },
  async rename(modelId: string, name: string) {
    // The back end announces models.changed, and the main store refreshes the list.
    await guarded(() => rpc().call('models.rename', { modelId, name }));
  },
  async remove(modelId: string) {
    await guarded(() => rpc().call('models.remove', { modelId }));
  },
  async useInConversation(modelId: string) {
    const { currentId } = useApp.getState();
    if (!currentId) {
      await actions.create();
    }
    const id = useApp.getState().currentId;
    if (id && (await guarded(() => rpc().call('conversations.update', { id, modelId })))) {
      await actions.refreshConversations();
      actions.show('chat');
    }
  },
  async setStores(ollamaDir: string | null, lmStudioDir: string | null) {
    if (await guarded(() => rpc().call('library.setStores', { ollamaDir, lmStudioDir }))) await modelsActions.load();
  },
};
