// Thought segments through the real engine: a crafted Qwen3-style model (`bench make-model --thinking`)
// thinks and answers deterministically, node-llama-cpp's chat wrapper parses its <think> segment, and
// the worker streams, counts and returns the thought apart from the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { thinkingModelText, writeThinkingModel } from '../electron/services/quant/thinkingModel.ts';
import { defaultSampling } from '../shared/schemas.ts';
import { tempDir } from './fixtures.ts';

const sampling = { ...defaultSampling, maxTokens: 64 };
const hello = [{ role: 'user' as const, text: 'Hello there' }];
const { thought, answer } = thinkingModelText;

describe('a thinking model on the real engine', () => {
  let host: EngineHost;
  let n = 0;
  const generate = async (args: Partial<Parameters<EngineHost['generate']>[0]> = {}) => {
    const streamed = { thought: '', answer: '', order: [] as string[] };
    const result = await host.generate(
      {
        requestId: `r${++n}`,
        mode: 'chat',
        systemPrompt: '',
        history: hello,
        sampling,
        contextSize: 512,
        ...args,
      },
      (text, _tokens, isThought) => {
        if (isThought) streamed.thought += text;
        else streamed.answer += text;
        if (streamed.order.at(-1) !== (isThought ? 'thought' : 'answer'))
          streamed.order.push(isThought ? 'thought' : 'answer');
      },
    );
    return { result, streamed };
  };

  beforeAll(async () => {
    const path = join(tempDir(), 'thinking.gguf');
    await writeThinkingModel(path);
    host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu', threads: 1 });
    await host.load({ id: 'thinking', name: 'thinking', path });
  });
  afterAll(async () => {
    await host?.dispose();
  });

  it('streams the thought apart from the answer, and counts and times each', async () => {
    const { result, streamed } = await generate();
    expect(result.thoughts).toBe(thought);
    expect(result.text).toBe(answer);
    expect(streamed.thought).toBe(thought);
    expect(streamed.answer).toBe(answer);
    expect(streamed.order).toEqual(['thought', 'answer']);
    expect(result.thoughtUnclosed).toBe(false);
    // One token a piece: 10 in the thought, 5 in the answer (the markers between them are in neither).
    expect(result.thoughtTokens).toBe(10);
    expect(result.outputTokens).toBe(result.thoughtTokens + 5);
    expect(result.firstThoughtMs).toBeGreaterThan(0);
    expect(result.firstAnswerMs).toBeGreaterThan(result.firstThoughtMs!);
    expect(result.thoughtMs).toBeGreaterThan(0);
    expect(result.decodeTokensPerSec).toBeGreaterThan(0);
    expect(result.thinkingOff).toBeNull();
  });

  it('turns thinking off through the template switch (enable_thinking = false)', async () => {
    const { result, streamed } = await generate({ thinking: { enabled: false, budget: null } });
    expect(result.thinkingOff).toBe('template');
    expect(result.thoughts).toBe('');
    expect(streamed.thought).toBe('');
    expect(result.text).toBe(answer);
    expect(result.thoughtTokens).toBe(0);
    expect(result.firstThoughtMs).toBeNull();
  });

  it('caps thoughts with a budget: node-llama-cpp closes the thought and the model answers', async () => {
    const { result } = await generate({ thinking: { enabled: true, budget: 3 } });
    expect(result.thoughtTokens).toBeLessThanOrEqual(3);
    expect(thought.startsWith(result.thoughts)).toBe(true);
    expect(result.thoughts.length).toBeLessThan(thought.length);
    expect(result.text).toBe(answer);
  });

  it('a thought cut by maxTokens is kept, marked unclosed, with no answer', async () => {
    const { result, streamed } = await generate({ sampling: { ...sampling, maxTokens: 6 } });
    expect(result.stopReason).toBe('maxTokens');
    expect(result.thoughtUnclosed).toBe(true);
    expect(result.text).toBe('');
    expect(result.thoughts).toBe(streamed.thought);
    expect(thought.startsWith(result.thoughts)).toBe(true);
    expect(result.thoughts.length).toBeGreaterThan(0);
  });

  it('takes an earlier answer with its thoughts back as history', async () => {
    const history = [...hello, { role: 'assistant' as const, text: answer, thoughts: thought }, ...hello];
    const { result } = await generate({ history });
    expect(result.text).toBe(answer);
    expect(result.thoughts).toBe(thought);
  });
});
