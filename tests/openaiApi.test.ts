// The /v1 API through the official openai client, against the real engine and model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { demoModel, tempDir } from './fixtures.ts';

let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startServer({
    dataDir: tempDir(),
    rendererDir: tempDir(),
    gpu: 'cpu',
    modelPath: demoModel,
    apiKey: 'test-key-0123456789',
  });
  await server.app.start();
  client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: 'test-key-0123456789', maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('OpenAI-compatible API', () => {
  it('lists the models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain(server.app.engine.loadedModel!.id);
  });

  it('answers whole and streamed alike, with usage and finish reason', async () => {
    const request = {
      model: 'default',
      messages: [{ role: 'user' as const, content: 'Once upon a time' }],
      temperature: 0,
      max_tokens: 24,
    };
    const whole = await client.chat.completions.create(request);
    expect(whole.choices[0]!.finish_reason).toBe('length');
    expect(whole.usage!.completion_tokens).toBe(24);
    const text = whole.choices[0]!.message.content!;
    expect(text.length).toBeGreaterThan(20);

    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    let deltas = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        streamed += choice.delta.content;
        deltas++;
      }
      finish = choice?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(streamed).toBe(text); // greedy: the same tokens either way
    // The first token goes at once and the rest in one-frame batches (textBatcher.ts): the demo model writes
    // 24 tokens in a few ms, so two deltas at least, not one whole answer.
    expect(deltas).toBeGreaterThanOrEqual(2);
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(24);
  });

  it('answers a request that names the loaded model by its id, its name or its file name', async () => {
    const loaded = server.app.engine.loadedModel!;
    for (const model of [loaded.id, loaded.name, basename(loaded.path)]) {
      const answer = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Once upon a time' }],
        temperature: 0,
        max_tokens: 4,
      });
      expect(answer.model).toBe(loaded.id);
      expect(answer.usage!.completion_tokens).toBe(4);
    }
  });

  it('refuses a wrong key with 401, a bad request with 400 and an unknown model with 404', async () => {
    const wrong = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: 'nope', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(client.chat.completions.create({ model: 'default', messages: [] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
    await expect(
      client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const noKey = await fetch(`http://127.0.0.1:${server.port}/v1/models`);
    expect(noKey.status).toBe(401);
  });

  it("takes llama-server's repeat_penalty, and reports the prompt tokens the context already held", async () => {
    const ask = (messages: OpenAI.ChatCompletionMessageParam[], repeatPenalty: number) =>
      client.chat.completions.create({
        model: 'default',
        messages,
        temperature: 0,
        max_tokens: 48,
        ...({ repeat_penalty: repeatPenalty } as object),
      });
    await expect(ask([{ role: 'user', content: 'Once upon a time' }], 0.5)).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
    const plain = await ask([{ role: 'user', content: 'Once upon a time' }], 1);
    const penalised = await ask([{ role: 'user', content: 'Once upon a time' }], 2);
    expect(penalised.choices[0]!.message.content).not.toBe(plain.choices[0]!.message.content);
    // The same conversation one turn on: its history is reused, not evaluated again.
    const first = await ask([{ role: 'user', content: 'Once upon a time' }], 1);
    const next = await ask(
      [
        { role: 'user', content: 'Once upon a time' },
        { role: 'assistant', content: first.choices[0]!.message.content },
        { role: 'user', content: 'Then what?' },
      ],
      1,
    );
    const cached = next.usage!.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached).toBeGreaterThan(first.usage!.prompt_tokens);
    expect(cached).toBeLessThan(next.usage!.prompt_tokens);
  });

  it('raises an error found after a stream has begun in the client, not an empty answer', async () => {
    // The demo model's vocabulary has no "(": the engine refuses the message after the stream's headers went out.
    const stream = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Once upon a time (long ago)' }],
      max_tokens: 8,
      stream: true,
    });
    const read = async () => {
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    await expect(read()).rejects.toThrow(/cannot read this message.*"\("/);
  });

  it('stops generating when the client goes away', async () => {
    const engine = server.app.engine;
    const generate = engine.generate.bind(engine);
    const results: string[] = [];
    engine.generate = (args, onToken, signal) =>
      generate(args, onToken, signal).then((r) => {
        results.push(r.stopReason);
        return r;
      });
    try {
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        {
          model: 'default',
          messages: [{ role: 'user', content: 'Once upon a time' }],
          max_tokens: 4000,
          temperature: 1,
          stream: true,
        },
        { signal: controller.signal },
      );
      let received = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta.content) received++;
          if (received === 3) controller.abort();
        }
      } catch {
        /* the client reports its own abort */
      }
      await expect.poll(() => results).toEqual(['aborted']);
      const next = await client.chat.completions.create({
        model: 'default',
        messages: [{ role: 'user', content: 'Once' }],
        max_tokens: 4,
      });
      expect(next.usage!.completion_tokens).toBeLessThanOrEqual(4);
    } finally {
      engine.generate = generate;
    }
  });
});
