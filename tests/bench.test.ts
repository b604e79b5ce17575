// Smoke test: the benchmark runs end to end and reports every figure; no timing is asserted here.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.ts';

describe('edgewise bench', () => {
  it('--quick --json measures both layers and names each target pass or fail', () => {
    const out = execFileSync(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--quick', '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out);
    expect(r.machine).toMatchObject({ backend: 'cpu', physicalCores: expect.any(Number), ramBytes: expect.any(Number) });
    expect(r.versions.nodeLlamaCpp).toMatch(/^\d+\.\d+\.\d+/);
    for (const layer of [r.layers.a, r.layers.b]) {
      expect(layer.tokens).toBe(16);
      expect(layer.decodeTokensPerSec).toBeGreaterThan(0);
      expect(layer.ttftMs).toBeGreaterThan(0);
    }
    expect(r.ratios.ba).toBeGreaterThan(0);
    for (const t of r.targets) expect(typeof t.pass).toBe('boolean');
    expect(r.targets.filter((t: { pass: boolean; cause: string | null }) => !t.pass).every((t: { cause: string | null }) => typeof t.cause === 'string')).toBe(true);
  }, 120_000);
});
