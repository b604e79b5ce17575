// The quantization lab on the real test models: llama.cpp's quantizer through koffi, and perplexity /
// KL divergence checked against figures from llama.cpp's own tools (fixtures/llama-cpp-reference.json).
import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, f16Model, repoRoot, sharedModels, stories260k, tempDir } from './fixtures.ts';
import { compareModels } from '../electron/services/quant/comparison.ts';
import { quantizeModel, QuantizeError, sweepPartials } from '../electron/services/quant/quantizer.ts';
import { percentile } from '../electron/services/quant/quality.ts';
import { comparisonCsv } from '../shared/quant.ts';

const reference = JSON.parse(
  readFileSync(join(repoRoot, 'electron', 'services', 'quant', 'fixtures', 'llama-cpp-reference.json'), 'utf8'),
) as {
  quantize: { Q4_0: { sha256: string; sizeBytes: number } };
  perplexity: { cases: { model: string; ctx: number; perplexity: number }[] };
  klDivergence: { ctx: number; kldMean: number; kldP99: number; sameTopPercent: number };
};
const referenceText = join(repoRoot, 'models', 'text', 'reference.txt');
const secondQ8 = join(sharedModels, 'tinystories-656k-q8_0.gguf');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const compare = (files: string[], ctx = 128) =>
  compareModels({ files, textPath: referenceText, ctx, prompt: 'Once upon a time', maxTokens: 16, threads: 1 });
const expectedPpl = (model: string, ctx: number) =>
  reference.perplexity.cases.find((c) => c.model === model && c.ctx === ctx)!.perplexity;

