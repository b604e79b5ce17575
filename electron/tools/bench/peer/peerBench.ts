// `edgewise bench --peer`: Edgewise beside llama.cpp's own tools, built from the same source, on the same
// model, threads, prompt and greedy sampling, repetitions alternating between the two:
// decode/prefill (llama-bench against the engine worker), streaming /v1/chat/completions (llama-server
// against `edgewise serve`, one client), and a 10-turn conversation resent in full each turn, then
// another conversation and back.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { benchEngine } from '../layers.ts';
import { appRoot } from '../../../services/paths.ts';
import { ensurePeerTools, llamaBenchArgs, llamaServerArgs, parseLlamaBench } from './llamaCppTools.ts';
import { peerTarget, ratioSummary, type PeerTarget, type RatioSummary } from './peerStats.ts';
import { median } from '../../../services/engine/threadCalibration.ts';

const run = promisify(execFile);

export interface StreamFigures {
  ttftMs: number;
  decodeTokensPerSec: number;
  completionTokens: number;
}

/** One streamed chat completion, timed by the client: first content delta, then the rest. */
export async function streamOnce(
  client: OpenAI,
  model: string,
  messages: OpenAI.ChatCompletionMessageParam[],
  maxTokens: number,
): Promise<StreamFigures & { text: string }> {
  const started = performance.now();
  let first = 0;
  let last = 0;
  let deltas = 0;
  let text = '';
  let usage: OpenAI.CompletionUsage | undefined;
  const stream = await client.chat.completions.create({
    model,
    messages,
    max_tokens: maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    usage = chunk.usage ?? usage;
    const content = chunk.choices[0]?.delta?.content;
    if (!content) continue;
    last = performance.now();
    first ||= last;
    deltas++;
    text += content;
  }
  const tokens = usage?.completion_tokens ?? deltas;
  const seconds = (last - first) / 1000;
  return {
    text,
    ttftMs: first ? first - started : NaN,
    completionTokens: tokens,
    decodeTokensPerSec: seconds > 0 && tokens > 1 ? (tokens - 1) / seconds : NaN,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, name: string, headers: Record<string, string> = {}) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await fetch(url, { headers }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`${name} did not become ready in 2 minutes`);
}

async function startLlamaServer(binary: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: 'ignore', windowsHide: true });
  await waitForHttp(`http://127.0.0.1:${port}/health`, child, 'llama-server');
  return child;
}

export interface PeerResult {
  commit: string;
  buildSeconds: number | null;
  threads: number;
  tokens: number;
  repetitions: number;
  engine: { decode: RatioSummary; prefill: RatioSummary };
  api: { decode: RatioSummary; ttft: RatioSummary };
  multiTurn: Record<'edgewise' | 'peer', { turn1Ms: number; turn5Ms: number; turn10Ms: number; backMs: number }>;
  targets: PeerTarget[];
}

const USER_TURNS = [
  'Tell me a story about a cat.',
  'What did the cat find?',
  'Who did the cat meet next?',
  'What did they do together?',
  'Where did they go?',
  'What happened at night?',
  'What did the cat dream?',
  'How did the day end?',
  'What did the cat learn?',
  'Tell me how the story ends.',
];

/** TTFT of turns 1, 5 and 10 of one conversation resent in full, then of a turn after another conversation. */
async function multiTurn(client: OpenAI, model: string, maxTokens: number) {
  const history: OpenAI.ChatCompletionMessageParam[] = [];
  const ttft: number[] = [];
  for (const text of USER_TURNS) {
    history.push({ role: 'user', content: text });
    const r = await streamOnce(client, model, history, maxTokens);
    history.push({ role: 'assistant', content: r.text });
    ttft.push(r.ttftMs);
  }
  await streamOnce(client, model, [{ role: 'user', content: 'A different question: what is a dog?' }], maxTokens);
  history.push({ role: 'user', content: 'Back to the cat: one more line.' });
  const back = await streamOnce(client, model, history, maxTokens);
  return { turn1Ms: ttft[0]!, turn5Ms: ttft[4]!, turn10Ms: ttft[9]!, backMs: back.ttftMs };
}

