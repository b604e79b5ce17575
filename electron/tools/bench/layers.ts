// The layers the benchmark compares on one model, prompt, thread count and greedy sampling:
// (a) node-llama-cpp alone, in this process, a plain evaluate loop; (b) Edgewise's engine (worker + RPC).
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { EngineHost } from '../../services/engine/engineHost.ts';
import { trackedWorker } from './children.ts';
import { defaultSampling, type FlashAttentionChoice, type ThreadChoice } from '../../../shared/schemas.ts';
import { mappedCpuVariant } from './peer/sharedGgml.ts';
import { timeGreedy } from '../../services/engine/greedyTiming.ts';

export interface LayerResult {
  threads: number;
  ttftMs: number;
  prefillTokensPerSec: number;
  decodeTokensPerSec: number;
  tokens: number;
}

/** (a): node-llama-cpp's evaluate loop, greedy, no chat template, no stop triggers. */
export async function benchInProcess(
  modelPath: string,
  prompt: string,
  tokens: number,
  threads: number,
  maxSeconds = Infinity,
): Promise<LayerResult> {
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 1024, threads, sequences: 1 });
  try {
    const input = model.tokenize(prompt);
    // A badly oversubscribed thread count can run at a token per few seconds: the sweep caps its time.
    const t = await timeGreedy(context.getSequence(), input, tokens, { seconds: maxSeconds, from: 'start' });
    return {
      threads,
      ttftMs: t.ttftMs,
      prefillTokensPerSec: input.length / (t.ttftMs / 1000),
      decodeTokensPerSec: (t.tokens - 1) / t.decodeSeconds,
      tokens: t.tokens,
    };
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
}

/** (b): the same work through the engine worker, as the app runs it (raw mode, greedy). */
/**
 * (b) with `prefillTokens`, prefill is measured as llama-bench's pp measures it, rather than on the short
 * bench prompt: a prompt of that many tokens, none of them in the context already, evaluated in one
 * batch; the figure is those tokens over the time to the first token (which adds one greedy sampling to
 * llama-bench's pure evaluation). A 6-token prompt costs about what one decode step does (the weights are
 * read once either way), so prefill measured on it read 6-7× slower than pp64 without being slower.
 */
export async function benchEngine(
  modelPath: string,
  prompt: string,
  tokens: number,
  threads: number,
  prefillTokens?: number,
  flashAttention?: FlashAttentionChoice,
): Promise<LayerResult & { hostTtftMs: number; cpuVariant: string | null; prefillPromptTokens: number | null }> {
  const engine = new EngineHost({ spawn: trackedWorker, onStatus: () => {}, gpu: 'cpu', threads, flashAttention });
  try {
    await engine.load({ id: 'bench', name: 'bench', path: modelPath });
    // Which of node-llama-cpp's CPU libraries ggml picked for this machine (Linux: the worker's mappings).
    const cpuVariant = engine.pid ? mappedCpuVariant(engine.pid) : null;
    // Warm-up: the first request creates the context, which (a) also does before its clock starts.
    const sampling = { ...defaultSampling, temperature: 0, repeatPenalty: 1 };
    // Another prompt, so that the measured one is evaluated rather than taken from the cache.
    await engine.generate(
      {
        requestId: 'warm-up',
        mode: 'raw',
        systemPrompt: '',
        history: [{ role: 'user', text: 'Warm up.' }],
        contextSize: 1024,
        sampling: { ...sampling, maxTokens: 1 },
      },
      () => {},
    );
    const started = performance.now();
    let firstSeen = 0;
    const result = await engine.generate(
      {
        requestId: 'bench',
        mode: 'raw',
        systemPrompt: '',
        history: [{ role: 'user', text: prompt }],
        contextSize: 1024,
        sampling: { ...sampling, maxTokens: tokens },
      },
      () => {
        firstSeen ||= performance.now();
      },
    );
    const prefill = prefillTokens ? await measurePrefill(engine, prompt, prefillTokens) : null;
    return {
      threads,
      ttftMs: result.ttftMs,
      hostTtftMs: firstSeen - started,
      prefillTokensPerSec: prefill?.tokensPerSec ?? result.prefillTokensPerSec,
      prefillPromptTokens: prefill?.evaluated ?? null,
      decodeTokensPerSec: result.decodeTokensPerSec,
      tokens: result.outputTokens,
      cpuVariant,
    };
  } finally {
    await engine.dispose();
  }
}

/** The thread count the engine picks by itself for this model (measured now: nothing remembered). */
export async function engineThreadChoice(modelPath: string): Promise<ThreadChoice> {
  const engine = new EngineHost({ spawn: trackedWorker, onStatus: () => {}, gpu: 'cpu', threads: null });
  try {
    const status = await engine.load({ id: 'bench', name: 'bench', path: modelPath });
    if (!status.threadChoice) throw new Error('The engine reported no thread choice');
    return status.threadChoice;
  } finally {
    await engine.dispose();
  }
}

/** The bench prompt's words repeated, cut to at most `n` tokens of the loaded model's vocabulary. */
async function promptOfTokens(engine: EngineHost, seed: string, n: number): Promise<string> {
  const words = `${seed}. They played in the park with a big red ball, and one day they found a little dog.`.split(' ');
  const all: string[] = [];
  while (all.length < n) all.push(...words);
  const count = async (k: number) => (await engine.countTokens([all.slice(0, k).join(' ')]))?.counts[0] ?? Infinity;
  // Fewest words first: a word is at least one token, so n words is an upper bound; search down from it.
  let lo = 1;
  let hi = Math.min(all.length, n);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await count(mid)) <= n) lo = mid;
    else hi = mid - 1;
  }
  return all.slice(0, lo).join(' ');
}

async function measurePrefill(
  engine: EngineHost,
  seed: string,
  n: number,
): Promise<{ tokensPerSec: number; evaluated: number }> {
  const prompt = await promptOfTokens(engine, seed, n);
  const sampling = { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: 1 };
  const ask = (requestId: string, text: string) =>
    engine.generate(
      { requestId, mode: 'raw', systemPrompt: '', history: [{ role: 'user', text }], contextSize: 1024, sampling },
      () => {},
    );
  // Another prompt first, so that this one shares no tokens with what the context holds (but the BOS).
  await ask('prefill-reset', 'Warm up.');
  const r = await ask('prefill', prompt);
  return { tokensPerSec: r.prefillTokensPerSec, evaluated: r.evaluatedPromptTokens ?? r.promptTokens };
}
