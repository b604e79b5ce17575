// The engine's calls: its status, loading a model by id, and the user's thread count and flash attention.
import type { Handlers } from '../../../shared/rpc.ts';
import type { engineContract } from '../../../shared/contract/engine.ts';
import type { EngineHost } from './engineHost.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { ModelLoader } from './modelLoader.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import { flashAttentionChoice, type FlashAttentionChoice } from '../../../shared/schemas.ts';

/** The flash attention the user chose (engine.setFlashAttention); auto, llama.cpp's choice, until then. */
export function storedFlashAttention(settings: Pick<SettingsStore, 'get'>): FlashAttentionChoice {
  return settings.get('engine.flashAttention', flashAttentionChoice, 'auto');
}

export function engineHandlers(deps: {
  engine: Pick<EngineHost, 'status' | 'loadedModel'>;
  library: Pick<ModelLibrary, 'get'>;
  loader: Pick<ModelLoader, 'load'>;
  settings: Pick<SettingsStore, 'set'>;
}): Handlers<typeof engineContract> {
  const { engine, library, loader, settings } = deps;
  return {
    'engine.status': () => engine.status,
    'engine.load': async ({ modelId, gpu }) => loader.load(await library.get(modelId), gpu),
    'engine.setThreads': async ({ threads }) => {
      settings.set('engine.threads', threads);
      // Loaded with the old count: load again so the choice (or a measurement) takes effect now.
      const loaded = engine.loadedModel ? await library.get(engine.loadedModel.id) : null;
      return loaded ? loader.load(loaded) : engine.status;
    },
    'engine.setFlashAttention': async ({ flashAttention }) => {
      settings.set('engine.flashAttention', flashAttention);
      // A context keeps the flash attention it was made with: load again so the choice takes effect now.
      // With no model loaded (none yet, or one that failed with the old choice) the next load takes it.
      const loaded = engine.loadedModel ? await library.get(engine.loadedModel.id) : null;
      return loaded ? loader.load(loaded) : { ...engine.status, flashAttention };
    },
  };
}
