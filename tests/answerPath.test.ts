// One answer path: the same settings and prompt, greedy, through the chat UI's path (chat.send), the
// `edgewise chat --json` command and `/v1/chat/completions`, give the same text, the same token counts
// and the same context, on the real engine and model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { defaultSettings, type MessageStats, type SpeculationSetting } from '../shared/schemas.ts';
import { demoModel, repoRoot, tempDir } from './fixtures.ts';

const API_KEY = 'answer-path-key-0123456789';
const PROMPT = 'Once upon a time there was a little dog';
const MAX_TOKENS = 24;
const SEED = 42;

let server: RunningServer;
const cliDataDir = tempDir();

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A data folder of its own: the CLI must not read (or be refused by) the user's real one.
    const env = { ...process.env, EDGEWISE_DATA_DIR: cliDataDir };
    execFile(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** The UI's path: a conversation with these settings, one message, its stored figures. */
async function throughChat(
  contextSize: number,
  speculation?: SpeculationSetting,
): Promise<{ text: string; stats: MessageStats }> {
  const { handlers, chat } = server.app;
  const conversation = await handlers['conversations.create']({ title: 'answer path' } as never);
  await handlers['conversations.update']({
    id: conversation.id,
    settings: {
      ...defaultSettings,
      sampling: { ...defaultSettings.sampling, temperature: 0, seed: SEED, maxTokens: MAX_TOKENS },
      contextSize,
      ...(speculation ? { speculation } : {}),
    },
  } as never);
  handlers['chat.send']({ conversationId: conversation.id, text: PROMPT } as never);
  await chat.settled(conversation.id);
  const answer = server.app.store.messages(conversation.id).at(-1)!;
  expect(answer).toMatchObject({ role: 'assistant', status: 'done' });
  return { text: answer.text, stats: answer.stats! };
}

async function throughCli(extra: string[] = []) {
  const args = ['chat', '--model', demoModel, '--gpu', 'cpu', '--temperature', '0', '--seed', String(SEED)];
  const { code, stdout, stderr } = await cli([...args, '--max-tokens', String(MAX_TOKENS), ...extra, '--json', PROMPT]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

beforeAll(async () => {
  server = await startServer({
    dataDir: tempDir(),
    rendererDir: tempDir(),
    gpu: 'cpu',
    modelPath: demoModel,
    apiKey: API_KEY,
  });
  await server.app.start();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('one on-device answer path', () => {
  it('the UI, the CLI and /v1 give the same text, token counts and context for the same settings', async () => {
    const ui = await throughChat(defaultSettings.contextSize);
    const uiContext = (await server.app.engine.usage())!.contextSize;

    const response = await fetch(`http://127.0.0.1:${server.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'default',
        messages: [{ role: 'user', content: PROMPT }],
        temperature: 0,
        seed: SEED,
        max_tokens: MAX_TOKENS,
      }),
    });
    expect(response.status).toBe(200);
    const api = await response.json();
    const apiContext = (await server.app.engine.usage())!.contextSize;

    const fromCli = await throughCli();

    const figures = {
      ui: [ui.stats.promptTokens, ui.stats.outputTokens, ui.stats.contextSize, ui.stats.stopReason],
      api: [
        api.usage.prompt_tokens,
        api.usage.completion_tokens,
        api.edgewise_stats.contextSize,
        api.edgewise_stats.stopReason,
      ],
      cli: [fromCli.promptTokens, fromCli.outputTokens, fromCli.contextSize, fromCli.stopReason],
    };
    console.log(`answer path (prompt, output tokens, context, stop): ${JSON.stringify(figures)}`);
    expect(ui.text.length).toBeGreaterThan(20);
    expect(api.choices[0].message.content).toBe(ui.text);
    expect(fromCli.text).toBe(ui.text);
    expect(figures.api).toEqual(figures.ui);
    expect(figures.cli).toEqual(figures.ui);
    expect(ui.stats).toMatchObject({ outputTokens: MAX_TOKENS, stopReason: 'maxTokens', backend: 'cpu' });
    expect(ui.stats.promptTokens).toBeGreaterThan(5);
    // the context each answer ran in is the one the worker holds, not a number each shell picked
    expect(ui.stats.contextSize).toBe(uiContext);
    expect(api.edgewise_stats.contextSize).toBe(apiContext);
    // the API reports the same figures the UI stores, from the same function
    expect(api.usage.total_tokens).toBe(ui.stats.promptTokens + ui.stats.outputTokens);
    expect(Object.keys(api.edgewise_stats).sort()).toEqual(
      Object.keys(ui.stats)
        .filter((k) => k !== 'ttftFromSendMs')
        .sort(),
    );
  }, 120_000);

  it('a context the user sets reaches the engine the same way from the UI and the CLI', async () => {
    const ui = await throughChat(256);
    const fromCli = await throughCli(['--context-size', '256']);
    expect(ui.stats.contextSize).toBe(256);
    expect(fromCli.contextSize).toBe(256);
    expect(fromCli.text).toBe(ui.text);
    expect([fromCli.promptTokens, fromCli.outputTokens]).toEqual([ui.stats.promptTokens, ui.stats.outputTokens]);
  }, 120_000);

  it("speculation switched on in a conversation's settings or by chat --speculative lookup answers the same greedy text, and counts its guesses", async () => {
    const off = await throughChat(defaultSettings.contextSize);
    const ui = await throughChat(defaultSettings.contextSize, { kind: 'prompt', draftModelId: null });
    const fromCli = await throughCli(['--speculative', 'lookup']);
    expect(ui.text).toBe(off.text);
    expect(fromCli.text).toBe(off.text);
    expect(ui.stats.speculation).toBe('prompt');
    expect(fromCli.speculation).toBe('prompt');
    for (const counted of [ui.stats.draftAcceptedTokens, fromCli.draftAcceptedTokens, fromCli.draftRejectedTokens])
      expect(counted).toBeGreaterThanOrEqual(0);
    expect(off.stats.speculation ?? null).toBeNull();
    const bad = await cli(['chat', '--speculative', 'draft', PROMPT]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--speculative draft needs --draft PATH/);
  }, 180_000);
});
