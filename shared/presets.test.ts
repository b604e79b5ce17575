import { describe, expect, it } from 'vitest';
import { builtInPresets, presetSettings, type Preset } from './presets.ts';
import { defaultSettings } from './schemas.ts';

describe('presetSettings', () => {
  it("carries the preset's thinking switch and its thought budget into the conversation's settings", () => {
    const quiet: Preset = {
      id: 'p1',
      name: 'Quick',
      builtIn: false,
      settings: { ...defaultSettings, thoughtBudget: 64 },
      thinking: false,
    };
    expect(presetSettings(quiet)).toEqual({ ...defaultSettings, thoughtBudget: 64, thinking: false });
    // The switch is the preset's, whatever its settings held when saved.
    expect(
      presetSettings({ ...quiet, settings: { ...quiet.settings, thinking: false }, thinking: true }).thinking,
    ).toBe(true);
  });

  it('shipped presets leave thinking on, so choosing one for its sampling does not stop a model thinking', () => {
    for (const p of builtInPresets) expect(presetSettings(p).thinking, p.name).toBe(true);
  });
});
