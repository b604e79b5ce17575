// Flash attention on or off, timed where a chat spends its time: a turn of new tokens on top of a
// conversation already in the context (the cached prefix is reused, so only the turn is evaluated), then
// decoding there. One context with the setting; depths are reached in order by evaluating filler text,
// and each turn is erased again before the next depth, so the filler is evaluated once.
import type { LlamaModel } from 'node-llama-cpp';
import { repeatedTokens, timeGreedy } from './greedyTiming.ts';

export interface AttentionPoint {
  /** Tokens already in the context when the turn starts. */
  depth: number;
  /** ms from the start of the turn's evaluation to its first generated token. */
  turnMs: number;
  decodeTokensPerSec: number;
}

export interface AttentionTiming {
  flashAttention: boolean;
  /** The filler (the deepest depth's prompt) over the time its evaluation took: large-batch prefill. */
  fillTokensPerSec: number | null;
  points: AttentionPoint[];
}

const FILLER = 'Once upon a time, a little girl named Lily went to the park with her friend Ben. They played all day. ';
const TURN = 'Then the sun went down and they walked home, talking about the big tree and the red ball. ';

export async function timeAttention(
  model: LlamaModel,
  o: { threads: number; flashAttention: boolean; depths: readonly number[]; turnTokens: number; decodeTokens: number },
): Promise<AttentionTiming> {
  const depths = [...new Set(o.depths)].sort((a, b) => a - b);
  const deepest = depths.at(-1) ?? 0;
  const contextSize = deepest + o.turnTokens + o.decodeTokens + 16;
  if (contextSize > model.trainContextSize)
    throw new Error(
      `A depth of ${deepest} tokens needs a context of ${contextSize}; the model has ${model.trainContextSize}`,
    );
  const context = await model.createContext({
    contextSize,
    threads: o.threads,
    sequences: 1,
    flashAttention: o.flashAttention,
  });
  try {
    const sequence = context.getSequence();
    const filler = repeatedTokens(model, FILLER, deepest);
    const turn = repeatedTokens(model, TURN, o.turnTokens);
    const points: AttentionPoint[] = [];
    let filled = 0;
    let fillMs = 0;
    for (const depth of depths) {
      const started = performance.now();
      if (depth > filled) await sequence.evaluateWithoutGeneratingNewTokens(filler.slice(filled, depth));
      fillMs += performance.now() - started;
      filled = depth;
      const t = await timeGreedy(sequence, turn, o.decodeTokens);
      points.push({ depth, turnMs: t.ttftMs, decodeTokensPerSec: (t.tokens - 1) / t.decodeSeconds });
      await sequence.eraseContextTokenRanges([{ start: depth, end: sequence.nextTokenIndex }]);
    }
    return {
      flashAttention: o.flashAttention,
      fillTokensPerSec: deepest > 0 && fillMs > 0 ? deepest / (fillMs / 1000) : null,
      points,
    };
  } finally {
    await context.dispose();
  }
}
