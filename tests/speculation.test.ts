import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { defaultSampling, type Speculation } from '../shared/schemas.ts';
import { demoModel, f16Model, stories260k } from './fixtures.ts';

const greedy = { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: 80 };
// A story told once and begun again: the model copies much of it, which prompt lookup guesses.
const story =
  'Once upon a time, there was a little girl named Lily. She loved to play with her toys in the park. One day, she saw a big red ball. ' +
  'Once upon a time, there was a little girl named Lily. She loved';
const off: Speculation = { kind: 'off', draftModelPath: null };
const prompt: Speculation = { kind: 'prompt', draftModelPath: null };
// The F16 model answers; its Q8_0 quantization (the same vocabulary) drafts.
const draft: Speculation = { kind: 'draft', draftModelPath: demoModel };

describe('speculative decoding on the real engine', () => {
  let host: EngineHost;
  beforeAll(async () => {
    host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu', threads: 1 });
    await host.load({ id: 'f16', name: 'TinyStories F16', path: f16Model });
  });
  afterAll(async () => {
    await host.dispose();
  });

  const run = (speculation: Speculation, text = story, mode: 'raw' | 'chat' = 'raw') =>
    host.generate(
      {
        requestId: `r-${speculation.kind}-${Math.random()}`,
        mode,
        systemPrompt: '',
        history: [{ role: 'user', text }],
        sampling: greedy,
        contextSize: 512,
        speculation,
      },
      () => {},
    );

  it('greedy output is the same token for token with prompt lookup and with a draft model, and the guesses are counted', async () => {
    for (const mode of ['raw', 'chat'] as const) {
      const plain = await run(off, story, mode);
      expect(plain.speculation).toBeNull();
      expect(plain.outputTokens).toBeGreaterThan(20);
      const looked = await run(prompt, story, mode);
      const drafted = await run(draft, story, mode);
      expect(looked.text).toBe(plain.text);
      expect(drafted.text).toBe(plain.text);
      expect(looked.outputTokens).toBe(plain.outputTokens);
      expect(drafted.outputTokens).toBe(plain.outputTokens);
      expect(looked.speculation?.kind).toBe('prompt');
      expect(drafted.speculation?.kind).toBe('draft');
      // Prompt lookup guesses synchronously from the prompt's own text, so its guesses are always checked
      // here. A draft model runs beside the target and on a model this small rarely finishes a guess
      // before the target's next step, so how many it checks is timing, not asserted.
      expect(looked.speculation!.validated + looked.speculation!.refuted).toBeGreaterThan(0);
      // And back: without speculation again, still the same answer.
      expect((await run(off, story, mode)).text).toBe(plain.text);
    }
  }, 180_000);

  it('refuses a draft model with another vocabulary, clearly, and keeps answering', async () => {
    await expect(run({ kind: 'draft', draftModelPath: stories260k })).rejects.toThrow(/another vocabulary/);
    const after = await run(off, 'Once upon a time');
    expect(after.text.startsWith(', a little girl named Lily')).toBe(true);
  }, 60_000);
});
