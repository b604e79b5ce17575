// The model library's calls: local models, the catalog, other apps' stores, and downloads.
import { RpcError, type Handlers } from '../../../shared/rpc.ts';
import type { modelsContract } from '../../../shared/contract/models.ts';
import type { Catalog } from '../../../shared/catalog.ts';
import type { AppEmit } from '../events.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import type { ModelLibrary } from './modelLibrary.ts';
import type { DownloadManager } from './downloadManager.ts';
import { STORES_KEY, storeChoice, storeDirs } from './storeChoice.ts';

export function libraryHandlers(deps: {
  library: ModelLibrary;
  downloads: DownloadManager;
  catalog: Catalog;
  settings: SettingsStore;
  engine: Pick<EngineHost, 'loadedModel'>;
  emit: AppEmit;
}): Handlers<typeof modelsContract> {
  const { library, downloads, catalog, settings, engine, emit } = deps;
  return {
    'models.list': () => library.list(),
    'models.add': ({ path }) => library.add(path),
    'models.rename': ({ modelId, name }) => {
      library.rename(modelId, name);
      emit('models.changed', {});
      return { ok: true as const };
    },
    'models.remove': async ({ modelId }) => {
      if (engine.loadedModel?.id === modelId)
        throw new RpcError('busy', 'This model is loaded; load another one before removing it.');
      const removed = await library.remove(modelId);
      emit('models.changed', {});
      return removed;
    },
    'catalog.list': () => catalog.models,
    'library.stores': () => {
      const chosen = storeChoice(settings);
      return { ...storeDirs(chosen), ...chosen };
    },
    'library.setStores': (change) => {
      settings.set(STORES_KEY, change);
      emit('models.changed', {});
      return { ok: true as const };
    },
    'downloads.list': () => downloads.list(),
    'downloads.start': ({ uri }) => {
      const file = catalog.models.flatMap((m) => m.files).find((f) => f.uri === uri);
      return downloads.start({
        uri,
        fileName: file?.name,
        sha256: file?.sha256 ?? null,
        sizeBytes: file?.sizeBytes ?? null,
      });
    },
    'downloads.pause': ({ id }) => downloads.pause(id),
    'downloads.resume': ({ id }) => downloads.resume(id),
    'downloads.cancel': ({ id }) => downloads.cancel(id),
  };
}
