// A llama-architecture GGUF of a chosen size with random weights and a real model's tokenizer, for
// measuring real-size speed without a download: decoding reads every weight once per token whatever
// its value, so the speed of a random 300M model is the speed of a trained 300M one of that shape.
// Written in F16, then quantized with the quantization lab (llama.cpp's own quantizer).
import { open, readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { checkGguf } from '../library/ggufCheck.ts';
import { quantizeModel } from './quantizer.ts';
import type { QuantTypeName } from '../../../shared/quant.ts';

export interface SyntheticShape {
  embedding: number;
  layers: number;
  ff: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  ctx: number;
}

/** Llama-like proportions: FFN ≈ 2.75 × embedding (a multiple of 256), head size 64, GQA 4:1 from 1024 up. */
export function shapeFor(parameters: number, vocab: number): SyntheticShape {
  const embedding =
    parameters < 60e6 ? 256 : parameters < 150e6 ? 512 : parameters < 600e6 ? 1024 : parameters < 2.5e9 ? 2048 : 4096;
  const ff = Math.round((embedding * 2.75) / 256) * 256;
  const heads = embedding / 64;
  const kvHeads = embedding >= 1024 ? heads / 4 : heads;
  const perLayer = 2 * embedding * embedding + 2 * embedding * (kvHeads * 64) + 3 * embedding * ff + 2 * embedding;
  const layers = Math.max(1, Math.round((parameters - 2 * vocab * embedding) / perLayer));
  return { embedding, layers, ff, heads, kvHeads, vocab, ctx: 4096 };
}

export function parseParameterCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMB])$/i.exec(text.trim());
  if (!m) throw new Error(`--params must look like 300M or 1.5B (got "${text}")`);
  return Number(m[1]) * { K: 1e3, M: 1e6, B: 1e9 }[m[2]!.toUpperCase() as 'K' | 'M' | 'B'];
}

export class GgufBytes {
  readonly parts: Buffer[] = [];
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.parts.push(b);
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.parts.push(b);
  }
  f32(n: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.parts.push(b);
  }
  str(s: string) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.parts.push(b);
  }
  kv(key: string, type: 'u32' | 'f32' | 'str', value: number | string) {
    this.str(key);
    this.u32({ u32: 4, f32: 6, str: 8 }[type]);
    if (type === 'str') this.str(value as string);
    else if (type === 'f32') this.f32(value as number);
    else this.u32(value as number);
  }
  /** An array key-value: 8 = strings, 6 = f32, 5 = i32. */
  arr(key: string, type: 'str' | 'f32' | 'i32', values: readonly (string | number)[]) {
    this.str(key);
    this.u32(9);
    this.u32({ str: 8, f32: 6, i32: 5 }[type]);
    this.u64(values.length);
    for (const v of values) {
      if (type === 'str') this.str(v as string);
      else if (type === 'f32') this.f32(v as number);
      else {
        const b = Buffer.alloc(4);
        b.writeInt32LE(v as number);
        this.parts.push(b);
      }
    }
  }
  bool(key: string, value: boolean) {
    this.str(key);
    this.u32(7);
    this.parts.push(Buffer.from([value ? 1 : 0]));
  }
  get length() {
    return this.parts.reduce((n, b) => n + b.length, 0);
  }
}

function halfBits(value: number): number {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  return sign | (exponent << 10) | ((x >>> 13) & 0x3ff);
}

/** 64K random halves, uniform in ±scale, picked from at random: fast enough for gigabytes. */
function randomHalves(scale: number): Uint16Array {
  const table = new Uint16Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = halfBits((Math.random() * 2 - 1) * scale);
  return table;
}

interface TensorSpec {
  name: string;
  dims: number[];
  type: 0 | 1;
}

