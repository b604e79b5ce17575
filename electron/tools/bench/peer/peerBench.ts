// `edgewise bench --peer`: Edgewise beside llama.cpp's own tools, built from the same source, on the same
// model, threads, prompt and greedy sampling, repetitions alternating between the two:
// decode/prefill (llama-bench against the engine worker), streaming /v1/chat/completions (llama-server
// against `edgewise serve`, one client), and a 10-turn conversation resent in full each turn, then
// another conversation and back. By default the llama.cpp tools run node-llama-cpp's own ggml libraries
// (sharedGgml.ts), so both sides run the same CPU kernels; each side's variant is printed.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { multiTurn, streamOnce, type MultiTurnFigures, type StreamFigures } from './peerStream.ts';
import { benchEngine } from '../layers.ts';
import {
  ensurePeerTools,
  llamaBenchArgs,
  llamaServerArgs,
  parseLlamaBench,
  type PeerLibraries,
} from './llamaCppTools.ts';
import { peerTarget, ratioSummary, type PeerTarget, type RatioSummary } from './peerStats.ts';
import { median } from '../../../services/engine/threadCalibration.ts';
import { freePort, startEdgewise, startLlamaServer, type RunningPeer } from './peerProcesses.ts';
import { loadedBackendFromLog } from './sharedGgml.ts';
import { stopChildren } from '../children.ts';
import { errorMessage } from '../../../../shared/errors.ts';

const run = promisify(execFile);
/**
 * Edgewise's prefill prompt: about this many tokens, evaluated fresh in one batch. llama-bench's pp test
 * then evaluates exactly as many as Edgewise did (the first repetition runs Edgewise first): ggml's CPU
 * kernels are much faster on some batch sizes than on others (the demo model here: pp60 9,200 tok/s,
 * pp64 82,600), so pp64 against 60 tokens compared two different kernels, not two programs.
 */
const PREFILL_TOKENS = 64;

type Pair = { edgewise: number; peer: number };
const medians = (pairs: readonly Pair[]): Pair => ({
  edgewise: median(pairs.map((p) => p.edgewise)),
  peer: median(pairs.map((p) => p.peer)),
});
const medianTurns = (runs: readonly MultiTurnFigures[]): MultiTurnFigures => ({
  turn1Ms: median(runs.map((r) => r.turn1Ms)),
  turn5Ms: median(runs.map((r) => r.turn5Ms)),
  turn10Ms: median(runs.map((r) => r.turn10Ms)),
  backMs: median(runs.map((r) => r.backMs)),
  evaluated: {
    turn1: median(runs.map((r) => r.evaluated.turn1)),
    turn10: median(runs.map((r) => r.evaluated.turn10)),
    back: median(runs.map((r) => r.evaluated.back)),
  },
});

export interface PeerResult {
  modelFile: string;
  commit: string;
  buildSeconds: number | null;
  /** shared: the llama.cpp tools ran node-llama-cpp's own ggml libraries; static: our own build's. */
  peerLibraries: PeerLibraries;
  peerLibrariesNote: string | null;
  cpuVariants: { edgewise: string; edgewiseServe: string; llamaBench: string; llamaServer: string };
  threads: number;
  /** Forced on both sides, or auto: each side's default. */
  flashAttention: 'on' | 'off' | 'auto';
  tokens: number;
  repetitions: number;
  engine: { decode: RatioSummary; prefill: RatioSummary };
  /** Prompt tokens Edgewise evaluated for its prefill figure; llama-bench's pp evaluated as many. */
  prefillPromptTokens: number | null;
  api: { decode: RatioSummary; ttft: RatioSummary };
  /** Medians of each side's own figures, beside the ratios above. */
  medians: Record<'engineDecode' | 'enginePrefill' | 'apiDecode' | 'apiTtft', Pair>;
  /** Medians over the repetitions of each side's multi-turn TTFTs. */
  multiTurn: Record<'edgewise' | 'peer', MultiTurnFigures>;
  /** Why llama-server's multi-turn figures are missing (NaN), if they are. */
  multiTurnPeerError: string | null;
  targets: PeerTarget[];
}

