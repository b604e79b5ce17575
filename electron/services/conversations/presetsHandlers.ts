// Presets: the store does the checks (shipped presets stay, names stay unique).
import type { Handlers } from '../../../shared/rpc.ts';
import type { presetsContract } from '../../../shared/contract/presets.ts';
import type { PresetStore } from '../store/presetStore.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';

export function presetsHandlers(deps: {
  presets: PresetStore;
  library: Pick<ModelLibrary, 'get'>;
}): Handlers<typeof presetsContract> {
  const { presets, library } = deps;
  return {
    'presets.list': () => ({ presets: presets.list(), modelDefaults: presets.modelDefaults() }),
    'presets.save': (input) => presets.save(input),
    'presets.delete': ({ id }) => {
      presets.delete(id);
      return { ok: true as const };
    },
    'presets.setModelDefault': async ({ modelId, presetId }) => {
      await library.get(modelId);
      presets.setModelDefault(modelId, presetId);
      return { ok: true as const };
    },
  };
}
