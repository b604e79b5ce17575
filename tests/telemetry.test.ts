// Telemetry beside a real generation: the sampler's rate and cost, and its figures against node-llama-cpp's.
import { describe, expect, it } from 'vitest';
import { describeSources, powerSources } from '../electron/services/telemetry/powerSources.ts';
import { TelemetryService, type Sample } from '../electron/services/telemetry/telemetryService.ts';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { defaultSampling } from '../shared/schemas.ts';
import { demoModel, tempDir } from './fixtures.ts';

describe('telemetry service with a real engine', () => {
  it('samples a real generation at 4 Hz for under 1% of a core, agrees with node-llama-cpp, and stays quiet when idle', async () => {
    // The measured default threads, with ignore-EOS: the story cannot end early, and it is stopped once it has
    // spanned 8 sampling periods (2 s), however fast or loaded this machine is (the demo model writes a whole
    // story in 0.15 s on an idle one, and a few tokens a second on a busy one).
    const stop = new AbortController();
    const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu', ignoreEos: true });
    try {
      await engine.load({ id: 'demo', name: 'demo', path: demoModel });
      // one token first, so the context exists before sampling starts (a sample taken while it is being
      // made reads a context of 0, which a busy machine can catch)
      await engine.generate(
        {
          requestId: 'warm',
          mode: 'raw',
          systemPrompt: '',
          history: [{ role: 'user', text: 'Once upon a time' }],
          contextSize: 1024,
          sampling: { ...defaultSampling, maxTokens: 1 },
        },
        () => {},
      );
      const emitted: Sample[][] = [];
      const service = new TelemetryService({
        sources: powerSources('linux', tempDir()),
        usage: () => engine.usage(),
        emit: (s) => {
          emitted.push(s);
          if (emitted.flat().length >= 8) stop.abort();
        },
      });
      const run = await service.start('m3');
      const stamps: number[] = [];
      const counts: number[] = [];
      const result = await engine.generate(
        {
          requestId: 'r',
          mode: 'raw',
          systemPrompt: '',
          history: [{ role: 'user', text: 'Once upon a time' }],
          contextSize: 1024,
          sampling: { ...defaultSampling, temperature: 0, maxTokens: 20000 },
        },
        (_text, tokens) => {
          stamps.push(performance.now());
          counts.push(tokens);
          run.setTokens(tokens);
        },
        stop.signal,
      );
      const summary = run.finish(result.outputTokens);
      expect(result.stopReason).toBe('aborted'); // stopped after 8 samples: it did not end on its own first
      const samples = emitted.flat();
      const seconds = (stamps.at(-1)! - stamps[0]!) / 1000;
      expect(samples.length).toBeGreaterThanOrEqual(Math.floor(seconds * 4) - 1);
      expect(
        samples.every(
          (s) =>
            s.rssBytes! > 10e6 &&
            s.contextSize! > 0 &&
            s.contextTokens! <= s.contextSize! &&
            s.vramUsedBytes === null && // the CPU backend has no VRAM to measure
            s.vramTotalBytes === null,
        ),
        JSON.stringify(samples.slice(0, 2)),
      ).toBe(true);
      expect(new Set(samples.map((s) => s.tokensPerSec?.toFixed(1))).size).toBeGreaterThan(1);
      console.log(
        `telemetry: ${samples.length} samples over ${seconds.toFixed(2)} s, sampler CPU ${(summary.samplerCpuShare * 100).toFixed(3)}% of a core`,
      );
      expect(summary.samplerCpuShare).toBeLessThan(0.01);
      expect(summary.energyJoules).toBeNull();
      expect(summary.powerUnavailable).toMatch(/no RAPL.*no \/sys\/class\/power_supply/);
      // our token count is node-llama-cpp's own token meter, less the end-of-text token it also counts;
      // our decode rate matches the tokens seen arriving here (two clocks, two processes: within 25%); counted
      // by the token count each message carries, since the worker batches tokens that come within 2 ms
      // (counting messages undercounted a fast model's rate and failed the clean-clone run)
      expect(result.engineOutputTokens - result.outputTokens).toBe(result.stopReason === 'eos' ? 1 : 0);
      const observed = (counts.at(-1)! - counts[0]!) / seconds;
      expect(Math.abs(result.decodeTokensPerSec - observed) / observed).toBeLessThan(0.25);
      const before = emitted.length;
      await new Promise((r) => setTimeout(r, 700));
      expect(emitted.length).toBe(before); // idle: no sampling
    } finally {
      await engine.dispose();
    }
  }, 120_000);

  it('on a Vulkan driver that reports no memory in use (llvmpipe), sends no VRAM figure and says why', async () => {
    const linux = powerSources('linux', tempDir());
    // Vulkan on Mesa's software device (llvmpipe), whose driver reports 0 bytes in use with a model
    // loaded (no memory-budget query): no figure is made up, and the panel is told why.
    process.env.GGML_VK_VISIBLE_DEVICES = '0';
    const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'vulkan' });
    try {
      expect((await engine.load({ id: 'demo', name: 'demo', path: demoModel })).backend).toBe('vulkan');
      const emitted: Sample[][] = [];
      const service = new TelemetryService({
        sources: linux,
        usage: () => engine.usage(),
        emit: (s) => emitted.push(s),
      });
      const run = await service.start('m4');
      const result = await engine.generate(
        {
          requestId: 'v',
          mode: 'raw',
          systemPrompt: '',
          history: [{ role: 'user', text: 'Once upon a time' }],
          contextSize: 512,
          sampling: { ...defaultSampling, temperature: 0, maxTokens: 200 },
        },
        (_text, tokens) => run.setTokens(tokens),
      );
      const summary = run.finish(result.outputTokens);
      const samples = emitted.flat();
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.every((s) => s.vramUsedBytes === null && s.vramTotalBytes === null)).toBe(true);
      expect(summary.peakVramBytes).toBeNull();
      const usage = await engine.usage();
      expect(usage!.vramUsedBytes).toBeNull();
      expect((await describeSources(linux, 'vulkan', undefined, usage!.vramUsedBytes)).vram).toMatchObject({
        available: false,
        detail: expect.stringMatching(/vulkan device reports no memory in use.*memory-budget/),
      });
    } finally {
      delete process.env.GGML_VK_VISIBLE_DEVICES;
      await engine.dispose();
    }
  }, 90_000);
});
