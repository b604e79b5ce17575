// `edgewise route` as a user runs it: a child process, no model.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.ts';

describe('edgewise route', () => {
  it('--json prints the decision without running a model', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(repoRoot, 'electron/cli/index.ts'),
        'route',
        '--json',
        '--battery',
        '15',
        '--tiers',
        'device,partner',
        '--policy',
        'auto',
        'Prove that the square root of 2 is irrational.',
      ],
      { encoding: 'utf8' },
    );
    const d = JSON.parse(out);
    expect(d).toMatchObject({
      tier: 'partner',
      consentRequired: true,
      signals: { privacy: { detected: [] }, battery: { percent: 15, charging: false }, connectivity: { online: true } },
    });
    expect(typeof d.signals.complexity).toBe('number');
    expect(d.reasons.length).toBeGreaterThan(0);
    const offline = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'electron/cli/index.ts'),
          'route',
          '--json',
          '--offline',
          '--tiers',
          'device,private,partner',
          'Prove it.',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(offline.tier).toBe('device');
  });
});
