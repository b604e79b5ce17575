// `edgewise chat --attach`: the real CLI process, real files, the real engine on the demo model.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, repoRoot, tempDir } from './fixtures.ts';
import { makePdf } from './documentFiles.ts';

function edgewise(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('edgewise chat --attach', () => {
  it(
    'names each file it cannot read, and stops before loading a model when none can be',
    { timeout: 240_000 },
    async () => {
      const dir = tempDir();
      const locked = join(dir, 'locked.pdf');
      writeFileSync(locked, makePdf([['secret']], { encrypted: true }));
      const { code, stdout, stderr } = await edgewise([
        'chat',
        '--model',
        demoModel,
        '--attach',
        locked,
        '--attach',
        join(dir, 'missing.txt'),
        'What does it say?',
      ]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Not attached: locked.pdf: this PDF is encrypted (password-protected)');
      expect(stderr).toContain(`Not attached: ${join(dir, 'missing.txt')}: no such file or folder.`);
      expect(stderr).toContain('None of the files given with --attach can be read.');
    },
  );

  it(
    'sends the document with the question to the engine, which names what its vocabulary lacks',
    { timeout: 240_000 },
    async () => {
      // The demo model (2,048 tokens, no byte fallback) cannot read the [n] marks: the engine refuses with the
      // reason instead of aborting, which shows the document block reached it; a real chat model reads it.
      const dir = tempDir();
      const note = join(dir, 'key.md');
      writeFileSync(note, 'The spare key is under the blue flowerpot by the door.');
      const { code, stderr } = await edgewise([
        'chat',
        '--model',
        demoModel,
        '--gpu',
        'cpu',
        '--max-tokens',
        '4',
        '--attach',
        note,
        '--json',
        'Where is the spare key?',
      ]);
      expect(stderr).toMatch(/Attached key\.md \(≈14 tokens\): sent whole\. 14 tokens of documents/);
      expect(stderr).toContain('its vocabulary has no token for "[" (U+005B)');
      expect(code).toBe(2);
    },
  );
});
