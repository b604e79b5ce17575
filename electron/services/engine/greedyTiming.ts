// The one timed greedy loop behind the fit speed probe (speedTiming.ts), the flash attention timing
// (attentionTiming.ts) and the benchmark's in-process layer (tools/bench/layers.ts): evaluate a prompt,
// then decode up to N tokens, noting when the first came and when the last did. A time cap stops a crawl (an oversubscribed thread count can take seconds a
// token) once at least 3 tokens are in, so a speed can still be computed.
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

/** `text` repeated and cut to exactly `count` of this model's tokens: the same work for every model. */
export function repeatedTokens(model: LlamaModel, text: string, count: number): Token[] {
  const one = model.tokenize(text);
  if (one.length === 0) throw new Error('The model has no tokens for the timing text');
  const out: Token[] = [];
  while (out.length < count) out.push(...one);
  return out.slice(0, count);
}

export interface GreedyTiming {
  /** ms from the start of evaluation to the first generated token. */
  ttftMs: number;
  /** Seconds from the first generated token to the last. */
  decodeSeconds: number;
  tokens: number;
}

export async function timeGreedy(
  sequence: LlamaContextSequence,
  input: Token[],
  maxTokens: number,
  cap: { seconds: number; from: 'start' | 'firstToken' } = { seconds: Infinity, from: 'start' },
): Promise<GreedyTiming> {
  const started = performance.now();
  let first = 0;
  let count = 0;
  for await (const token of sequence.evaluate(input, { temperature: 0 })) {
    void token;
    if (!first) first = performance.now();
    const since = cap.from === 'start' ? started : first;
    if (++count >= maxTokens || (count >= 3 && performance.now() - since > cap.seconds * 1000)) break;
  }
  const ended = performance.now();
  return { ttftMs: first - started, decodeSeconds: (ended - first) / 1000, tokens: count };
}
