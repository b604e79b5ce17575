import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { catalog } from '../catalog.ts';
import { customDevice, presetDevices, verdictFor } from './devices.ts';
import { computeBytes, estimate, globalLayers, kvCacheBytes, runtimeBytes, weightsBytes } from './estimator.ts';
import { bestFit, buildMatrix, catalogFitModels, recommendableQuants, tierOf } from './matrix.ts';
import { quantLevel } from './quantLevels.ts';

const models = catalog.parse(
  JSON.parse(readFileSync(new URL('../../models/catalog.json', import.meta.url), 'utf8')),
).models;
const facts = (id: string) => models.find((m) => m.id === id)!.facts!;
const GiB = 1024 ** 3;
const device = (id: string) => presetDevices.find((d) => d.id === id)!;

describe('estimator, against figures worked out by hand', () => {
  it('Llama 3.1 8B at 8K, f16 KV: 2 × 32 layers × 8 KV heads × 128 × 8192 × 2 bytes = exactly 1 GiB', () => {
    const f = facts('llama-3.1-8b');
    expect(kvCacheBytes(f, 8192, 'f16')).toBe(GiB);
    expect(weightsBytes(f, 'Q8_0')).toBe((8.03e9 * 8.5) / 8);
    // logits of one 512-token batch (128256 × 512 × 4) + attention mask (8192 × 512 × 2)
    expect(computeBytes(f, 8192)).toBe(262_668_288 + 8_388_608);
    const e = estimate(f, { contextSize: 8192, kvType: 'f16', quantization: 'Q4_K_M' });
    expect(e.weightsBytes).toBe(Math.round(4.58 * GiB)); // llama.cpp's table: Q4_K_M of Llama-3-8B is 4.58 GiB
    expect(e.totalBytes).toBe(e.weightsBytes + GiB + 271_056_896 + runtimeBytes);
    expect(e.notes.join(' ')).toMatch(/Grouped-query attention: 8 KV heads for 32 query heads/);
  });

  it('without flash attention the compute buffer also holds a batch of attention scores: 8192 × 512 × 32 heads × 4 bytes', () => {
    const f = facts('llama-3.1-8b');
    expect(computeBytes(f, 8192, 512, false) - computeBytes(f, 8192)).toBe(536_870_912);
    const on = estimate(f, { contextSize: 8192, kvType: 'f16', quantization: 'Q4_K_M' });
    const off = estimate(f, { contextSize: 8192, kvType: 'f16', quantization: 'Q4_K_M', flashAttention: false });
    expect(off.totalBytes - on.totalBytes).toBe(536_870_912);
    expect(off.notes.join(' ')).toMatch(/Without flash attention .* 32 heads × 4 bytes/);
    expect(on.notes.join(' ')).not.toMatch(/Without flash attention/);
  });

  it('Qwen3 0.6B at 32K with a q8_0 KV cache: 2 × 28 × 8 × 128 × 32768 × 34/32 bytes', () => {
    const f = facts('qwen3-0.6b');
    expect(kvCacheBytes(f, 32768, 'q8_0')).toBe(1_996_488_704);
    expect(kvCacheBytes(f, 32768, 'f16')).toBe(2 * 28 * 8 * 128 * 32768 * 2);
    expect(weightsBytes(f, 'F16')).toBe(1.2e9);
  });

  it('Gemma 3 1B: 22 of 26 layers keep only a 512-token window (+ one batch, padded to 256 cells)', () => {
    const f = facts('gemma-3-1b');
    expect(globalLayers(f)).toBe(4);
    // per cell 2 × 1 KV head × 256 × 2 bytes = 1024 bytes; 4 layers × 32768 cells + 22 layers × 1280 cells
    expect(kvCacheBytes(f, 32768, 'f16')).toBe(1024 * (4 * 32768 + 22 * 1280));
    expect(kvCacheBytes(f, 1024, 'f16')).toBe(1024 * 26 * 1024); // the window is wider than the context
    expect(estimate(f, { contextSize: 32768, kvType: 'f16' }).notes.join(' ')).toMatch(/22 of 26 layers/);
  });

  it('a mixture of experts keeps every expert resident: Qwen3 30B-A3B weighs as 30.5B, not 3.3B', () => {
    const e = estimate(facts('qwen3-30b-a3b'), { contextSize: 4096, kvType: 'f16', quantization: 'Q4_0' });
    expect(e.weightsBytes).toBe((30.5e9 * 4.5) / 8);
    expect(e.notes.join(' ')).toMatch(/all 128 experts/);
  });

  it('BitNet b1.58 at TQ1_0 is 1.6875 bits per weight (256 weights in 54 bytes)', () => {
    expect(quantLevel('TQ1_0').bitsPerWeight).toBe((54 * 8) / 256);
    expect(weightsBytes(facts('bitnet-b1.58-2b4t'), 'TQ1_0')).toBe((2.41e9 * 1.6875) / 8);
  });

  it('a level that does not exist is a clear error', () => {
    expect(() => quantLevel('Q9_K')).toThrow(/Unknown quantization "Q9_K"/);
  });
});