describe('quantization lab', () => {
  const dir = tempDir('edgewise-quant-');
  const q4 = join(dir, 'ts-Q4_0.gguf');
  const q2 = join(dir, 'ts-Q2_K.gguf');

  beforeAll(async () => {
    const progress: number[] = [];
    const made = await quantizeModel({
      source: f16Model,
      type: 'Q4_0',
      out: q4,
      threads: 2,
      onProgress: (p) => progress.push(p.done / p.total),
    });
    expect(made.bitsPerWeight).toBeGreaterThan(4);
    expect(made.bitsPerWeight).toBeLessThan(8);
    expect(progress.at(-1)).toBe(1);
    await quantizeModel({ source: f16Model, type: 'Q2_K', out: q2, threads: 2 });
  }, 120_000);

  it("makes the same Q4_0 file, byte for byte, as llama.cpp's llama-quantize", () => {
    expect(readFileSync(q4).length).toBe(reference.quantize.Q4_0.sizeBytes);
    expect(sha256(q4)).toBe(reference.quantize.Q4_0.sha256);
  });

  it('reports Q2_K honestly on a model whose rows are too short for K-quants', async () => {
    // TinyStories-656K's rows are 128 and 384 wide; Q2_K needs multiples of 256, so llama.cpp falls every
    // matrix back to Q4_0: the two files hold the same weights (only general.file_type differs).
    const q4Bytes = readFileSync(q4);
    const q2Bytes = readFileSync(q2);
    expect(q2Bytes.length).toBe(q4Bytes.length);
    let differing = 0;
    for (let i = 0; i < q4Bytes.length; i++) if (q4Bytes[i] !== q2Bytes[i]) differing++;
    expect(differing).toBe(1);
  });

  it('measures perplexity as llama-perplexity does, within 1%', async () => {
    const { variants } = await compare([demoModel, q4], 128);
    expect(Math.abs(variants[0]!.perplexity / expectedPpl('TinyStories-656K-Q8_0.gguf', 128) - 1)).toBeLessThan(0.01);
    expect(
      Math.abs(variants[1]!.perplexity / expectedPpl('llama-quantize Q4_0 of TinyStories-656K.f16.gguf', 128) - 1),
    ).toBeLessThan(0.01);
  }, 120_000);

  it('finds perplexity rising and agreement falling as bits fall, with KL divergence as llama.cpp measures it', async () => {
    const { variants, settings } = await compare([f16Model, demoModel, q4, q2], reference.klDivergence.ctx);
    const [f16, q8, q4r, q2r] = variants as [
      (typeof variants)[0],
      (typeof variants)[0],
      (typeof variants)[0],
      (typeof variants)[0],
    ];
    expect(settings.chunks).toBeGreaterThanOrEqual(2);
    expect(f16.isBase).toBe(true);
    expect(f16.kldMean).toBe(0);
    expect(Math.abs(f16.perplexity / expectedPpl('TinyStories-656K.f16.gguf', 256) - 1)).toBeLessThan(0.01);
    expect(q8.perplexity).toBeGreaterThan(f16.perplexity);
    expect(q4r.perplexity).toBeGreaterThan(q8.perplexity);
    expect(q2r.perplexity).toBeGreaterThanOrEqual(q4r.perplexity * 0.9999);
    expect(q4r.kldMean).toBeGreaterThan(q8.kldMean);
    expect(q4r.top1Agreement).toBeLessThan(q8.top1Agreement);
    expect(Math.abs(q4r.kldMean / reference.klDivergence.kldMean - 1)).toBeLessThan(0.01);
    expect(Math.abs(q4r.kldP99 / reference.klDivergence.kldP99 - 1)).toBeLessThan(0.01);
    expect(Math.abs(q4r.top1Agreement * 100 - reference.klDivergence.sameTopPercent)).toBeLessThan(0.5);
    for (const v of variants) {
      expect(v.answer.length).toBeGreaterThan(0);
      expect(v.decodeTokensPerSec).toBeGreaterThan(0);
      expect(v.peakMemoryBytes).toBeGreaterThan(0);
    }
    const csv = comparisonCsv(variants).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toContain('perplexity');
  }, 180_000);

  it('finds no divergence between a file and itself, and almost none between two independent Q8_0 conversions', async () => {
    const { variants } = await compare([demoModel, demoModel, secondQ8]);
    expect(variants[1]!.kldMean).toBe(0);
    expect(variants[1]!.kldP99).toBe(0);
    expect(variants[1]!.top1Agreement).toBe(1);
    expect(variants[1]!.perplexity).toBe(variants[0]!.perplexity);
    expect(variants[2]!.kldMean).toBeLessThan(1e-4);
    expect(variants[2]!.top1Agreement).toBeGreaterThan(0.99);
    expect(Math.abs(variants[2]!.perplexity / variants[0]!.perplexity - 1)).toBeLessThan(0.001);
  }, 120_000);

  it('leaves nothing behind when a quantization is cancelled', async () => {
    const out = join(dir, 'cancelled-Q5_0.gguf');
    const controller = new AbortController();
    const run = quantizeModel({
      source: f16Model,
      type: 'Q5_0',
      out,
      threads: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('cancelled'))).toEqual([]);
  });

  it('refuses bad sources and levels with a clear reason, writing nothing', async () => {
    await expect(quantizeModel({ source: q4, type: 'Q2_K', out: join(dir, 'x.gguf'), threads: 1 })).rejects.toThrow(
      /is Q4_0\. Start a ladder from F32, F16, BF16, Q8_0/,
    );
    await expect(
      quantizeModel({ source: f16Model, type: 'TQ1_0', out: join(dir, 'x.gguf'), threads: 1 }),
    ).rejects.toThrow(/TQ1_0 needs tensor rows that are multiples of 256/);
    await expect(quantizeModel({ source: f16Model, type: 'Q4_0', out: q4, threads: 1 })).rejects.toThrow(
      /already exists/,
    );
    const truncated = join(dir, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(f16Model).subarray(0, 4000));
    await expect(
      quantizeModel({ source: truncated, type: 'Q4_0', out: join(dir, 'y.gguf'), threads: 1 }),
    ).rejects.toBeInstanceOf(QuantizeError);
    expect(existsSync(join(dir, 'x.gguf')) || existsSync(join(dir, 'y.gguf'))).toBe(false);
  });

  it('refuses to compare files that are not the same model', async () => {
    await expect(compare([demoModel, stories260k])).rejects.toThrow(/tokenizes the reference text differently/);
  });

  it('sweeps .partial files a crashed run left behind', async () => {
    const leftovers = tempDir('edgewise-sweep-');
    writeFileSync(join(leftovers, 'a-Q4_0.gguf.partial'), 'half');
    copyFileSync(demoModel, join(leftovers, 'kept.gguf'));
    expect(await sweepPartials(leftovers)).toEqual(['a-Q4_0.gguf.partial']);
    expect(readdirSync(leftovers)).toEqual(['kept.gguf']);
  });

  it('takes percentiles the way llama-perplexity does', () => {
    expect(percentile([0, 1, 2, 3, 4], 0.99)).toBeCloseTo(3.96, 10);
    expect(percentile([5], 0.99)).toBe(5);
  });
});
