// Presets in the settings panel: apply one to the draft, save the draft as one, delete the user's own,
// and make one the default for this conversation's model.
import { useEffect, useState } from 'react';
import type { ConversationSettings } from '../../../shared/schemas.ts';
import { presetsActions, usePresetsStore } from '../state/presetsStore.ts';
import { presetSettings } from '../../../shared/presets.ts';

export function PresetBar({
  draft,
  modelId,
  onApply,
}: {
  draft: ConversationSettings;
  modelId: string | null;
  onApply: (settings: ConversationSettings) => void;
}) {
  const presets = usePresetsStore((s) => s.presets);
  const modelDefaults = usePresetsStore((s) => s.modelDefaults);
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  useEffect(() => {
    void presetsActions.load();
  }, []);
  const selected = presets.find((p) => p.id === chosen) ?? null;
  const isDefault = modelId !== null && selected !== null && modelDefaults[modelId] === selected.id;
  return (
    <div className="preset-bar wide" data-testid="preset-bar">
      <label>
        Preset
        <select aria-label="Preset" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">Choose a preset…</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.builtIn ? ' (shipped)' : ''}
              {modelId && modelDefaults[modelId] === p.id ? ' · default for this model' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!selected} onClick={() => selected && onApply(presetSettings(selected))}>
        Apply preset
      </button>
      <button
        type="button"
        disabled={!selected || selected.builtIn}
        title={selected?.builtIn ? 'Shipped presets cannot be deleted' : undefined}
        onClick={() => {
          if (selected && confirm(`Delete the preset "${selected.name}"?`)) {
            setChosen('');
            void presetsActions.remove(selected.id);
          }
        }}
      >
        Delete preset
      </button>
      <button
        type="button"
        disabled={!selected || !modelId}
        aria-pressed={isDefault}
        onClick={() =>
          modelId && selected && void presetsActions.setModelDefault(modelId, isDefault ? null : selected.id)
        }
      >
        {isDefault ? 'Stop using as model default' : 'Default for this model'}
      </button>
      <label>
        Save these settings as
        <input value={name} placeholder="Preset name" onChange={(e) => setName(e.target.value)} />
      </label>
      <button
        type="button"
        onClick={async () => {
          const existing = presets.find((p) => !p.builtIn && p.name.toLowerCase() === name.trim().toLowerCase());
          const saved = await presetsActions.save({
            id: existing?.id,
            name,
            settings: draft,
            thinking: draft.thinking ?? true,
          });
          if (saved) {
            setChosen(saved.id);
            setName('');
          }
        }}
      >
        Save preset
      </button>
    </div>
  );
}
