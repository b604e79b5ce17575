// Bytes per weight of each quantization level a user can pick.
//
// Single-type levels are exact, from ggml's block layouts (ggml-common.h): a Q8_0 block holds 32
// weights in 34 bytes = 8.5 bits per weight; Q6_K 256 in 210 = 6.5625; TQ1_0 256 in 54 = 1.6875.
// Mixed levels (the _K_M and Q2_K "ftypes") quantize some tensors with a larger type (attn_v, ffn_down,
// output), so their average is measured, not derived: the figures are llama.cpp's own table in
// tools/quantize/quantize.cpp (file sizes for Llama-3-8B, 8.03 B parameters), e.g. Q4_K_M "4.58G":
// 4.58 GiB × 8 / 8.03e9 = 4.90 bits per weight. Models with a large vocabulary relative to their size
// (Gemma 3 1B) deviate from that average; a GGUF on disk is always counted from its own tensors.
export interface QuantLevel {
  name: string;
  bitsPerWeight: number;
  source: string;
}

const llamaCpp8B = (gib: number) => (gib * 1024 ** 3 * 8) / 8.03e9;

export const quantLevels: QuantLevel[] = [
  { name: 'F16', bitsPerWeight: 16, source: 'ggml F16: 2 bytes per weight' },
  { name: 'Q8_0', bitsPerWeight: 8.5, source: 'ggml block_q8_0: 32 weights in 34 bytes' },
  { name: 'Q6_K', bitsPerWeight: 6.5625, source: 'ggml block_q6_K: 256 weights in 210 bytes' },
  { name: 'Q5_K_M', bitsPerWeight: llamaCpp8B(5.33), source: 'llama.cpp quantize table: 5.33 GiB for Llama-3-8B' },
  { name: 'Q4_K_M', bitsPerWeight: llamaCpp8B(4.58), source: 'llama.cpp quantize table: 4.58 GiB for Llama-3-8B' },
  { name: 'Q4_0', bitsPerWeight: 4.5, source: 'ggml block_q4_0: 32 weights in 18 bytes' },
  { name: 'Q3_K_M', bitsPerWeight: llamaCpp8B(3.74), source: 'llama.cpp quantize table: 3.74 GiB for Llama-3-8B' },
  { name: 'Q2_K', bitsPerWeight: llamaCpp8B(2.96), source: 'llama.cpp quantize table: 2.96 GiB for Llama-3-8B' },
  { name: 'TQ1_0', bitsPerWeight: 1.6875, source: 'ggml block_tq1_0: 256 weights in 54 bytes (ternary, 1.58-bit)' },
];

export function quantLevel(name: string): QuantLevel {
  const level = quantLevels.find((q) => q.name === name);
  if (!level)
    throw new Error(`Unknown quantization "${name}"; choose one of ${quantLevels.map((q) => q.name).join(', ')}.`);
  return level;
}

/** KV cache element types: f16 is 2 bytes; q8_0 is 34 bytes per 32 elements (llama.cpp needs flash attention for a quantized V cache). */
export const kvTypes = { f16: 2, q8_0: 34 / 32 } as const;
export type KvType = keyof typeof kvTypes;
