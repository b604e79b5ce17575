// The quantization lab's levels and result shapes, shared by the quantizer, the CLI and the UI.
import { z } from 'zod';

/**
 * The levels a user can make, each with its llama_ftype (llama.h, enum llama_ftype) and the block size
 * its main tensor type needs along a row. llama.cpp falls a tensor back to another type when the row
 * length is not a multiple of that block (llama-quant.cpp, tensor_type_fallback): K-quants and the
 * ternary types need rows of 256, so on a model with 128-wide rows a "Q2_K" file is mostly Q4_0.
 */
export const quantTargets = [
  { name: 'Q8_0', ftype: 7, rowBlock: 32 },
  { name: 'Q6_K', ftype: 18, rowBlock: 256 },
  { name: 'Q5_K_M', ftype: 17, rowBlock: 256 },
  { name: 'Q5_0', ftype: 8, rowBlock: 32 },
  { name: 'Q4_K_M', ftype: 15, rowBlock: 256 },
  { name: 'Q4_0', ftype: 2, rowBlock: 32 },
  { name: 'Q3_K_M', ftype: 12, rowBlock: 256 },
  { name: 'Q2_K', ftype: 10, rowBlock: 256 },
  { name: 'TQ2_0', ftype: 37, rowBlock: 256 },
  { name: 'TQ1_0', ftype: 36, rowBlock: 256 },
] as const;
export type QuantTypeName = (typeof quantTargets)[number]['name'];
export const quantTypeNames = quantTargets.map((t) => t.name) as [QuantTypeName, ...QuantTypeName[]];
export const quantType = z.enum(quantTypeNames);

/** Source precisions a ladder may start from: requantizing an already coarse file compounds its error. */
export const highPrecisionTypes = ['F32', 'F16', 'BF16', 'Q8_0'];

export const quantizeResult = z.object({
  path: z.string(),
  type: z.string(),
  sizeBytes: z.number(),
  bitsPerWeight: z.number(),
  /** Tensors llama.cpp quantized to another type because their rows did not fit the target's blocks. */
  fallbacks: z.number(),
  seconds: z.number(),
});
export type QuantizeResult = z.infer<typeof quantizeResult>;

export const variantResult = z.object({
  file: z.string(),
  name: z.string(),
  quantization: z.string(),
  sizeBytes: z.number(),
  bitsPerWeight: z.number(),
  loadMs: z.number(),
  peakMemoryBytes: z.number(),
  perplexity: z.number(),
  kldMean: z.number(),
  kldP99: z.number(),
  top1Agreement: z.number(),
  prefillTokensPerSec: z.number(),
  decodeTokensPerSec: z.number(),
  ttftMs: z.number(),
  answer: z.string(),
  isBase: z.boolean(),
});
export type VariantResult = z.infer<typeof variantResult>;

export const comparisonSettings = z.object({
  ctx: z.number().int(),
  textName: z.string(),
  textTokens: z.number().int(),
  chunks: z.number().int(),
  scoredPositions: z.number().int(),
  prompt: z.string(),
  maxTokens: z.number().int(),
  threads: z.number().int(),
});

export const comparison = z.object({
  id: z.string(),
  createdAt: z.number(),
  settings: comparisonSettings,
  variants: z.array(variantResult),
});
export type Comparison = z.infer<typeof comparison>;

const csvColumns = [
  'file',
  'quantization',
  'sizeBytes',
  'bitsPerWeight',
  'perplexity',
  'kldMean',
  'kldP99',
  'top1Agreement',
  'prefillTokensPerSec',
  'decodeTokensPerSec',
  'ttftMs',
  'loadMs',
  'peakMemoryBytes',
] as const;

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per variant, the columns of the JSON output, ready for a spreadsheet. */
export function comparisonCsv(variants: VariantResult[]): string {
  const rows = variants.map((v) => csvColumns.map((c) => csvCell(v[c])).join(','));
  return [csvColumns.join(','), ...rows].join('\n') + '\n';
}

/** The JSON fields the CLI promises per file (`edgewise compare --json`). */
export function comparisonJson(variants: VariantResult[]) {
  return variants.map((v) => ({
    file: v.file,
    sizeBytes: v.sizeBytes,
    bitsPerWeight: v.bitsPerWeight,
    perplexity: v.perplexity,
    kldMean: v.kldMean,
    kldP99: v.kldP99,
    top1Agreement: v.top1Agreement,
    prefillTokensPerSec: v.prefillTokensPerSec,
    decodeTokensPerSec: v.decodeTokensPerSec,
    peakMemoryBytes: v.peakMemoryBytes,
    ttftMs: v.ttftMs,
    loadMs: v.loadMs,
    quantization: v.quantization,
    answer: v.answer,
  }));
}