describe('budgets and verdicts', () => {
  it('Llama 3.1 8B Q4_K_M at 8K: does not fit a 6 GB phone, tight on 12 GB, fits a 16 GB MacBook Air', () => {
    const total = estimate(facts('llama-3.1-8b'), {
      contextSize: 8192,
      kvType: 'f16',
      quantization: 'Q4_K_M',
    }).totalBytes;
    expect(verdictFor(total, device('phone-6')).verdict).toBe('no');
    expect(verdictFor(total, device('phone-12')).verdict).toBe('tight');
    const air = verdictFor(total, device('macbook-air-16'));
    expect(air.verdict).toBe('fits');
    expect(air.marginBytes).toBeCloseTo((16 * GiB * 2) / 3 - total, 0);
  });

  it('a discrete GPU that spills into system RAM is tight at best', () => {
    const pc = customDevice('Gaming PC', 32 * GiB, 'discrete', 8 * GiB);
    expect(verdictFor(5 * GiB, pc).verdict).toBe('fits');
    const spill = verdictFor(10 * GiB, pc);
    expect(spill.verdict).toBe('tight');
    expect(spill.reason).toMatch(/spills past VRAM/);
    expect(verdictFor(30 * GiB, pc).verdict).toBe('no');
  });
});

describe('matrix', () => {
  const fitModels = catalogFitModels({ version: 1, models });

  it('a device with flash attention off (this machine, per the engine setting) counts the attention scores', () => {
    const llama = fitModels.filter((m) => m.id === 'llama-3.1-8b');
    const controls = { quant: 'Q4_K_M', ctx: 8192, kvType: 'f16' } as const;
    const air = device('macbook-air-16');
    const on = buildMatrix(llama, [air], controls).rows.flatMap((r) => r.cells.flatMap((c) => c.models))[0]!;
    const off = buildMatrix(llama, [{ ...air, flashAttention: false }], controls).rows.flatMap((r) =>
      r.cells.flatMap((c) => c.models),
    )[0]!;
    expect(off.computeBytes - on.computeBytes).toBe(8192 * 512 * 32 * 4);
    expect(off.totalBytes - on.totalBytes).toBe(8192 * 512 * 32 * 4);
  });

  it('has the JSON shape the CLI promises and puts each model in its size tier', () => {
    const m = buildMatrix(fitModels, presetDevices, { quant: 'Q4_K_M', ctx: 8192, kvType: 'f16' });
    expect(m.rows.map((r) => r.tier)).toEqual(['under 1B', '1-3B', '3-8B', '8-15B', '15-30B', '30B+']);
    expect(m.devices[0]).toMatchObject({
      name: '4-6 GB phone (iPhone 17)',
      memoryBytes: 6 * GiB,
      budgetBytes: 3 * GiB,
    });
    const cell = m.rows.find((r) => r.tier === '3-8B')!.cells[0]!;
    expect(Object.keys(cell)).toEqual(['device', 'verdict', 'models']);
    expect(cell.models[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        weightsBytes: expect.any(Number),
        kvCacheBytes: expect.any(Number),
        overheadBytes: expect.any(Number),
        totalBytes: expect.any(Number),
      }),
    );
    expect(tierOf(0.6e9)).toBe('under 1B');
    expect(tierOf(8.03e9)).toBe('3-8B');
    expect(tierOf(70.6e9)).toBe('30B+');
  });

  it('changing the context or the quantization changes verdicts', () => {
    const cellOf = (ctx: number, quant: string) =>
      buildMatrix(fitModels, presetDevices, { quant, ctx, kvType: 'f16' })
        .rows.find((r) => r.tier === '3-8B')!
        .cells.find((c) => c.device === '16 GB MacBook Air')!.verdict;
    expect(cellOf(4096, 'Q4_K_M')).toBe('fits');
    expect(cellOf(131072, 'Q4_K_M')).not.toBe('fits');
    expect(cellOf(4096, 'F16')).not.toBe('fits');
  });

  it('offers ternary and 2-3 bit levels only for models trained for them', () => {
    expect(recommendableQuants(fitModels.find((m) => m.id === 'bitnet-b1.58-2b4t')!)).toContain('TQ1_0');
    expect(recommendableQuants(fitModels.find((m) => m.id === 'llama-3.3-70b')!)).not.toContain('TQ1_0');
  });

  it('recommends the largest model and level that fits comfortably', () => {
    const best = bestFit(fitModels, device('macbook-air-16'), 4096, 'f16')!;
    expect(best.quantization).not.toMatch(/Q2_K|Q3_K_M|TQ1_0/);
    expect(best.verdict).toBe('fits');
    const bigger = fitModels.filter(
      (m) => m.facts.parameters > fitModels.find((x) => x.id === best.id)!.facts.parameters,
    );
    for (const m of bigger) {
      expect(
        buildMatrix([m], [device('macbook-air-16')], { quant: 'Q4_K_M', ctx: 4096, kvType: 'f16' }).rows.flatMap(
          (r) => r.cells[0]!.models,
        )[0]!.verdict,
      ).not.toBe('fits');
    }
  });
});