export async function benchPeer(o: {
  modelPath: string;
  prompt: string;
  threads: number;
  tokens: number;
  repetitions: number;
  dataDir: string;
  libraries?: PeerLibraries;
  /** Forced on or off on both sides (llama-bench -fa, llama-server -fa, Edgewise --flash-attention). */
  flashAttention?: 'on' | 'off';
  say: (line: string) => void;
}): Promise<PeerResult> {
  const tools = await ensurePeerTools(o.say, o.libraries ?? 'shared');
  o.say(
    `llama.cpp ${tools.commit.slice(0, 10)}${tools.buildSeconds ? `, built in ${tools.buildSeconds} s` : ''}; ${tools.libraries === 'shared' ? "llama-bench and llama-server linked against node-llama-cpp's own ggml libraries" : (tools.librariesNote ?? 'static build')}`,
  );

  // 1. The engine worker against llama-bench, alternating.
  const decode: Pair[] = [];
  const prefill: Pair[] = [];
  const variants = { edgewise: 'unknown', llamaBench: 'unknown' };
  let prefillPromptTokens: number | null = null;
  for (let rep = 0; rep < o.repetitions; rep++) {
    const peer = async () => {
      const { stdout, stderr } = await run(
        tools.llamaBench,
        llamaBenchArgs({
          model: o.modelPath,
          threads: o.threads,
          promptTokens: prefillPromptTokens ?? PREFILL_TOKENS,
          genTokens: o.tokens,
          flashAttention: o.flashAttention,
        }),
        { windowsHide: true, maxBuffer: 16 << 20 },
      );
      variants.llamaBench =
        tools.libraries === 'static' ? 'static' : (loadedBackendFromLog(stderr) ?? 'unknown (no backend line)');
      return parseLlamaBench(stdout);
    };
    const ours = async () => {
      const e = await benchEngine(o.modelPath, o.prompt, o.tokens, o.threads, PREFILL_TOKENS, o.flashAttention);
      prefillPromptTokens = e.prefillPromptTokens;
      variants.edgewise = e.cpuVariant ?? 'unknown (no libggml-cpu library mapped)';
      return e;
    };
    const [p, e] =
      rep % 2 === 1 ? [await peer(), await ours()] : await ours().then(async (e) => [await peer(), e] as const);
    decode.push({ edgewise: e.decodeTokensPerSec, peer: p.decodeTokensPerSec });
    prefill.push({ edgewise: e.prefillTokensPerSec, peer: p.prefillTokensPerSec });
    o.say(
      `  engine ${rep + 1}: decode ${e.decodeTokensPerSec.toFixed(1)} vs llama-bench ${p.decodeTokensPerSec.toFixed(1)} tok/s (CPU variant ${variants.edgewise} vs ${variants.llamaBench})`,
    );
  }

  // 2. and 3. Both OpenAI-compatible servers, one client.
  const peerPort = await freePort();
  const server = await startLlamaServer(
    tools.llamaServer,
    llamaServerArgs({
      model: o.modelPath,
      threads: o.threads,
      port: peerPort,
      contextSize: 2048,
      flashAttention: o.flashAttention,
    }),
    peerPort,
    tools.libraries,
  );
  let ours: RunningPeer | null = null;
  try {
    const oursPort = await freePort();
    const apiKey = `ew-${randomBytes(18).toString('base64url')}`;
    ours = await startEdgewise({ ...o, port: oursPort, apiKey });
    const clients = {
      edgewise: new OpenAI({ baseURL: `http://127.0.0.1:${oursPort}/v1`, apiKey }),
      peer: new OpenAI({ baseURL: `http://127.0.0.1:${peerPort}/v1`, apiKey: 'none' }),
    };
    // "default" on both: Edgewise's /v1 waits for the model `serve --model` is loading.
    const model = 'default';
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: o.prompt }];
    // One answer each first, unmeasured: each side's first request creates its context (Edgewise's cold
    // first answer is a target of its own, measured by `edgewise bench`).
    for (const who of ['edgewise', 'peer'] as const)
      await streamOnce(clients[who], model, [{ role: 'user', content: 'Warm up.' }], 4);
    const apiDecode: Pair[] = [];
    const apiTtft: Pair[] = [];
    for (let rep = 0; rep < o.repetitions; rep++) {
      const order = rep % 2 === 0 ? (['edgewise', 'peer'] as const) : (['peer', 'edgewise'] as const);
      const got: Partial<Record<'edgewise' | 'peer', StreamFigures>> = {};
      for (const who of order) got[who] = await streamOnce(clients[who], model, messages, o.tokens);
      apiDecode.push({ edgewise: got.edgewise!.decodeTokensPerSec, peer: got.peer!.decodeTokensPerSec });
      apiTtft.push({ edgewise: got.edgewise!.ttftMs, peer: got.peer!.ttftMs });
      o.say(
        `  /v1 ${rep + 1}: decode ${got.edgewise!.decodeTokensPerSec.toFixed(1)} vs ${got.peer!.decodeTokensPerSec.toFixed(1)} tok/s, TTFT ${got.edgewise!.ttftMs.toFixed(0)} vs ${got.peer!.ttftMs.toFixed(0)} ms`,
      );
    }
    const cpuVariants = { ...variants, edgewiseServe: ours.cpuVariant(), llamaServer: server.cpuVariant() };
    o.say(
      `  CPU variants: Edgewise worker ${cpuVariants.edgewise}, llama-bench ${cpuVariants.llamaBench}, edgewise serve ${cpuVariants.edgewiseServe}, llama-server ${cpuVariants.llamaServer}`,
    );
    // Multi-turn, alternating which side goes first; each repetition is a conversation of its own.
    const runs: Record<'edgewise' | 'peer', MultiTurnFigures[]> = { edgewise: [], peer: [] };
    let peerRefused: string | null = null;
    for (let rep = 0; rep < o.repetitions; rep++) {
      const order = rep % 2 === 0 ? (['edgewise', 'peer'] as const) : (['peer', 'edgewise'] as const);
      for (const who of order) {
        // llama-server refuses some conversations (a 400 "_Map_base::at" on a model without a chat
        // template): its column then says why, and Edgewise's own targets are still measured.
        if (who === 'peer' && peerRefused) continue;
        try {
          runs[who].push(await multiTurn(clients[who], model, 32, `${rep + 1}-${who}`));
        } catch (error) {
          if (who === 'edgewise') throw error;
          peerRefused = errorMessage(error);
        }
      }
      const fmt = (r: MultiTurnFigures | undefined) =>
        r
          ? `${[r.turn1Ms, r.turn5Ms, r.turn10Ms, r.backMs].map((n) => n.toFixed(0)).join(', ')} (prompt tokens evaluated at turn 1, 10, back: ${r.evaluated.turn1}, ${r.evaluated.turn10}, ${r.evaluated.back})`
          : `n/a (${peerRefused})`;
      o.say(
        `  multi-turn ${rep + 1}, TTFT ms (turn 1, 5, 10, back): Edgewise ${fmt(runs.edgewise.at(-1))}; llama-server ${fmt(runs.peer.at(-1))}`,
      );
    }
    const result = {
      engine: { decode: ratioSummary(decode), prefill: ratioSummary(prefill) },
      api: { decode: ratioSummary(apiDecode), ttft: ratioSummary(apiTtft) },
    };
    // Within one side: turn 10 (or coming back) against turn 1 of the same conversation.
    // No finite TTFT at all (a model that answers these turns with an empty reply) fails with that said.
    const unmeasured: RatioSummary = { median: NaN, min: NaN, max: NaN, spread: NaN, repetitions: 0 };
    const within = (later: 'turn10Ms' | 'backMs') => {
      const pairs = runs.edgewise.map((r) => ({ edgewise: r[later], peer: r.turn1Ms }));
      return pairs.some((p) => p.peer > 0 && Number.isFinite(p.edgewise)) ? ratioSummary(pairs) : unmeasured;
    };
    const peerWithin = (later: 'turn10Ms' | 'backMs') =>
      runs.peer.length > 0
        ? `${median(runs.peer.map((r) => r[later] / r.turn1Ms)).toFixed(2)}×`
        : `not measured: ${peerRefused}`;
    // Whether the history was reused shows in what each request evaluated; the TTFT ratio alone cannot
    // tell reuse that still evaluates more new tokens at turn 10 (the last answer and the new message)
    // than turn 1's whole prompt from re-evaluation.
    const mine = medianTurns(runs.edgewise).evaluated;
    const theirs = runs.peer.length > 0 ? medianTurns(runs.peer).evaluated : null;
    const reuse = (at: 'turn10' | 'back') =>
      `prompt tokens evaluated, turn 1 against ${at === 'turn10' ? 'turn 10' : 'coming back'}: Edgewise ${mine.turn1} against ${mine[at]}${theirs ? `, llama-server ${theirs.turn1} against ${theirs[at]}` : ''}`;
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
        within('turn10Ms'),
        { atMost: 1.2 },
        `turn 10 takes longer than turn 1 (llama-server: ${peerWithin('turn10Ms')}; ${reuse('turn10')})`,
      ),
      peerTarget(
        'conversation switch and back ≤ 1.2× turn 1',
        within('backMs'),
        { atMost: 1.2 },
        `coming back takes longer than turn 1 (llama-server: ${peerWithin('backMs')}; ${reuse('back')})`,
      ),
    ];
    return {
      modelFile: basename(o.modelPath),
      commit: tools.commit,
      buildSeconds: tools.buildSeconds,
      peerLibraries: tools.libraries,
      peerLibrariesNote: tools.librariesNote,
      cpuVariants,
      threads: o.threads,
      flashAttention: o.flashAttention ?? 'auto',
      tokens: o.tokens,
      repetitions: o.repetitions,
      ...result,
      prefillPromptTokens,
      medians: {
        engineDecode: medians(decode),
        enginePrefill: medians(prefill),
        apiDecode: medians(apiDecode),
        apiTtft: medians(apiTtft),
      },
      multiTurn: { edgewise: medianTurns(runs.edgewise), peer: medianTurns(runs.peer) },
      multiTurnPeerError: peerRefused,
      targets,
    };
  } finally {
    // SIGTERM, then SIGKILL after a grace period, waiting for both to be gone: one run's llama-server never
    // finished its graceful shutdown, and the bench, holding its pipes, stayed alive with it for an hour.
    await stopChildren();
  }
}
