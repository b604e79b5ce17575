// Models: the local library (every view's model pickers read it), and for the Models view the catalog
// (with a fit verdict for this machine), downloads as they move, and where other apps' stores are looked for.
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallResult } from '../../../shared/rpc.ts';
import type { DownloadRecord } from '../../../shared/catalog.ts';
import type { Device } from '../../../shared/fit/devices.ts';
import type { ModelInfo } from '../../../shared/schemas.ts';
import { rpc } from '../rpc/client.ts';
import { appActions, guarded } from './appStore.ts';
import { chatActions, useChatStore } from './chatStore.ts';
import { subscribeOnce } from './lifecycle.ts';

type Catalog = CallResult<AppContract, 'catalog.list'>;
type Stores = CallResult<AppContract, 'library.stores'>;

interface ModelsState {
  models: ModelInfo[];
  catalog: Catalog;
  downloads: Record<string, DownloadRecord>;
  stores: Stores | null;
  machine: Device | null;
}

export const useModelsStore = create<ModelsState>(() => ({
  models: [],
  catalog: [],
  downloads: {},
  stores: null,
  machine: null,
}));

const subscribe = subscribeOnce(() => {
  // A model was made, downloaded, renamed or removed, here or by another window.
  rpc().on('models.changed', () => void modelsActions.load());
  rpc().on('downloads.changed', (record) =>
    useModelsStore.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } })),
  );
});

export const modelsActions = {
  /** The local library. */
  async load() {
    subscribe();
    const models = await guarded(() => rpc().call('models.list', {}));
    if (models) useModelsStore.setState({ models });
  },
  /** What the Models view adds to the library: the catalog, downloads, other apps' stores. */
  async loadCatalog() {
    const [catalog, downloads, stores, facts] = await Promise.all([
      guarded(() => rpc().call('catalog.list', {})),
      guarded(() => rpc().call('downloads.list', {})),
      guarded(() => rpc().call('library.stores', {})),
      guarded(() => rpc().call('fit.facts', {})),
    ]);
    useModelsStore.setState({
      catalog: catalog ?? [],
      stores: stores ?? null,
      downloads: Object.fromEntries((downloads ?? []).map((d) => [d.id, d])),
      machine: facts?.devices.find((d) => d.id === 'this-machine') ?? null,
    });
    await modelsActions.load();
  },
  async add(path: string) {
    const model = await guarded(() => rpc().call('models.add', { path }));
    if (model) await modelsActions.load();
  },
  async download(uri: string) {
    const record = await guarded(() => rpc().call('downloads.start', { uri }));
    if (record) useModelsStore.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } }));
  },
  async control(id: string, action: 'pause' | 'resume' | 'cancel') {
    const record = await guarded(() => rpc().call(`downloads.${action}`, { id }));
    if (record) useModelsStore.setState((s) => ({ downloads: { ...s.downloads, [record.id]: record } }));
  },
  async rename(modelId: string, name: string) {
    // The back end announces models.changed, and load() refreshes the list.
    await guarded(() => rpc().call('models.rename', { modelId, name }));
  },
  async remove(modelId: string) {
    await guarded(() => rpc().call('models.remove', { modelId }));
  },
  async useInConversation(modelId: string) {
    if (!useChatStore.getState().currentId) await chatActions.create();
    const id = useChatStore.getState().currentId;
    if (id && (await guarded(() => rpc().call('conversations.update', { id, modelId })))) {
      await chatActions.refreshConversations();
      appActions.show('chat');
    }
  },
  async setStores(ollamaDir: string | null, lmStudioDir: string | null) {
    if (await guarded(() => rpc().call('library.setStores', { ollamaDir, lmStudioDir }))) {
      await modelsActions.loadCatalog();
    }
  },
};
