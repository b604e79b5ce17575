// /v1/chat/completions with tools, tool_choice and response_format, through the official openai client,
// on the real engine (stories260K: its byte-fallback vocabulary can write any JSON); and the API key that
// survives a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { stories260k, tempDir } from './fixtures.ts';

let server: RunningServer;
let client: OpenAI;
let dataDir: string;

const calculator: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'calculate',
    description: 'Evaluate an arithmetic expression',
    parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  },
};

beforeAll(async () => {
  dataDir = tempDir();
  server = await startServer({ dataDir, rendererDir: tempDir(), gpu: 'cpu', threads: 1, modelPath: stories260k });
  await server.app.start();
  client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: server.apiKey, maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('/v1 tool calling and structured output', () => {
  it('returns tool_calls for tool_choice "required", and continues from the tool result', async () => {
    const first = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'What is 6 times 7?' }],
      tools: [calculator],
      tool_choice: 'required',
      temperature: 0,
      max_tokens: 48,
    });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe('calculate');
    expect(typeof (JSON.parse(call.function.arguments) as { expression: unknown }).expression).toBe('string');
    expect(call.id).toMatch(/^call_/);

    const second = await client.chat.completions.create({
      model: 'default',
      messages: [
        { role: 'user', content: 'What is 6 times 7?' },
        { role: 'assistant', content: null, tool_calls: choice.message.tool_calls! },
        { role: 'tool', tool_call_id: call.id, content: '42' },
      ],
      tools: [calculator],
      temperature: 0,
      max_tokens: 16,
    });
    expect(second.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('forces a named function with tool_choice {type: "function"}', async () => {
    const other: OpenAI.ChatCompletionTool = {
      type: 'function',
      function: {
        name: 'weather',
        parameters: { type: 'object', properties: { unit: { enum: ['C', 'F'] } }, required: ['unit'] },
      },
    };
    const answer = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [calculator, other],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      temperature: 0,
      max_tokens: 32,
    });
    const call = answer.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe('weather');
    expect(['C', 'F']).toContain((JSON.parse(call.function.arguments) as { unit: string }).unit);
  });

  it('answers JSON that parses and matches a json_schema, whole and streamed', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        pets: { type: 'array', items: { type: 'string', enum: ['cat', 'dog'] } },
      },
      required: ['name', 'age', 'pets'],
      additionalProperties: false,
    };
    const request = {
      model: 'default',
      messages: [{ role: 'user' as const, content: 'Describe a person' }],
      response_format: { type: 'json_schema' as const, json_schema: { name: 'person', schema, strict: true } },
      temperature: 0,
      max_tokens: 300,
    };
    const whole = await client.chat.completions.create(request);
    const person = JSON.parse(whole.choices[0]!.message.content!) as { name: unknown; age: unknown; pets: unknown[] };
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
    expect(person.pets.every((p) => p === 'cat' || p === 'dog')).toBe(true);

    const stream = await client.chat.completions.create({ ...request, stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(whole.choices[0]!.message.content);
  });

  // (A json_object answer from a story model is one long string until max_tokens: only the refusal of
  // the cut-off answer is checked here; a whole one parses by the json_schema test's grammar path.)
  it('refuses a JSON answer cut off by max_tokens, clearly', async () => {
    await expect(
      client.chat.completions.create({
        model: 'default',
        messages: [{ role: 'user', content: 'Once upon a time' }],
        response_format: { type: 'json_object' },
        temperature: 0,
        max_tokens: 2,
      }),
    ).rejects.toThrow(/cut off at max_tokens \(2\)/);
  });

  it('refuses tool requests it cannot serve with 400 and a reason', async () => {
    await expect(
      client.chat.completions.create({
        model: 'default',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [calculator],
        tool_choice: { type: 'function', function: { name: 'nope' } },
      }),
    ).rejects.toThrow(/not among the tools/);
    await expect(
      client.chat.completions.create({
        model: 'default',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', tool_call_id: 'call_x', content: '1' },
        ],
      }),
    ).rejects.toThrow(/unknown tool_call_id/);
  });
});

describe('the /v1 API key', () => {
  it('survives a restart, and a rotated key replaces the old one at once', async () => {
    const before = server.apiKey;
    expect(before).toMatch(/^ew-/);
    const dir = tempDir();
    const first = await startServer({ dataDir: dir, rendererDir: tempDir(), gpu: 'cpu', threads: 1 });
    const key = first.apiKey;
    await first.close();
    const second = await startServer({ dataDir: dir, rendererDir: tempDir(), gpu: 'cpu', threads: 1 });
    try {
      expect(second.apiKey).toBe(key);
      const models = (k: string) =>
        fetch(`http://127.0.0.1:${second.port}/v1/models`, { headers: { Authorization: `Bearer ${k}` } });
      expect((await models(key)).status).toBe(200);
      const rotated = second.rotateApiKey();
      expect(rotated).not.toBe(key);
      expect((await models(key)).status).toBe(401);
      expect((await models(rotated)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
