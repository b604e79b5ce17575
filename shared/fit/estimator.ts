// How much memory a model needs at a given context: weights + KV cache + compute buffers + runtime.
// Pure arithmetic from architecture facts, following llama.cpp's allocations (llama-kv-cache.cpp,
// llama-context.cpp); each term says where it comes from.
import type { ArchFacts } from './archFacts.ts';
import { kvTypes, quantLevel, type KvType } from './quantLevels.ts';

export interface EstimateOptions {
  contextSize: number;
  kvType: KvType;
  /** Tokens per compute step: llama.cpp's n_ubatch, 512 unless set (node-llama-cpp uses the same). */
  batchSize?: number;
  /** Bytes of weights when known (a GGUF on disk); otherwise counted from parameters × bits per weight. */
  weightsBytes?: number;
  quantization?: string;
  /** false: llama.cpp's graph without flash attention (the engine's setting off); true unless set. */
  flashAttention?: boolean;
}

export interface Estimate {
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  runtimeBytes: number;
  /** compute + runtime: everything that is neither weights nor KV cache. */
  overheadBytes: number;
  totalBytes: number;
  /** Plain-words notes on what was assumed or left out for this model. */
  notes: string[];
}

/**
 * Fixed cost of the llama.cpp CPU build under node-llama-cpp once a model and a context exist: code
 * pages, tokenizer tables, graph metadata, thread pool, output buffer. Measured on the CI machine as the
 * RSS growth of a worker that loads TinyStories-656K-Q8_0 and fills a 512- and an 8192-token context,
 * less the terms computed here; the other test models and context sizes check it (fitReality.test.ts).
 * GPU backends add their driver's own context on top, which this figure does not include.
 */
export const runtimeBytes = 16 * 1024 ** 2;

const pad = (n: number, to: number) => Math.ceil(n / to) * to;

/** Layers that attend over the whole context; the rest see only the sliding window. */
export function globalLayers(facts: ArchFacts): number {
  if (!facts.slidingWindow) return facts.layers;
  // Gemma 3's pattern: every Nth layer is global (layer i is global when (i + 1) % N == 0).
  return facts.slidingWindowPattern ? Math.floor(facts.layers / facts.slidingWindowPattern) : 0;
}

export function kvCacheBytes(facts: ArchFacts, contextSize: number, kvType: KvType, batchSize = 512): number {
  const full = globalLayers(facts);
  const windowed = facts.layers - full;
  // llama.cpp keeps only window + one batch of cells for sliding-window layers (swa_full off),
  // padded to 256 cells (llama_kv_cache_iswa).
  const windowCells = facts.slidingWindow ? Math.min(contextSize, pad(facts.slidingWindow + batchSize + 1, 256)) : 0;
  const perCell = 2 * facts.kvHeads * facts.headDim * kvTypes[kvType]; // K and V
  return perCell * (full * contextSize + windowed * windowCells);
}

export function weightsBytes(facts: ArchFacts, quantization: string): number {
  return (facts.parameters * quantLevel(quantization).bitsPerWeight) / 8;
}

/**
 * Compute buffer with flash attention (llama.cpp's default where supported): the graph allocator's peak
 * is the logits of one batch (vocab × batch × f32) plus the attention mask (context × batch × f16);
 * activations reuse the freed space. Checked against llama.cpp's "compute buffer size" log lines.
 * Without flash attention the graph also holds one layer's attention scores, context × batch × query heads
 * × f32, counted on top: turning it off, llama.cpp logged 52.5 MiB more at 2,048 tokens and 250.5 MiB more
 * at 8,192 for the synthetic 300M (16 heads), where this counts 64 and 256.
 */
export function computeBytes(facts: ArchFacts, contextSize: number, batchSize = 512, flashAttention = true): number {
  const batch = Math.min(batchSize, contextSize);
  const scores = flashAttention ? 0 : contextSize * batch * facts.attentionHeads * 4;
  return facts.vocabSize * batch * 4 + contextSize * batch * 2 + scores;
}

export function estimate(facts: ArchFacts, options: EstimateOptions): Estimate {
  const batch = options.batchSize ?? 512;
  const notes: string[] = [];
  const weights = options.weightsBytes ?? weightsBytes(facts, options.quantization ?? 'Q4_K_M');
  if (facts.experts) {
    notes.push(
      `Mixture of experts: all ${facts.experts} experts (${fmtB(facts.parameters)} parameters) must be resident, though only ${facts.expertsUsed ?? '?'} run per token (${facts.activeParameters ? fmtB(facts.activeParameters) : 'unknown'} active).`,
    );
  }
  if (facts.kvHeads < facts.attentionHeads)
    notes.push(
      `Grouped-query attention: ${facts.kvHeads} KV heads for ${facts.attentionHeads} query heads shrink the KV cache ${facts.attentionHeads / facts.kvHeads}×.`,
    );
  if (facts.slidingWindow)
    notes.push(
      `Sliding-window attention: ${facts.layers - globalLayers(facts)} of ${facts.layers} layers keep only ${facts.slidingWindow} tokens of KV cache.`,
    );
  if (options.contextSize > facts.trainedContext)
    notes.push(
      `The context (${options.contextSize}) exceeds the trained context (${facts.trainedContext}); quality past it is not guaranteed.`,
    );
  if (options.kvType !== 'f16') {
    notes.push(
      facts.headDim % 32 === 0
        ? 'A quantized KV cache needs flash attention in llama.cpp.'
        : `llama.cpp refuses a q8_0 KV cache here: the head dimension (${facts.headDim}) is not a multiple of 32.`,
    );
  }
  const kv = kvCacheBytes(facts, options.contextSize, options.kvType, batch);
  if (options.flashAttention === false)
    notes.push(
      `Without flash attention llama.cpp's compute buffer also holds a batch's attention scores (context × ${batch} tokens × ${facts.attentionHeads} heads × 4 bytes).`,
    );
  const compute = computeBytes(facts, options.contextSize, batch, options.flashAttention ?? true);
  const overhead = compute + runtimeBytes;
  return {
    weightsBytes: Math.round(weights),
    kvCacheBytes: Math.round(kv),
    computeBytes: Math.round(compute),
    runtimeBytes,
    overheadBytes: Math.round(overhead),
    totalBytes: Math.round(weights + kv + overhead),
    notes,
  };
}

function fmtB(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}
