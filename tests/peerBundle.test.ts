import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { bundlePath, parseBundleHead } from '../electron/tools/bench/peer/llamaCppTools.ts';

describe('the llama.cpp source bundle node-llama-cpp ships', () => {
  it('names the commit the peer build is keyed by (git bundle list-heads on the real file)', () => {
    const heads = execFileSync('git', ['bundle', 'list-heads', bundlePath()], { encoding: 'utf8', windowsHide: true });
    expect(parseBundleHead(heads)).toMatch(/^[0-9a-f]{40}$/);
  });
});
