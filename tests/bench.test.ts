// Smoke test: the benchmark runs end to end and reports every figure; no timing is asserted here.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tempDir } from './fixtures.ts';

describe('edgewise bench', () => {
  it('--quick --json measures both layers and names each target pass or fail', () => {
    const out = execFileSync(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--quick', '--json'],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out);
    expect(r.machine).toMatchObject({
      backend: 'cpu',
      physicalCores: expect.any(Number),
      ramBytes: expect.any(Number),
    });
    expect(r.versions.nodeLlamaCpp).toMatch(/^\d+\.\d+\.\d+/);
    for (const layer of [r.layers.a, r.layers.b]) {
      expect(layer.tokens).toBe(128);
      expect(layer.decodeTokensPerSec).toBeGreaterThan(0);
      expect(layer.ttftMs).toBeGreaterThan(0);
    }
    expect(r.ratios.ba).toBeGreaterThan(0);
    // (c): the real UI in Chromium, start-up, a short stream under watch and the 500-message scroll.
    expect(r.notMeasured).toEqual([]);
    expect(r.layers.c.tokens).toBeGreaterThan(0);
    expect(typeof r.ratios.ca).toBe('number');
    expect(r.startup.interactiveMs).toBeGreaterThan(r.startup.serveMs);
    expect(r.underFire.tokens).toBeGreaterThanOrEqual(300);
    // The same under fire as Markdown, from the loopback private tier: the page drew its table and math.
    expect(r.underFireMarkdown.tokens).toBe(300);
    expect(r.underFireMarkdown.rendered.tables).toBeGreaterThan(0);
    expect(r.underFireMarkdown.rendered.formulas).toBeGreaterThan(0);
    expect(r.scroll.renderedArticles).toBeLessThan(r.scroll.messages / 10);
    for (const t of r.targets) expect(typeof t.pass).toBe('boolean');
    expect(
      r.targets
        .filter((t: { pass: boolean; cause: string | null }) => !t.pass)
        .every((t: { cause: string | null }) => typeof t.cause === 'string'),
    ).toBe(true);
  }, 180_000);

  it('make-model writes a llama GGUF of the asked size with a real tokenizer, quantized by llama.cpp', () => {
    const out = join(tempDir('edgewise-make-'), 'synthetic.gguf');
    const r = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'electron/cli/index.ts'),
          'bench',
          'make-model',
          '--params',
          '5M',
          '--type',
          'Q4_0',
          '--out',
          out,
          '--json',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(r.parameters).toBeGreaterThan(4e6);
    expect(r.parameters).toBeLessThan(6e6);
    const answer = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'electron/cli/index.ts'),
          'chat',
          '--model',
          out,
          '--raw',
          '--max-tokens',
          '8',
          '--json',
          'Once upon a time',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(answer).toMatchObject({ quantization: 'Q4_0', outputTokens: 8 });
  }, 120_000);
});
