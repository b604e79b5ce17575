// The probe's arithmetic and its cache, without the engine (speedReality.test.ts runs the engine).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { FitService } from './fitService.ts';
import { fitLine, machineKey, probeBandwidth, probePromptTokens, quantile } from './speedProbe.ts';
import { openDatabase } from '../store/database.ts';
import { SettingsStore } from '../store/settingsStore.ts';
import { demoModel, tempDir } from '../../../tests/fixtures.ts';
import type { MachineMemory } from '../engine/workerContract.ts';

describe('speed probe', () => {
  it('recovers the fixed cost, bandwidth, compute and start cost from two models', () => {
    const fixed = 0.002;
    const bw = 4e9;
    const flops = 50e9;
    const start = 0.01;
    const point = (bytes: number, parameters: number) => ({
      bytes,
      parameters,
      secondsPerToken: fixed + bytes / bw,
      ttftMs: (start + (2 * parameters * probePromptTokens) / flops) * 1000,
    });
    const line = fitLine(1, point(1e6, 0.6e6), point(90e6, 160e6));
    expect(line.fixedSecondsPerToken).toBeCloseTo(fixed, 9);
    expect(line.effectiveBytesPerSec).toBeCloseTo(bw, -3);
    expect(line.effectiveFlops).toBeCloseTo(flops, -3);
    expect(line.startSeconds).toBeCloseTo(start, 9);
  });

  it('measures memory bandwidth in under a second', () => {
    const started = performance.now();
    const bw = probeBandwidth();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(bw).toBeGreaterThan(0.2e9);
    expect(bw).toBeLessThan(1e12);
  });

  it('quantiles interpolate', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 9);
  });

  it("caches this machine's figures keyed by machine, and the reading speed, in the settings", async () => {
    const dir = tempDir('edgewise-fit-speed-');
    const db = openDatabase(join(dir, 'edgewise.db'));
    const memory: MachineMemory = {
      backend: 'cpu',
      gpuDevices: [],
      ramTotal: 8 * 1024 ** 3,
      ramFree: 4 * 1024 ** 3,
      vramTotal: null,
      vramFree: null,
      unifiedBytes: 0,
    };
    const make = () =>
      new FitService({
        catalog: { version: 1, models: [] },
        settings: new SettingsStore(db),
        memory: async () => memory,
        engineThreads: 1,
        probeDir: join(dir, 'probe'),
        tokenizerFrom: demoModel,
        timer: async () => {
          throw new Error('not measured in this test');
        },
      });
    const first = await make().machine();
    expect(first.bandwidthBytesPerSec).toBeGreaterThan(0);
    expect(first.speedSource).toMatch(/not measured yet/);
    const again = await make().machine();
    expect(again.bandwidthBytesPerSec).toBe(first.bandwidthBytesPerSec);
    const stored = new SettingsStore(db).get('fit.machineSpeed', z.record(z.string(), z.unknown()), {});
    expect(Object.keys(stored)).toEqual([machineKey()]);
    expect(make().readingSpeed()).toBe(10);
    make().setReadingSpeed(25);
    expect(make().readingSpeed()).toBe(25);
    db.close();
  });
});
