// The timed greedy loop the fit probe and the benchmark share, on the real engine and demo model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from 'node-llama-cpp';
import { timeGreedy } from '../electron/services/engine/greedyTiming.ts';
import { demoModel } from './fixtures.ts';

let llama: Llama;
let model: LlamaModel;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: demoModel });
});
afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
});

describe('timeGreedy', () => {
  it('decodes exactly the tokens asked for, timing the prompt and the decode apart', async () => {
    const context = await model.createContext({ contextSize: 256, threads: 1, sequences: 1 });
    try {
      const t = await timeGreedy(context.getSequence(), model.tokenize('Once upon a time'), 16);
      expect(t.tokens).toBe(16);
      expect(t.ttftMs).toBeGreaterThan(0);
      expect(t.decodeSeconds).toBeGreaterThan(0);
    } finally {
      await context.dispose();
    }
  });

  it('stops at 3 tokens once the time cap has passed, from the start or from the first token', async () => {
    for (const from of ['start', 'firstToken'] as const) {
      const context = await model.createContext({ contextSize: 256, threads: 1, sequences: 1 });
      try {
        const t = await timeGreedy(context.getSequence(), model.tokenize('Once upon a time'), 100, {
          seconds: 0,
          from,
        });
        expect(t.tokens).toBe(3);
      } finally {
        await context.dispose();
      }
    }
  });
});
