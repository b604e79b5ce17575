import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, repoRoot, stories260k, tempDir } from '../../tests/fixtures.ts';

function edgewise(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('edgewise chat', () => {
  it('--json prints one object with honest figures', async () => {
    const { code, stdout } = await edgewise(['chat', '--model', demoModel, '--gpu', 'cpu', '--temperature', '0', '--max-tokens', '20', '--raw', '--json', 'Once upon a time']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['text', 'model', 'backend', 'ttftMs', 'promptTokens', 'outputTokens', 'prefillTokensPerSec', 'decodeTokensPerSec', 'stopReason']));
    expect(result).toMatchObject({ model: 'TinyStories-656K-Q8_0.gguf', backend: 'cpu', outputTokens: 20, stopReason: 'maxTokens' });
    expect(result.text.startsWith(', a little girl named Lily')).toBe(true);
    expect(result.ttftMs).toBeGreaterThan(0);
    expect(result.decodeTokensPerSec).toBeGreaterThan(0);
  });

  it('streams plain text with another model', async () => {
    const { code, stdout } = await edgewise(['chat', '--model', stories260k, '--gpu', 'cpu', '--max-tokens', '10', '--seed', '7', 'Once upon a time']);
    expect(code).toBe(0);
    expect(stdout.trim().length).toBeGreaterThan(0);
  });

  it('exit 2 for bad input, 3 for a model that cannot load', async () => {
    expect((await edgewise(['chat', '--temperature', 'hot', 'hi'])).code).toBe(2);
    expect((await edgewise(['chat', ''])).code).toBe(2);
    expect((await edgewise(['chat', '--model', '/nope/missing.gguf', 'hi'])).code).toBe(2);
    const broken = join(tempDir(), 'broken.gguf');
    writeFileSync(broken, readFileSync(demoModel).subarray(0, 5000));
    const result = await edgewise(['chat', '--model', broken, 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/truncated|past the end/);
    const untokenizable = await edgewise(['chat', '--gpu', 'cpu', 'tell me # things']);
    expect(untokenizable.code).toBe(2);
    expect(untokenizable.stderr).toContain('no token for "#"');
  });
});
