import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  buildRoot,
  bundlePath,
  cmakeBuildArgs,
  cmakeConfigureArgs,
  llamaBenchArgs,
  llamaServerArgs,
  parseBundleHead,
  parseLlamaBench,
} from './llamaCppTools.ts';
import { peerTarget, ratioSummary } from './peerStats.ts';

describe('building the peer from the llama.cpp source node-llama-cpp ships', () => {
  it("reads the bundle's commit and keys the build cache by it, outside the repository", () => {
    expect(parseBundleHead('de3ff815ea7d559ee917f063901b8986f038abc6 HEAD\n')).toBe(
      'de3ff815ea7d559ee917f063901b8986f038abc6',
    );
    expect(() => parseBundleHead('')).toThrow(/No commit/);
    expect(buildRoot('abc', '/home/u/.cache')).toBe('/home/u/.cache/edgewise/llama.cpp/abc');
    // The bundle node-llama-cpp installs is where the source comes from.
    expect(existsSync(bundlePath())).toBe(true);
  });

  it('configures a static, offline, AVX2/AVX-512 (not native: AMX crashes) CPU build of only llama-bench and llama-server', () => {
    const configure = cmakeConfigureArgs('/s', '/b');
    for (const flag of [
      '-DBUILD_SHARED_LIBS=OFF',
      '-DLLAMA_CURL=OFF',
      '-DGGML_NATIVE=OFF',
      '-DGGML_AVX2=ON',
      '-DGGML_AVX512=ON',
      '-DCMAKE_BUILD_TYPE=Release',
    ])
      expect(configure).toContain(flag);
    expect(configure.slice(0, 4)).toEqual(['-S', '/s', '-B', '/b']);
    expect(cmakeBuildArgs('/b', 2)).toEqual(['--build', '/b', '--target', 'llama-bench', 'llama-server', '-j', '2']);
  });

  it('runs llama-bench and llama-server on the same model, threads and context as Edgewise', () => {
    expect(llamaBenchArgs({ model: '/m.gguf', threads: 1, promptTokens: 64, genTokens: 128 })).toEqual([
      '-m',
      '/m.gguf',
      '-t',
      '1',
      '-p',
      '64',
      '-n',
      '128',
      '-r',
      '1',
      '-o',
      'json',
    ]);
    const server = llamaServerArgs({ model: '/m.gguf', threads: 2, port: 8099, contextSize: 2048 });
    expect(server).toEqual(
      expect.arrayContaining(['-m', '/m.gguf', '-t', '2', '--host', '127.0.0.1', '--port', '8099']),
    );
    expect(server[server.indexOf('-c') + 1]).toBe('2048');
    // Each side's own default (auto) unless the run forces flash attention on both.
    expect(server).not.toContain('-fa');
    const off = { model: '/m.gguf', threads: 1, flashAttention: 'off' as const };
    expect(llamaBenchArgs({ ...off, promptTokens: 64, genTokens: 128 }).slice(0, 2)).toEqual(['-fa', 'off']);
    expect(llamaServerArgs({ ...off, port: 8099, contextSize: 2048 }).slice(0, 2)).toEqual(['-fa', 'off']);
  });

  it("reads llama-bench's JSON: prefill from the pp test, decode from the tg test", () => {
    const json = JSON.stringify([
      { n_prompt: 64, n_gen: 0, avg_ts: 4812.5, n_threads: 1 },
      { n_prompt: 0, n_gen: 128, avg_ts: 3387.2, n_threads: 1 },
    ]);
    expect(parseLlamaBench(json)).toEqual({ prefillTokensPerSec: 4812.5, decodeTokensPerSec: 3387.2 });
    expect(() => parseLlamaBench('[{"n_prompt":64,"n_gen":0,"avg_ts":1}]')).toThrow(/decode \(tg\)/);
    expect(() => parseLlamaBench('not json')).toThrow();
  });
});

describe('ratios over alternating repetitions', () => {
  it('takes the median ratio and its spread, skipping repetitions where the peer measured nothing', () => {
    const s = ratioSummary([
      { edgewise: 29, peer: 38 },
      { edgewise: 33, peer: 36 },
      { edgewise: 30, peer: 42 },
      { edgewise: 10, peer: 0 },
    ]);
    expect(s.repetitions).toBe(3);
    expect(s.median).toBeCloseTo(29 / 38, 6);
    expect(s.min).toBeCloseTo(30 / 42, 6);
    expect(s.max).toBeCloseTo(33 / 36, 6);
    expect(s.spread).toBeCloseTo((33 / 36 - 30 / 42) / (29 / 38), 6);
    expect(() => ratioSummary([{ edgewise: 1, peer: 0 }])).toThrow(/No repetition/);
  });

  it('prints PASS or FAIL with the cause and the range', () => {
    const s = ratioSummary([
      { edgewise: 29, peer: 38 },
      { edgewise: 30, peer: 36 },
      { edgewise: 31, peer: 40 },
    ]);
    const fail = peerTarget('/v1 decode ≥ 1.0× llama-server', s, { atLeast: 1 }, 'slower streaming');
    expect(fail.pass).toBe(false);
    expect(fail.cause).toMatch(/^slower streaming \(median 0\.7\d\d over 3 repetitions, 0\.7\d\d–0\.8\d\d\)$/);
    const pass = peerTarget('TTFT ≤ llama-server', s, { atMost: 1 }, 'slower first token');
    expect(pass).toEqual({ name: 'TTFT ≤ llama-server', pass: true, value: 0.775, cause: null });
  });
});