function tensorsOf(s: SyntheticShape): TensorSpec[] {
  const kv = s.kvHeads * 64;
  const list: TensorSpec[] = [
    { name: 'token_embd.weight', dims: [s.embedding, s.vocab], type: 1 },
    { name: 'output_norm.weight', dims: [s.embedding], type: 0 },
    { name: 'output.weight', dims: [s.embedding, s.vocab], type: 1 },
  ];
  for (let i = 0; i < s.layers; i++) {
    list.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [s.embedding], type: 0 },
      { name: `blk.${i}.attn_q.weight`, dims: [s.embedding, s.embedding], type: 1 },
      { name: `blk.${i}.attn_k.weight`, dims: [s.embedding, kv], type: 1 },
      { name: `blk.${i}.attn_v.weight`, dims: [s.embedding, kv], type: 1 },
      { name: `blk.${i}.attn_output.weight`, dims: [s.embedding, s.embedding], type: 1 },
      { name: `blk.${i}.ffn_norm.weight`, dims: [s.embedding], type: 0 },
      { name: `blk.${i}.ffn_gate.weight`, dims: [s.embedding, s.ff], type: 1 },
      { name: `blk.${i}.ffn_up.weight`, dims: [s.embedding, s.ff], type: 1 },
      { name: `blk.${i}.ffn_down.weight`, dims: [s.ff, s.embedding], type: 1 },
    );
  }
  return list;
}

const ALIGN = 32;
const pad = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Bumped whenever what make-model writes changes, so that a model cached under bench-results/models/ by
 * an older version is made again rather than measured as if it were the new one. 2: a ChatML template.
 */
export const SYNTHETIC_FORMAT = 2;

/** The cached synthetic model's file name for a size and type ("synthetic-300M-Q4_0-v2.gguf"). */
export const syntheticFileName = (params: string, type: string) =>
  `synthetic-${params}-${type}-v${SYNTHETIC_FORMAT}.gguf`;

/**
 * ChatML, as llama.cpp recognises it: a chat template gives both Edgewise and llama-server the same way to
 * turn a conversation into a prompt (llama-server refuses a chat request to a model without one, with
 * "400 _Map_base::at"), and makes the synthetic model measure what a chat model costs.
 */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const CHATML_TOKENS = ['<|im_start|>', '<|im_end|>'];
/** Key-values written anew rather than copied: the vocabulary (with ChatML's tokens added) and the template. */
const REWRITTEN_KEYS = new Set([
  'tokenizer.ggml.tokens',
  'tokenizer.ggml.scores',
  'tokenizer.ggml.token_type',
  'tokenizer.chat_template',
]);
/** llama.cpp's token type for control tokens: read as one token in a template, never spelt out by the model. */
const CONTROL = 3;
const BYTE = 6;

/** The borrowed vocabulary with ChatML's two control tokens appended where it lacks them. */
async function chatVocabulary(path: string): Promise<{ tokens: string[]; scores: number[]; types: number[] }> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false });
  const ggml = info.metadata.tokenizer?.ggml as
    { tokens?: readonly string[]; scores?: readonly number[]; token_type?: readonly number[] } | undefined;
  const tokens = [...(ggml?.tokens ?? [])];
  if (tokens.length === 0) throw new Error(`${basename(path)} has no tokenizer.ggml.tokens to borrow`);
  const scores = ggml?.scores ? [...ggml.scores] : tokens.map(() => 0);
  const types = ggml?.token_type ? [...ggml.token_type] : tokens.map(() => 1);
  const add = (token: string, type: number) => {
    if (tokens.includes(token)) return;
    tokens.push(token);
    scores.push(0);
    types.push(type);
  };
  for (const token of CHATML_TOKENS) add(token, CONTROL);
  // Byte fallback, as trained SentencePiece vocabularies have: without it llama.cpp aborts on any
  // character the vocabulary lacks, which node-llama-cpp's chat template probing tokenizes.
  if (ggml && (info.metadata.tokenizer?.ggml as { model?: string }).model === 'llama')
    for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, BYTE);
  return { tokens, scores, types };
}

/**
 * Writes the F16 model: the tokenizer's key-values are copied byte for byte from the real model, except
 * the vocabulary, which gains ChatML's tokens, and the chat template, which is ChatML.
 */
