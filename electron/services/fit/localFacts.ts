// Architecture facts and weight bytes of a GGUF file on disk, read from its metadata and tensor table
// (node-llama-cpp's readGgufFileInfo), so a local model is counted from what it really holds.
import { readGgufFileInfo } from 'node-llama-cpp';
import type { ArchFacts } from '../../../shared/fit/archFacts.ts';
import { fileTypeNames, ggmlTypes } from '../../../shared/ggmlTypes.ts';

export interface LocalFacts {
  facts: ArchFacts;
  weightsBytes: number;
  quantization: string;
  /** Row lengths of the matrices (2-D and up): a quantized type needs rows that are whole blocks. */
  rowWidths: number[];
}

/** llama.cpp hard-codes Gemma 3's pattern: five sliding-window layers, then one global (llama-model.cpp). */
const swaPatterns: Record<string, number> = { gemma3: 6, gemma3n: 5 };

export function tensorBytes(dimensions: readonly (number | bigint)[], ggmlType: number): number {
  const info = ggmlTypes[ggmlType];
  if (!info) throw new Error(`tensor type ${ggmlType} is unknown`);
  const elements = dimensions.reduce<number>((n, d) => n * Number(d), 1);
  return (elements / info.blockSize) * info.bytesPerBlock;
}

export async function readLocalFacts(path: string): Promise<LocalFacts> {
  const info = await readGgufFileInfo(path, {
    readTensorInfo: true,
    ignoreKeys: ['tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'],
  });
  const arch = info.architectureMetadata as Record<string, unknown> & {
    block_count?: number;
    embedding_length?: number;
    feed_forward_length?: number | number[];
    context_length?: number;
    vocab_size?: number;
    expert_count?: number;
    expert_used_count?: number;
    attention?: {
      head_count?: number | number[];
      head_count_kv?: number | number[];
      key_length?: number;
      sliding_window?: number;
    };
  };
  const tensors = info.tensorInfo ?? [];
  const first = (v: number | number[] | undefined) => (Array.isArray(v) ? Math.max(...v) : v);
  const layers = arch.block_count ?? 0;
  const heads = first(arch.attention?.head_count) ?? 0;
  const embedding = arch.embedding_length ?? 0;
  const tokens = info.metadata.tokenizer?.ggml?.tokens;
  const vocab = arch.vocab_size ?? tokens?.length ?? 0;
  const name = info.metadata.general?.architecture ?? '';
  const missing = Object.entries({ layers, heads, embedding, vocab })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0)
    throw new Error(`its metadata lacks ${missing.join(', ')}, so its memory cannot be estimated`);
  const parameters = tensors.reduce((n, t) => n + t.dimensions.reduce<number>((m, d) => m * Number(d), 1), 0);
  const window = arch.attention?.sliding_window;
  const facts: ArchFacts = {
    parameters,
    layers,
    attentionHeads: heads,
    kvHeads: first(arch.attention?.head_count_kv) ?? heads,
    headDim: arch.attention?.key_length ?? embedding / heads,
    embeddingSize: embedding,
    feedForwardSize: first(arch.feed_forward_length) ?? embedding * 4,
    vocabSize: vocab,
    trainedContext: arch.context_length ?? 2048,
    ...(window ? { slidingWindow: window, slidingWindowPattern: swaPatterns[name] } : {}),
    ...(arch.expert_count ? { experts: arch.expert_count, expertsUsed: arch.expert_used_count } : {}),
  };
  const weightsBytes = tensors.reduce((n, t) => n + tensorBytes(t.dimensions, t.ggmlType), 0);
  const fileType = info.metadata.general?.file_type;
  const quantization = fileType === undefined ? dominantType(tensors) : (fileTypeNames[fileType] ?? `type ${fileType}`);
  const rowWidths = tensors.filter((t) => t.dimensions.length >= 2).map((t) => Number(t.dimensions[0]));
  return { facts, weightsBytes, quantization, rowWidths };
}

/** Files without general.file_type (older converters): the type holding the most bytes. */
export function dominantType(
  tensors: readonly { dimensions: readonly (number | bigint)[]; ggmlType: number }[],
): string {
  const bytes = new Map<number, number>();
  for (const t of tensors) bytes.set(t.ggmlType, (bytes.get(t.ggmlType) ?? 0) + tensorBytes(t.dimensions, t.ggmlType));
  const [type] = [...bytes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return type === undefined ? 'unknown' : (ggmlTypes[type]?.name ?? `type ${type}`);
}
