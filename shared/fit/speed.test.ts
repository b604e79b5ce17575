import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { efficiencies, fitDecode, rowPrediction } from './calibrate.ts';
import { publishedRows } from './published.ts';
import { predictSpeed, speedLabel, type Efficiency, type SpeedFacts } from './speed.ts';
import { kvCacheBytes } from './estimator.ts';
import { presetDevices, customDevice, speedFactsOf } from './devices.ts';
import { bestFit, buildMatrix, catalogFitModels, fitModel } from './matrix.ts';
import { loadWarning } from './loadWarning.ts';
import type { ArchFacts } from './archFacts.ts';
import type { Catalog } from '../catalog.ts';

const dense: ArchFacts = {
  parameters: 8e9,
  layers: 32,
  attentionHeads: 32,
  kvHeads: 8,
  headDim: 128,
  embeddingSize: 4096,
  feedForwardSize: 14336,
  vocabSize: 128256,
  trainedContext: 131072,
};
const efficiency: Efficiency = { bandwidth: 0.5, fixedSecondsPerToken: 0.002, compute: 0.25, basis: 'test' };
const device: SpeedFacts = { kind: 'apple-gpu', bandwidthBytesPerSec: 100e9, computeFlops: 8e12, source: 'test' };
const models = catalogFitModels(
  JSON.parse(readFileSync(new URL('../../models/catalog.json', import.meta.url), 'utf8')) as Catalog,
);

describe('predicted speed arithmetic', () => {
  it('decode: fixed cost plus weights and KV cache over the effective bandwidth', () => {
    const p = predictSpeed(
      { facts: dense, weightsBytes: 4.5e9, contextTokens: 4096, kvType: 'f16' },
      device,
      efficiency,
    );
    const kv = kvCacheBytes(dense, 4096, 'f16');
    expect(kv).toBe(2 * 32 * 8 * 128 * 2 * 4096);
    expect(p.bytesPerToken).toBe(4.5e9 + kv);
    expect(p.secondsPerToken).toBeCloseTo(0.002 + (4.5e9 + kv) / 50e9, 12);
    expect(p.decodeTokensPerSec).toBeCloseTo(1 / p.secondsPerToken, 9);
    // a longer context reads more KV cache per token, so decoding is slower
    const long = predictSpeed(
      { facts: dense, weightsBytes: 4.5e9, contextTokens: 65536, kvType: 'f16' },
      device,
      efficiency,
    );
    expect(long.decodeTokensPerSec).toBeLessThan(p.decodeTokensPerSec);
  });

  it('time to first token: 2 × active parameters × prompt tokens over the effective compute, plus one decode step', () => {
    const p = predictSpeed(
      { facts: dense, weightsBytes: 4.5e9, contextTokens: 100, kvType: 'f16', promptTokens: 100 },
      device,
      efficiency,
    );
    expect(p.promptFlops).toBe(2 * 8e9 * 100);
    expect(p.ttftMs).toBeCloseTo(((2 * 8e9 * 100) / 2e12 + p.secondsPerToken) * 1000, 9);
    const defaultPrompt = predictSpeed(
      { facts: dense, weightsBytes: 4.5e9, contextTokens: 100, kvType: 'f16' },
      device,
      efficiency,
    );
    expect(defaultPrompt.promptTokens).toBe(100);
  });

  it('a mixture of experts reads only its active experts per token, and computes only with them', () => {
    const moe = { ...dense, parameters: 30.5e9, activeParameters: 3.3e9, experts: 128, expertsUsed: 8 };
    const p = predictSpeed({ facts: moe, weightsBytes: 17e9, contextTokens: 512, kvType: 'f16' }, device, efficiency);
    expect(p.weightBytesPerToken).toBeCloseTo((17e9 * 3.3) / 30.5, 0);
    expect(p.promptFlops).toBe(2 * 3.3e9 * 100);
  });

  it("this machine's measured rates replace peak × efficiency", () => {
    const measured = {
      threads: 1,
      fixedSecondsPerToken: 0.0005,
      effectiveBytesPerSec: 2e9,
      effectiveFlops: 60e9,
      startSeconds: 0.01,
    };
    const p = predictSpeed(
      { facts: dense, weightsBytes: 1e9, contextTokens: 0, kvType: 'f16' },
      { ...device, measured },
      efficiency,
    );
    expect(p.basis).toBe('measured');
    expect(p.secondsPerToken).toBeCloseTo(0.0005 + 1e9 / 2e9, 12);
    // measured start cost, not a decode step: one prompt evaluation does not pay the per-token cost
    expect(p.ttftMs).toBeCloseTo((0.01 + (2 * 8e9 * 100) / 60e9) * 1000, 6);
  });

  it('labels a prediction the way the matrix shows it', () => {
    expect(speedLabel({ decodeTokensPerSec: 45.3, ttftMs: 204 })).toBe('~45 tok/s, first token ~0.20 s');
    expect(speedLabel({ decodeTokensPerSec: 3.14, ttftMs: 12_400 })).toBe('~3.1 tok/s, first token ~12 s');
    expect(speedLabel({ decodeTokensPerSec: 1234, ttftMs: 3 })).toBe('~1230 tok/s, first token ~3 ms');
  });
});