export async function writeF16Model(
  out: string,
  parameters: number,
  tokenizerFrom: string,
): Promise<{ shape: SyntheticShape; parameters: number }> {
  const source = await checkGguf(tokenizerFrom);
  const tokens = source.metadata.get('tokenizer.ggml.tokens') as { length: number } | undefined;
  if (!tokens) throw new Error(`${basename(tokenizerFrom)} has no tokenizer.ggml.tokens to borrow`);
  const raw = await readFile(tokenizerFrom);
  const chat = await chatVocabulary(tokenizerFrom);
  const tokenizerKvs = [...source.kvRanges]
    .filter(([key]) => key.startsWith('tokenizer.') && !REWRITTEN_KEYS.has(key))
    .map(([, [a, b]]) => raw.subarray(a, b));
  const shape = shapeFor(parameters, chat.tokens.length);

  const header = new GgufBytes();
  const label = `${(parameters / 1e6).toFixed(0)}M`;
  const kvs: [string, 'u32' | 'f32' | 'str', number | string][] = [
    ['general.architecture', 'str', 'llama'],
    ['general.name', 'str', `Edgewise synthetic ${label} (random weights)`],
    ['general.file_type', 'u32', 1],
    ['general.alignment', 'u32', ALIGN],
    ['llama.context_length', 'u32', shape.ctx],
    ['llama.embedding_length', 'u32', shape.embedding],
    ['llama.block_count', 'u32', shape.layers],
    ['llama.feed_forward_length', 'u32', shape.ff],
    ['llama.attention.head_count', 'u32', shape.heads],
    ['llama.attention.head_count_kv', 'u32', shape.kvHeads],
    ['llama.rope.dimension_count', 'u32', 64],
    ['llama.attention.layer_norm_rms_epsilon', 'f32', 1e-5],
    ['llama.vocab_size', 'u32', shape.vocab],
  ];
  const tensors = tensorsOf(shape);
  header.parts.push(Buffer.from('GGUF', 'latin1'));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(kvs.length + tokenizerKvs.length + REWRITTEN_KEYS.size);
  for (const [key, type, value] of kvs) header.kv(key, type, value);
  header.parts.push(...tokenizerKvs);
  header.arr('tokenizer.ggml.tokens', 'str', chat.tokens);
  header.arr('tokenizer.ggml.scores', 'f32', chat.scores);
  header.arr('tokenizer.ggml.token_type', 'i32', chat.types);
  header.kv('tokenizer.chat_template', 'str', CHATML_TEMPLATE);
  let offset = 0;
  const placed = tensors.map((t) => {
    const bytes = t.dims.reduce((a, b) => a * b, 1) * (t.type === 0 ? 4 : 2);
    const at = offset;
    offset = pad(offset + bytes);
    return { ...t, bytes, at };
  });
  for (const t of placed) {
    header.str(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(t.type);
    header.u64(t.at);
  }
  const headerBytes = Buffer.concat(header.parts);
  const dataStart = pad(headerBytes.length);

  const file = await open(out, 'w');
  try {
    await file.write(headerBytes, 0, headerBytes.length, 0);
    const halves = randomHalves(0.02);
    const chunk = new Uint16Array(1 << 21);
    for (const t of placed) {
      let position = dataStart + t.at;
      if (t.type === 0) {
        const ones = new Float32Array(t.bytes / 4).fill(1);
        await file.write(Buffer.from(ones.buffer), 0, t.bytes, position);
        continue;
      }
      let left = t.bytes / 2;
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        for (let i = 0; i < n; i++) chunk[i] = halves[(Math.random() * 65536) | 0]!;
        await file.write(Buffer.from(chunk.buffer, 0, n * 2), 0, n * 2, position);
        position += n * 2;
        left -= n;
      }
    }
  } finally {
    await file.close();
  }
  const total = tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
  return { shape, parameters: total };
}

export interface MakeModelResult {
  path: string;
  type: string;
  parameters: number;
  shape: SyntheticShape;
  sizeBytes: number;
  seconds: number;
}

export async function makeSyntheticModel(options: {
  parameters: number;
  type: QuantTypeName | 'F16';
  tokenizerFrom: string;
  out: string;
  threads: number;
}): Promise<MakeModelResult> {
  const started = performance.now();
  const f16Path = options.type === 'F16' ? options.out : options.out.replace(/\.gguf$/, '') + '.f16.gguf.tmp';
  const { shape, parameters } = await writeF16Model(f16Path, options.parameters, options.tokenizerFrom);
  let sizeBytes;
  try {
    if (options.type === 'F16') {
      sizeBytes = (await checkGguf(f16Path)).fileSize;
    } else {
      sizeBytes = (
        await quantizeModel({ source: f16Path, type: options.type, out: options.out, threads: options.threads })
      ).sizeBytes;
    }
  } finally {
    if (options.type !== 'F16') await rm(f16Path, { force: true });
  }
  return {
    path: options.out,
    type: options.type,
    parameters,
    shape,
    sizeBytes,
    seconds: (performance.now() - started) / 1000,
  };
}
