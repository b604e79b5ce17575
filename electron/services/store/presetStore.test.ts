import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { PresetStore } from './presetStore.ts';
import { presetInput } from '../../../shared/presets.ts';
import { defaultSettings } from '../../../shared/schemas.ts';
import { tempDir } from '../../../tests/fixtures.ts';

describe('PresetStore on a real SQLite file', () => {
  it('ships four presets, saves, edits and deletes the user’s, and keeps a model’s default across reopen', () => {
    const path = join(tempDir(), 'edgewise.db');
    let db = openDatabase(path);
    let presets = new PresetStore(db);
    expect(presets.list().map((p) => p.name)).toEqual(['Precise', 'Balanced', 'Creative', 'Code']);
    const mine = presets.save({
      name: 'Short stories',
      settings: {
        ...defaultSettings,
        systemPrompt: 'Tell a tale.',
        sampling: { ...defaultSettings.sampling, maxTokens: 64 },
      },
      thinking: true,
    });
    expect(mine).toMatchObject({ builtIn: false, thinking: true });
    const edited = presets.save({ id: mine.id, name: 'Tiny stories', settings: mine.settings, thinking: false });
    expect(edited).toMatchObject({ id: mine.id, name: 'Tiny stories', thinking: false });
    presets.setModelDefault('demo-model', mine.id);
    db.close();

    db = openDatabase(path);
    presets = new PresetStore(db);
    expect(presets.forModel('demo-model')?.settings.systemPrompt).toBe('Tell a tale.');
    expect(presets.forModel('other')).toBeNull();
    expect(presets.byName('tiny STORIES')?.id).toBe(mine.id);
    presets.delete(mine.id);
    expect(presets.forModel('demo-model')).toBeNull();
    expect(presets.list()).toHaveLength(4);
  });

  it('refuses shipped changes, duplicate names and impossible values with a clear message', () => {
    const presets = new PresetStore(openDatabase(join(tempDir(), 'edgewise.db')));
    const code = presets.byName('code')!;
    expect(() => presets.delete(code.id)).toThrow('"Code" ships with Edgewise and cannot be deleted.');
    expect(() => presets.save({ id: code.id, name: 'Code', settings: code.settings, thinking: false })).toThrow(
      /cannot be changed; save a copy/,
    );
    expect(() => presets.save({ name: 'balanced', settings: defaultSettings, thinking: false })).toThrow(
      'A preset named "Balanced" already exists',
    );
    expect(() => presets.setModelDefault('m', 'no-such-preset')).toThrow(/No preset/);
    const impossible = presetInput.safeParse({
      name: 'Hot',
      settings: { ...defaultSettings, sampling: { ...defaultSettings.sampling, temperature: 5, topP: -1 } },
      thinking: false,
    });
    expect(impossible.success).toBe(false);
    expect(impossible.error?.issues[0]?.path).toEqual(['settings', 'sampling', 'temperature']);
    expect(
      presetInput.safeParse({ name: '  ', settings: defaultSettings, thinking: false }).error?.issues[0]?.message,
    ).toBe('a preset needs a name');
  });
});
