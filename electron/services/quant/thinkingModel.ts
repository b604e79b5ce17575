// A tiny model that thinks, for testing reasoning support on the real engine: no model in the test
// folder is a reasoning model, and a trained one is gigabytes. Its vocabulary holds Qwen3's markers
// (<|im_start|>, <|im_end|>, <think>, </think>) and its chat template is Qwen3-style, so node-llama-cpp
// resolves a chat wrapper that parses thought segments exactly as it does for Qwen3.
//
// The weights are crafted, not random: every layer is zero, so the hidden state is the last token's
// embedding (one-hot), and the output matrix maps each token to one successor with a logit of ~36 against
// 0 for the rest. The model is a deterministic bigram chain at any temperature:
//   "\n" (end of the generation prompt) → <think> → "\n" → the thought → </think> → "\n\n" → the answer → <|im_end|>
// With thinking turned off the template ends the prompt in "<think>\n\n</think>\n\n", whose last token
// ("\n\n") leads straight to the answer. Two different tokens read "\n" (a piece and the <0x0A> byte), so
// the chain can pass through a newline twice without looping.
import { open } from 'node:fs/promises';
import { GgufBytes } from './syntheticModel.ts';

export const THINKING_MODEL_THOUGHT = [
  'Okay,',
  ' the',
  ' user',
  ' greets',
  ' me.',
  ' A',
  ' short,',
  ' friendly',
  ' reply',
  ' fits.',
];
export const THINKING_MODEL_ANSWER = ['Hello!', ' Nice', ' to', ' meet', ' you.'];

/** The thought as node-llama-cpp's segment carries it, and the answer, as the model writes them. */
export const thinkingModelText = {
  thought: THINKING_MODEL_THOUGHT.join(''),
  answer: THINKING_MODEL_ANSWER.join(''),
};

// Qwen3's shape: the answer after the last question carries its thought block (empty when it has none),
// and enable_thinking = false opens the answer with an empty one.
const CHAT_TEMPLATE = `{%- for message in messages -%}
{{- '<|im_start|>' + message.role + '\\n' -}}
{%- if message.role == 'assistant' and loop.last -%}
{{- '<think>\\n' + (message.reasoning_content or '') + '\\n</think>\\n\\n' -}}
{%- endif -%}
{{- message.content + '<|im_end|>\\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n' -}}
{%- if enable_thinking is defined and enable_thinking is false -%}
{{- '<think>\\n\\n</think>\\n\\n' -}}
{%- else -%}
{{- '<think>\\n' -}}
{%- endif -%}
{%- endif -%}`;

// llama.cpp's token types.
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const USER_DEFINED = 4;
const BYTE = 6;

interface Vocabulary {
  tokens: string[];
  types: number[];
  scores: number[];
  id: (token: string) => number;
}

const spm = (piece: string) => piece.replaceAll(' ', '\u2581');

function vocabulary(): Vocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const add = (token: string, type: number) => {
    tokens.push(token);
    types.push(type);
  };
  add('<unk>', UNKNOWN);
  add('<s>', CONTROL);
  add('</s>', CONTROL);
  add('<|im_start|>', CONTROL);
  add('<|im_end|>', CONTROL);
  add('<think>', USER_DEFINED);
  add('</think>', USER_DEFINED);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, BYTE);
  add('\n', NORMAL);
  add('\n\n', NORMAL);
  // A space of its own: without it a space falls back to the bytes of "▁" and reads back as "▁".
  add('\u2581', NORMAL);
  for (const piece of [...THINKING_MODEL_THOUGHT, ...THINKING_MODEL_ANSWER]) add(spm(piece), NORMAL);
  const index = new Map(tokens.map((t, i) => [t, i]));
  return {
    tokens,
    types,
    // Longer pieces score higher, so "\n\n" wins over two "\n" when the tokenizer merges.
    scores: tokens.map((t, i) => (types[i] === NORMAL ? -1 / [...t].length : 0)),
    id: (token) => {
      const i = index.get(token);
      if (i === undefined) throw new Error(`no token ${JSON.stringify(token)}`);
      return i;
    },
  };
}

/** Each token's one successor: the chain described at the top; anything else ends the answer. */
function successors(v: Vocabulary): number[] {
  const next = v.tokens.map(() => v.id('<|im_end|>'));
  const chain = [
    '\n',
    ...THINKING_MODEL_THOUGHT.map(spm),
    '<0x0A>',
    '</think>',
    '\n\n',
    ...THINKING_MODEL_ANSWER.map(spm),
    '<|im_end|>',
  ];
  for (let i = 0; i + 1 < chain.length; i++) next[v.id(chain[i]!)] = v.id(chain[i + 1]!);
  return next;
}

