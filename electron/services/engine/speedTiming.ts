// Times one model the way the fit speed probe needs it: a prompt of exactly N tokens (time to first
// token) and then D greedy decoded tokens (seconds per token), in a context of its own that is freed
// after, so the probe never disturbs the model the user has loaded.
import type { Llama } from 'node-llama-cpp';
import { repeatedTokens, timeGreedy } from './greedyTiming.ts';

export async function timeModel(
  llama: Llama,
  path: string,
  threads: number,
  promptTokens: number,
  decodeTokens: number,
  maxSeconds = Infinity,
): Promise<{ ttftMs: number; secondsPerToken: number; promptTokens: number }> {
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({
      contextSize: Math.min(model.trainContextSize, Math.max(256, promptTokens + decodeTokens + 16)),
      threads,
      sequences: 1,
    });
    try {
      // The same text for every model, cut to exactly N tokens of this model's vocabulary.
      const text = 'Once upon a time, a little girl named Lily went to the park with her friend Ben. ';
      const input = repeatedTokens(model, text, promptTokens);
      const t = await timeGreedy(context.getSequence(), input, decodeTokens, {
        seconds: maxSeconds,
        from: 'firstToken',
      });
      return {
        ttftMs: t.ttftMs,
        secondsPerToken: t.decodeSeconds / Math.max(1, t.tokens - 1),
        promptTokens: input.length,
      };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}
