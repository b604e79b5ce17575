// Thoughts through the API, the remote tiers and the CLI, from the real engine running the crafted
// thinking model: /v1 streams them as reasoning_content and counts them in usage; another Edgewise used
// as a private server hands them to the remote client; Anthropic's thinking blocks arrive the same way;
// `edgewise chat` keeps them off stdout's answer and puts them in --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { streamRemote } from '../electron/services/router/remoteClient.ts';
import { thinkingModelText, writeThinkingModel } from '../electron/services/quant/thinkingModel.ts';
import { repoRoot, tempDir } from './fixtures.ts';

const { thought, answer } = thinkingModelText;
const KEY = 'test-key-0123456789';
let modelPath: string;
let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  modelPath = join(tempDir(), 'thinking.gguf');
  await writeThinkingModel(modelPath);
  server = await startServer({ dataDir: tempDir(), rendererDir: tempDir(), gpu: 'cpu', modelPath, apiKey: KEY });
  await server.app.start();
  client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: KEY, maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const messages = [{ role: 'user' as const, content: 'Hello there' }];

describe('/v1/chat/completions with a thinking model', () => {
  it('streams thoughts as reasoning_content deltas and reports them in usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'default',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let reasoning = '';
    let content = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      if (delta?.reasoning_content) {
        expect(content).toBe(''); // thoughts come first
        reasoning += delta.reasoning_content;
      }
      content += delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(reasoning).toBe(thought);
    expect(content).toBe(answer);
    expect(usage!.completion_tokens_details!.reasoning_tokens).toBe(10);
    expect(usage!.completion_tokens).toBe(15);
  });

  it('returns them whole as message.reasoning_content, and turns thinking off with enable_thinking', async () => {
    const whole = await client.chat.completions.create({ model: 'default', messages });
    const message = whole.choices[0]!.message as { content: string; reasoning_content?: string };
    expect(message.content).toBe(answer);
    expect(message.reasoning_content).toBe(thought);
    const off = await client.chat.completions.create({
      model: 'default',
      messages,
      chat_template_kwargs: { enable_thinking: false },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(off.choices[0]!.message.content).toBe(answer);
    expect((off.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBeUndefined();
    expect(off.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
  });
});

describe('remote tiers show reasoning apart from the answer', () => {
  const req = {
    systemPrompt: '',
    history: [{ role: 'user' as const, text: 'Hello there' }],
    maxTokens: 64,
    temperature: 0,
  };

  it('another Edgewise as the private server: its reasoning_content and reasoning_tokens', async () => {
    const pieces: { text: string; thought: boolean }[] = [];
    const result = await streamRemote(
      { name: 'Home', kind: 'openai', baseUrl: `http://127.0.0.1:${server.port}/v1`, model: 'default', apiKey: KEY },
      req,
      (text, isThought) => pieces.push({ text, thought: isThought }),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ text: answer, thoughts: thought, thoughtTokens: 10, outputTokens: 15 });
    expect(
      pieces
        .filter((p) => p.thought)
        .map((p) => p.text)
        .join(''),
    ).toBe(thought);
    expect(
      pieces
        .filter((p) => !p.thought)
        .map((p) => p.text)
        .join(''),
    ).toBe(answer);
  });

  it("Anthropic's thinking blocks (thinking_delta) before the text", async () => {
    const events = [
      { type: 'message_start', message: { usage: { input_tokens: 12 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Greeting: ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'answer briefly.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi!' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ];
    const anthropic: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      res.end();
    });
    await new Promise<void>((r) => anthropic.listen(0, '127.0.0.1', () => r()));
    try {
      const pieces: boolean[] = [];
      const result = await streamRemote(
        {
          name: 'Anthropic',
          kind: 'anthropic',
          baseUrl: `http://127.0.0.1:${(anthropic.address() as AddressInfo).port}`,
          model: 'claude',
          apiKey: 'k',
        },
        req,
        (_text, isThought) => pieces.push(isThought),
        new AbortController().signal,
      );
      expect(result).toMatchObject({ text: 'Hi!', thoughts: 'Greeting: answer briefly.', outputTokens: 9 });
      expect(pieces).toEqual([true, true, false]);
    } finally {
      anthropic.close();
    }
  });
});

function edgewise(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), ...args],
      { env: { ...process.env, EDGEWISE_DATA_DIR: tempDir() } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('edgewise chat with a thinking model', () => {
  // Each run starts a process and an engine worker: slow on a loaded machine.
  const run = (...flags: string[]) =>
    edgewise(['chat', '--model', modelPath, '--threads', '1', ...flags, 'Hello there']);

  it('--json gains thoughts and thoughtTokens', { timeout: 150_000 }, async () => {
    const json = await run('--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ text: answer, thoughts: thought, thoughtTokens: 10 });
  });

  it('piped, the thought goes to stderr and stdout holds the answer', { timeout: 150_000 }, async () => {
    const piped = await run();
    expect(piped.stdout).toBe(`${answer}\n`);
    expect(piped.stderr).toContain(thought);
  });

  it('--no-thoughts hides the thought', { timeout: 150_000 }, async () => {
    const hidden = await run('--no-thoughts');
    expect(hidden.stdout).toBe(`${answer}\n`);
    expect(hidden.stderr).not.toContain('greets');
  });
});