export async function benchPeer(o: {
  modelPath: string;
  prompt: string;
  threads: number;
  tokens: number;
  repetitions: number;
  dataDir: string;
  say: (line: string) => void;
}): Promise<PeerResult> {
  const tools = await ensurePeerTools(o.say);
  o.say(`llama.cpp ${tools.commit.slice(0, 10)}${tools.buildSeconds ? `, built in ${tools.buildSeconds} s` : ''}`);

  // 1. The engine worker against llama-bench, alternating.
  const decode: { edgewise: number; peer: number }[] = [];
  const prefill: { edgewise: number; peer: number }[] = [];
  for (let rep = 0; rep < o.repetitions; rep++) {
    const peerFirst = rep % 2 === 1;
    const peer = async () => {
      const { stdout } = await run(
        tools.llamaBench,
        llamaBenchArgs({ model: o.modelPath, threads: o.threads, promptTokens: 64, genTokens: o.tokens }),
        { windowsHide: true, maxBuffer: 16 << 20 },
      );
      return parseLlamaBench(stdout);
    };
    const ours = () => benchEngine(o.modelPath, o.prompt, o.tokens, o.threads);
    const [p, e] = peerFirst
      ? [await peer(), await ours()]
      : await ours().then(async (e) => [await peer(), e] as const);
    decode.push({ edgewise: e.decodeTokensPerSec, peer: p.decodeTokensPerSec });
    prefill.push({ edgewise: e.prefillTokensPerSec, peer: p.prefillTokensPerSec });
    o.say(
      `  engine ${rep + 1}: decode ${e.decodeTokensPerSec.toFixed(1)} vs llama-bench ${p.decodeTokensPerSec.toFixed(1)} tok/s`,
    );
  }

  // 2. and 3. Both OpenAI-compatible servers, one client.
  const peerPort = await freePort();
  const contextSize = 2048;
  const server = await startLlamaServer(
    tools.llamaServer,
    llamaServerArgs({ model: o.modelPath, threads: o.threads, port: peerPort, contextSize }),
    peerPort,
  );
  // Edgewise's own headless shell, as a user starts it (`edgewise serve`), on a throwaway data folder.
  const oursPort = await freePort();
  const apiKey = `ew-${randomBytes(18).toString('base64url')}`;
  const ours = spawn(
    process.execPath,
    [
      join(appRoot(), 'dist', 'electron', 'cli', 'index.js'),
      'serve',
      '--port',
      String(oursPort),
      '--model',
      o.modelPath,
      '--threads',
      String(o.threads),
      '--gpu',
      'cpu',
      '--api-key',
      apiKey,
    ],
    { stdio: 'ignore', windowsHide: true, env: { ...process.env, EDGEWISE_DATA_DIR: o.dataDir } },
  );
  await waitForHttp(`http://127.0.0.1:${oursPort}/v1/models`, ours, 'edgewise serve', {
    Authorization: `Bearer ${apiKey}`,
  });
  try {
    const clients = {
      edgewise: new OpenAI({ baseURL: `http://127.0.0.1:${oursPort}/v1`, apiKey }),
      peer: new OpenAI({ baseURL: `http://127.0.0.1:${peerPort}/v1`, apiKey: 'none' }),
    };
    // By file name, not "default": /v1's default is whatever model is loaded when the request arrives,
    // and a request during start-up, before --model has finished loading, got the demo model instead.
    const model = { edgewise: basename(o.modelPath), peer: 'default' };
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: o.prompt }];
    const apiDecode: { edgewise: number; peer: number }[] = [];
    const apiTtft: { edgewise: number; peer: number }[] = [];
    for (let rep = 0; rep < o.repetitions; rep++) {
      const order = rep % 2 === 0 ? (['edgewise', 'peer'] as const) : (['peer', 'edgewise'] as const);
      const got: Partial<Record<'edgewise' | 'peer', StreamFigures>> = {};
      for (const who of order) got[who] = await streamOnce(clients[who], model[who], messages, o.tokens);
      apiDecode.push({ edgewise: got.edgewise!.decodeTokensPerSec, peer: got.peer!.decodeTokensPerSec });
      apiTtft.push({ edgewise: got.edgewise!.ttftMs, peer: got.peer!.ttftMs });
      o.say(
        `  /v1 ${rep + 1}: decode ${got.edgewise!.decodeTokensPerSec.toFixed(1)} vs ${got.peer!.decodeTokensPerSec.toFixed(1)} tok/s, TTFT ${got.edgewise!.ttftMs.toFixed(0)} vs ${got.peer!.ttftMs.toFixed(0)} ms`,
      );
    }
    const turns = {
      edgewise: await multiTurn(clients.edgewise, model.edgewise, 32),
      peer: await multiTurn(clients.peer, model.peer, 32),
    };
    const result = {
      engine: { decode: ratioSummary(decode), prefill: ratioSummary(prefill) },
      api: { decode: ratioSummary(apiDecode), ttft: ratioSummary(apiTtft) },
    };
    const t = turns.edgewise;
    const targets = [
      peerTarget(
        '/v1 decode ≥ 1.0× llama-server',
        result.api.decode,
        { atLeast: 1 },
        'Edgewise streams slower than llama-server',
      ),
      peerTarget(
        '/v1 TTFT ≤ llama-server',
        result.api.ttft,
        { atMost: 1 },
        'the first token comes later than from llama-server',
      ),
      peerTarget(
        'engine decode ≥ 0.95× llama-bench tg',
        result.engine.decode,
        { atLeast: 0.95 },
        "node-llama-cpp's decode path is slower than llama.cpp's own",
      ),
      peerTarget(
        'TTFT turn 10 ≤ 1.2× turn 1',
        ratioSummary([{ edgewise: t.turn10Ms, peer: t.turn1Ms }]),
        { atMost: 1.2 },
        'the shared prefix is not reused across API requests',
      ),
      peerTarget(
        'conversation switch and back ≤ 1.2× turn 1',
        ratioSummary([{ edgewise: t.backMs, peer: t.turn1Ms }]),
        { atMost: 1.2 },
        'coming back to a conversation re-evaluates its history',
      ),
    ];
    o.say(
      `  multi-turn TTFT ms (turn 1, 5, 10, back): Edgewise ${[t.turn1Ms, t.turn5Ms, t.turn10Ms, t.backMs].map((n) => n.toFixed(0)).join(', ')}; llama-server ${[turns.peer.turn1Ms, turns.peer.turn5Ms, turns.peer.turn10Ms, turns.peer.backMs].map((n) => n.toFixed(0)).join(', ')}; medians of the /v1 TTFT: ${median(apiTtft.map((p) => p.edgewise)).toFixed(0)} vs ${median(apiTtft.map((p) => p.peer)).toFixed(0)} ms`,
    );
    return {
      commit: tools.commit,
      buildSeconds: tools.buildSeconds,
      threads: o.threads,
      tokens: o.tokens,
      repetitions: o.repetitions,
      ...result,
      multiTurn: turns,
      targets,
    };
  } finally {
    ours.kill();
    server.kill();
  }
}
