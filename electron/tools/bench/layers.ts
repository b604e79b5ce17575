// The layers the benchmark compares on one model, prompt, thread count and greedy sampling:
// (a) node-llama-cpp alone, in this process, a plain evaluate loop; (b) Edgewise's engine (worker + RPC).
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { EngineHost } from '../../services/engine/engineHost.ts';
import { trackedWorker } from './children.ts';
import { defaultSampling, type ThreadChoice } from '../../../shared/schemas.ts';
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
export async function benchEngine(
  modelPath: string,
  prompt: string,
  tokens: number,
  threads: number,
): Promise<LayerResult & { hostTtftMs: number; cpuVariant: string | null }> {
  const engine = new EngineHost({ spawn: trackedWorker, onStatus: () => {}, gpu: 'cpu', threads });
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
    return {
      threads,
      ttftMs: result.ttftMs,
      hostTtftMs: firstSeen - started,
      prefillTokensPerSec: result.prefillTokensPerSec,
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
