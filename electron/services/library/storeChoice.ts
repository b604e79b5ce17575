// Where to look for Ollama's and LM Studio's models: the folders the user chose (kept in settings),
// or each app's default folders.
import { z } from 'zod';
import type { SettingsStore } from '../store/settingsStore.ts';
import { defaultStoreDirs } from './externalStores.ts';
import type { StoreDirs } from './modelLibrary.ts';

const storeSettings = z.object({ ollamaDir: z.string().nullable(), lmStudioDir: z.string().nullable() });
export type StoreChoice = z.infer<typeof storeSettings>;
export const STORES_KEY = 'library.stores';

export function storeChoice(settings: Pick<SettingsStore, 'get'>): StoreChoice {
  return settings.get(STORES_KEY, storeSettings, { ollamaDir: null, lmStudioDir: null });
}

export function storeDirs(chosen: StoreChoice): StoreDirs {
  const defaults = defaultStoreDirs();
  return {
    ollama: chosen.ollamaDir ? [chosen.ollamaDir] : defaults.ollama,
    lmStudio: chosen.lmStudioDir ? [chosen.lmStudioDir] : defaults.lmStudio,
  };
}
