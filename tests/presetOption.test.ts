// `edgewise chat --preset NAME` on the real demo model, with a preset saved in a real data folder.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../electron/services/store/database.ts';
import { PresetStore } from '../electron/services/store/presetStore.ts';
import { defaultSettings } from '../shared/schemas.ts';
import { demoModel, repoRoot, tempDir } from './fixtures.ts';

function edgewise(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), ...args],
      { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('edgewise chat --preset', () => {
  it('answers with a saved preset’s settings, flags winning over it, and names the presets when one is unknown', async () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'edgewise.db'));
    new PresetStore(db).save({
      name: 'Three tokens',
      settings: { ...defaultSettings, sampling: { ...defaultSettings.sampling, temperature: 0, maxTokens: 3 } },
      thinking: false,
    });
    db.close();
    const run = (extra: string[]) =>
      edgewise(dataDir, [
        'chat',
        '--model',
        demoModel,
        '--gpu',
        'cpu',
        '--raw',
        '--json',
        ...extra,
        'Once upon a time',
      ]);

    const short = await run(['--preset', 'three tokens']);
    expect(short.code).toBe(0);
    const answer = JSON.parse(short.stdout);
    expect(answer.preset).toBe('Three tokens');
    expect(answer.outputTokens).toBe(3);

    const longer = JSON.parse((await run(['--preset', 'Three tokens', '--max-tokens', '8'])).stdout);
    expect(longer.outputTokens).toBeGreaterThan(3);

    const unknown = await run(['--preset', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'No preset named "Nope". Presets: Precise, Balanced, Creative, Code, Three tokens.',
    );
  });
});
