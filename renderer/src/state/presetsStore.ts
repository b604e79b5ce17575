// Presets: the shipped and the user's, and which model starts new conversations from which.
import { create } from 'zustand';
import { presetInput, presetProblem, type Preset, type PresetInput } from '../../../shared/presets.ts';
import { rpc } from '../rpc/client.ts';
import { guarded, useAppStore } from './appStore.ts';

interface PresetsState {
  presets: Preset[];
  modelDefaults: Record<string, string>;
}

export const usePresetsStore = create<PresetsState>(() => ({ presets: [], modelDefaults: {} }));

export const presetsActions = {
  async load() {
    const result = await guarded(() => rpc().call('presets.list', {}));
    if (result) usePresetsStore.setState(result);
  },
  /** Checked here first, so an impossible value is named before anything is sent. */
  async save(input: PresetInput): Promise<Preset | null> {
    const parsed = presetInput.safeParse(input);
    if (!parsed.success) {
      useAppStore.setState({ notice: presetProblem(parsed.error) });
      return null;
    }
    const saved = await guarded(() => rpc().call('presets.save', parsed.data));
    await presetsActions.load();
    return saved ?? null;
  },
  async remove(id: string) {
    await guarded(() => rpc().call('presets.delete', { id }));
    await presetsActions.load();
  },
  async setModelDefault(modelId: string, presetId: string | null) {
    await guarded(() => rpc().call('presets.setModelDefault', { modelId, presetId }));
    await presetsActions.load();
  },
};
