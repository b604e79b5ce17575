// The quantization lab's and the model manager's commands, as a user runs them.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, f16Model, repoRoot, stories260k, tempDir } from './fixtures.ts';

function edgewise(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

describe('edgewise quantize and compare', () => {
  it('quantize --json makes a level into the data folder; compare --json gives the promised fields per file', async () => {
    const dataDir = tempDir('edgewise-cli-lab-');
    const made = await edgewise(['quantize', f16Model, '--type', 'Q4_0', '--json'], { EDGEWISE_DATA_DIR: dataDir });
    expect(made.code).toBe(0);
    const result = JSON.parse(made.stdout);
    expect(result).toMatchObject({ path: join(dataDir, 'models', 'TinyStories-656K-Q4_0.gguf'), type: 'Q4_0' });
    const { code, stdout } = await edgewise([
      'compare',
      f16Model,
      result.path,
      '--ctx',
      '128',
      '--tokens',
      '8',
      '--json',
    ]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining([
          'file',
          'sizeBytes',
          'bitsPerWeight',
          'perplexity',
          'kldMean',
          'kldP99',
          'top1Agreement',
          'prefillTokensPerSec',
          'decodeTokensPerSec',
          'peakMemoryBytes',
        ]),
      );
    }
    expect(rows[0]).toMatchObject({ file: f16Model, kldMean: 0, top1Agreement: 1 });
    expect(rows[1].kldMean).toBeGreaterThan(0);
  }, 120_000);

  it('requantizes from Q8_0, but refuses a coarse source, a wrong type or a lone file with exit code 2', async () => {
    const q4 = join(tempDir(), 'from-q8.gguf');
    expect((await edgewise(['quantize', demoModel, '--type', 'Q4_0', '--out', q4])).code).toBe(0);
    const coarse = await edgewise(['quantize', q4, '--type', 'Q2_K', '--out', join(tempDir(), 'x.gguf')]);
    expect(coarse.code).toBe(2);
    expect(coarse.stderr).toMatch(/is Q4_0\. Start a ladder from/);
    expect((await edgewise(['quantize', f16Model, '--type', 'Q9_9'])).code).toBe(2);
    expect((await edgewise(['compare', f16Model])).code).toBe(2);
  }, 60_000);
});

describe('edgewise models', () => {
  it('imports a file in place or as a copy, lists them, forgets the first, deletes the copy and refuses the bundled model', async () => {
    const env = { EDGEWISE_DATA_DIR: tempDir('edgewise-cli-models-'), OLLAMA_MODELS: tempDir(), HOME: tempDir() };
    const imported = await edgewise(['models', 'import', stories260k], env);
    expect(imported.code).toBe(0);
    const id = /as (m-[0-9a-f]+)/.exec(imported.stdout)![1]!;
    const copied = await edgewise(['models', 'import', f16Model, '--copy'], env);
    expect(copied.code).toBe(0);
    const list = JSON.parse((await edgewise(['models', 'list', '--json'], env)).stdout) as {
      id: string;
      source: string;
      path: string;
    }[];
    expect(list.map((m) => m.source).sort()).toEqual(['added', 'bundled', 'library']);
    const catalog = JSON.parse((await edgewise(['models', 'list', '--catalog', '--json'], env)).stdout) as {
      id: string;
    }[];
    expect(catalog.map((m) => m.id)).toContain('qwen3-0.6b');
    expect((await edgewise(['models', 'rm', id], env)).stdout).toMatch(/Forgot .*stories260K.gguf/);
    expect(existsSync(stories260k)).toBe(true);
    const owned = list.find((m) => m.source === 'library')!;
    expect((await edgewise(['models', 'rm', owned.id], env)).stdout).toMatch(/Deleted/);
    expect(existsSync(owned.path)).toBe(false);
    const bundled = list.find((m) => m.source === 'bundled')!;
    expect((await edgewise(['models', 'rm', bundled.id], env)).code).toBe(2);
    expect((await edgewise(['models', 'pull', 'no-such-model'], env)).code).toBe(2);
  }, 60_000);
});