const ALIGN = 32;
const pad = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** Writes the model (F32, about 1 MB) to `out`. */
export async function writeThinkingModel(out: string): Promise<{ path: string; vocab: number; sizeBytes: number }> {
  const v = vocabulary();
  const vocab = v.tokens.length;
  const embedding = Math.ceil(vocab / 64) * 64;
  const ff = 128;
  const heads = embedding / 64;
  const tensors: { name: string; dims: number[]; fill?: (data: Float32Array) => void }[] = [
    {
      name: 'token_embd.weight',
      dims: [embedding, vocab],
      fill: (d) => v.tokens.forEach((_, t) => (d[t * embedding + t] = 1)),
    },
    { name: 'output_norm.weight', dims: [embedding], fill: (d) => d.fill(1) },
    {
      name: 'output.weight',
      dims: [embedding, vocab],
      fill: (d) => successors(v).forEach((n, t) => (d[n * embedding + t] = 2)),
    },
    { name: 'blk.0.attn_norm.weight', dims: [embedding], fill: (d) => d.fill(1) },
    { name: 'blk.0.attn_q.weight', dims: [embedding, embedding] },
    { name: 'blk.0.attn_q_norm.weight', dims: [64], fill: (d) => d.fill(1) },
    { name: 'blk.0.attn_k.weight', dims: [embedding, embedding] },
    { name: 'blk.0.attn_k_norm.weight', dims: [64], fill: (d) => d.fill(1) },
    { name: 'blk.0.attn_v.weight', dims: [embedding, embedding] },
    { name: 'blk.0.attn_output.weight', dims: [embedding, embedding] },
    { name: 'blk.0.ffn_norm.weight', dims: [embedding], fill: (d) => d.fill(1) },
    { name: 'blk.0.ffn_gate.weight', dims: [embedding, ff] },
    { name: 'blk.0.ffn_up.weight', dims: [embedding, ff] },
    { name: 'blk.0.ffn_down.weight', dims: [ff, embedding] },
  ];
  const h = new GgufBytes();
  const kvCount = 23;
  h.parts.push(Buffer.from('GGUF', 'latin1'));
  h.u32(3);
  h.u64(tensors.length);
  h.u64(kvCount);
  h.kv('general.architecture', 'str', 'qwen3');
  h.kv('general.name', 'str', 'Edgewise Qwen3-style thinking test model (crafted weights)');
  h.kv('general.file_type', 'u32', 0);
  h.kv('general.alignment', 'u32', ALIGN);
  h.kv('qwen3.context_length', 'u32', 4096);
  h.kv('qwen3.embedding_length', 'u32', embedding);
  h.kv('qwen3.block_count', 'u32', 1);
  h.kv('qwen3.feed_forward_length', 'u32', ff);
  h.kv('qwen3.attention.head_count', 'u32', heads);
  h.kv('qwen3.attention.head_count_kv', 'u32', heads);
  h.kv('qwen3.attention.layer_norm_rms_epsilon', 'f32', 1e-5);
  h.kv('qwen3.vocab_size', 'u32', vocab);
  h.kv('qwen3.attention.key_length', 'u32', 64);
  h.kv('tokenizer.ggml.model', 'str', 'llama');
  h.arr('tokenizer.ggml.tokens', 'str', v.tokens);
  h.arr('tokenizer.ggml.scores', 'f32', v.scores);
  h.arr('tokenizer.ggml.token_type', 'i32', v.types);
  h.kv('tokenizer.ggml.bos_token_id', 'u32', v.id('<s>'));
  h.kv('tokenizer.ggml.eos_token_id', 'u32', v.id('<|im_end|>'));
  h.kv('tokenizer.ggml.unknown_token_id', 'u32', v.id('<unk>'));
  h.bool('tokenizer.ggml.add_bos_token', false);
  h.bool('tokenizer.ggml.add_space_prefix', false);
  h.kv('tokenizer.chat_template', 'str', CHAT_TEMPLATE);
  let offset = 0;
  const placed = tensors.map((t) => {
    const count = t.dims.reduce((a, b) => a * b, 1);
    const at = offset;
    offset = pad(offset + count * 4);
    return { ...t, count, at };
  });
  for (const t of placed) {
    h.str(t.name);
    h.u32(t.dims.length);
    for (const d of t.dims) h.u64(d);
    h.u32(0);
    h.u64(t.at);
  }
  const header = Buffer.concat(h.parts);
  const dataStart = pad(header.length);
  const file = await open(out, 'w');
  try {
    await file.write(header, 0, header.length, 0);
    for (const t of placed) {
      const data = new Float32Array(t.count);
      t.fill?.(data);
      await file.write(Buffer.from(data.buffer), 0, data.byteLength, dataStart + t.at);
    }
  } finally {
    await file.close();
  }
  return { path: out, vocab, sizeBytes: dataStart + offset };
}