describe('efficiencies fitted to published llama.cpp rows', () => {
  it('are fitted to the "fit" half only: the held-out rows do not move them', () => {
    for (const kind of ['apple-gpu', 'nvidia-gpu', 'cpu'] as const) {
      const fitted = fitDecode(publishedRows.filter((r) => r.kind === kind && r.half === 'fit'));
      expect(efficiencies()[kind]).toMatchObject(fitted);
      const all = fitDecode(publishedRows.filter((r) => r.kind === kind));
      expect(all).not.toEqual(fitted); // the held-out rows would have changed the fit: they were kept out
    }
  });

  it('predicts the held-out rows within the error the docs report, and the docs table shows every row', () => {
    const doc = readFileSync(new URL('../../docs/fit-predictions.md', import.meta.url), 'utf8');
    const errors: number[] = [];
    const lines: string[] = [];
    for (const row of publishedRows) {
      const p = rowPrediction(row, efficiencies()[row.kind]);
      const error = p.decodeTokensPerSec / row.decodeTokensPerSec - 1;
      if (row.half === 'held-out') errors.push(Math.abs(error));
      const line = `| ${row.half} | ${row.device} | ${row.model} | ${row.decodeTokensPerSec.toFixed(1)} | ${p.decodeTokensPerSec.toFixed(1)} | ${(error * 100).toFixed(0)}% |`;
      lines.push(line);
      expect(doc, `docs/fit-predictions.md lacks the row:\n${line}`).toContain(line);
    }
    errors.sort((a, b) => a - b);
    const medianError = errors[Math.floor(errors.length / 2)]!;
    console.log(lines.join('\n'), `\nheld-out median |error| ${(medianError * 100).toFixed(1)}%`);
    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(medianError).toBeLessThan(0.15);
  });
});

describe('the matrix and the best fit with a reading speed', () => {
  const air = presetDevices.find((d) => d.id === 'macbook-air-16')!;

  it('every preset device has published speed facts with a source', () => {
    for (const d of presetDevices) {
      const s = speedFactsOf(d);
      expect(s.bandwidthBytesPerSec).toBeGreaterThan(10e9);
      expect(s.computeFlops).toBeGreaterThan(0.1e12);
      expect(s.source).toMatch(/\w/);
    }
    expect(speedFactsOf(air).bandwidthBytesPerSec).toBe(120e9); // Apple: M4, 120 GB/s
  });

  it('a device the user adds takes their bandwidth and compute, or its memory type default, and says which', () => {
    const own = customDevice('Box', 64 * 1024 ** 3, 'discrete', 24 * 1024 ** 3, {
      bandwidthBytesPerSec: 936e9,
      computeFlops: 71e12,
    });
    expect(own).toMatchObject({ bandwidthBytesPerSec: 936e9, computeFlops: 71e12, speedKind: 'nvidia-gpu' });
    expect(own.speedSource).toMatch(/entered by the user/);
    const plain = customDevice('Laptop', 16 * 1024 ** 3, 'ram', null);
    expect(plain.bandwidthBytesPerSec).toBe(89.6e9);
    expect(plain.speedSource).toMatch(/default for this memory type/);
  });

  it('shades as too slow only models that fit but are predicted under the reading speed', () => {
    const m = buildMatrix(models, presetDevices, { quant: 'Q4_K_M', ctx: 8192, kvType: 'f16', readingSpeed: 10 });
    const all = m.rows.flatMap((r) => r.cells.flatMap((c) => c.models));
    expect(all.some((x) => x.tooSlow)).toBe(true);
    for (const x of all) {
      expect(x.predictedDecodeTokensPerSec).toBeGreaterThan(0);
      expect(x.predictedTtftMs).toBeGreaterThan(0);
      expect(x.tooSlow).toBe(x.verdict !== 'no' && x.speed.decodeTokensPerSec < 10);
    }
  });

  it('the best fit is the largest comfortable fit at or above the reading speed, and says why', () => {
    for (const readingSpeed of [5, 10, 30]) {
      const best = bestFit(models, air, 4096, 'f16', readingSpeed)!;
      expect(best.verdict).toBe('fits');
      expect(best.predictedDecodeTokensPerSec).toBeGreaterThanOrEqual(readingSpeed);
      expect(best.why).toContain(`${readingSpeed} tok/s`);
      const params = models.find((x) => x.id === best.id)!.facts.parameters;
      for (const m of models.filter((x) => x.facts.parameters > params)) {
        const fit = fitModel(m, air, { quant: 'Q4_K_M', ctx: 4096, kvType: 'f16', readingSpeed });
        expect(fit.verdict !== 'fits' || fit.tooSlow, `${m.name} is larger, fits and is fast enough`).toBe(true);
      }
    }
  });

  it('warns before a load that would be too slow or would not fit, and names what to choose instead', () => {
    const big = models.find((m) => m.id === 'llama-3.3-70b')!;
    const phone = presetDevices.find((d) => d.id === 'phone-12')!;
    expect(loadWarning({ ...big, quantization: 'Q4_K_M' }, phone, 8192, 10, models)).toMatch(
      /needs about .* GB .* Choose .*(tok\/s|smaller model)/,
    );
    const slow = models.find((m) => m.id === 'llama-3.1-8b')!;
    expect(loadWarning({ ...slow, quantization: 'Q4_K_M' }, phone, 4096, 10, models)).toMatch(
      /fits in memory but is predicted at ~[\d.]+ tok\/s .* under your reading speed of 10 tok\/s\. Choose .+ instead/,
    );
    const small = models.find((m) => m.id === 'qwen3-0.6b')!;
    expect(loadWarning({ ...small, quantization: 'Q4_K_M' }, air, 4096, 10, models)).toBeNull();
  });
});
