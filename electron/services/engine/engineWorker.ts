// The worker process that hosts node-llama-cpp. A native abort in llama.cpp ends this process only;
// the host notices, reports it and starts a fresh one.
import {
  getLlama,
  NoBinaryFoundError,
  LlamaChat,
  LlamaCompletion,
  type LlamaChatResponseChunk,
  type Llama,
  type LlamaOptions,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import { createDispatcher, RpcError, type Handlers, type RpcMessage, type Transport } from '../../../shared/rpc.ts';
import type {
  BackendName,
  FlashAttentionChoice,
  GpuChoice,
  Sampling,
  Speculation,
  ThreadChoice,
} from '../../../shared/schemas.ts';
import { workerContract, type GenerateResult, type WorkerContract } from './workerContract.ts';
import { physicalCores } from './cpuInfo.ts';
import { calibrateThreads, candidateThreads } from './threadCalibration.ts';
import { disposeDraft, speculationKey, tokenPredictor } from './speculation.ts';
import { assertTokenizable, vocabularyGuard, type VocabularyGuard } from './vocabularyGuard.ts';
import { PlainChatWrapper } from './plainChatWrapper.ts';
import { historyItems, SegmentTracker, thinkingPlan, thoughtsOf, wrappersFor, type ModelWrappers } from './thoughts.ts';
import { installedVersions, missingEngineMessage, missingPackages, resolvable } from './enginePackages.ts';
import { timeModel } from './speedTiming.ts';
import { ignoreEosBias } from './ignoreEos.ts';
import { conversationTurns, SequenceStates } from './sequenceStates.ts';
import { TextBatcher } from './textBatcher.ts';
import { embedTexts, releaseEmbedding } from './embedding.ts';
import { assertCanWriteJson, modelFunctions, requireFunctionCall } from './functionCalling.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function parentTransport(): Transport {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      onMessage: (listener) => {
        port.on('message', (e) => listener(e.data as RpcMessage));
        return () => {};
      },
    };
  }
  if (!process.send) throw new Error('engineWorker must run as a child process with an IPC channel');
  // The parent died (a killed app): do not linger holding the model's memory.
  process.on('disconnect', () => process.exit(0));
  return {
    send: (m) => process.send!(m),
    onMessage: (listener) => {
      process.on('message', (m) => listener(m as RpcMessage));
      return () => {};
    },
  };
}

const software = /llvmpipe|lavapipe|swiftshader|software/i;

let llama: Llama | null = null;
let llamaGpu: GpuChoice | null = null;
let model: LlamaModel | null = null;
let context: LlamaContext | null = null;
let sequence: LlamaContextSequence | null = null;
let sequenceKey = 'off';
let eosText = '';
let threads = physicalCores();
let flashAttention: FlashAttentionChoice = 'auto';
let guard: VocabularyGuard | null = null;
let plainChat = false;
let wrappers: ModelWrappers | null = null;
const genericTemplateText = '### Human:\n### Assistant:\n### System:\n<end>';
const running = new Map<string, AbortController>();
const states = new SequenceStates();
process.on('exit', () => states.clear());

/**
 * With `build: 'never'` a missing prebuilt binary means no engine at all: say which package is missing
 * and the command that installs it, rather than letting it read as a model that failed to load.
 */
async function getLlamaOrExplain(options: LlamaOptions): Promise<Llama> {
  try {
    return await getLlama(options);
  } catch (error) {
    if (!(error instanceof NoBinaryFoundError)) throw error;
    const { platform, arch } = process;
    const missing = missingPackages(platform, arch, resolvable);
    const packaged = import.meta.url.includes('app.asar');
    const message = missingEngineMessage({
      platform,
      arch,
      missing,
      versions: installedVersions(),
      packaged,
      cause: error.message,
    });
    throw new RpcError('engine_missing', message);
  }
}

async function obtainLlama(gpu: GpuChoice): Promise<Llama> {
  if (llama && llamaGpu === gpu) return llama;
  await llama?.dispose();
  llama = null;
  const options = { build: 'never' as const, maxThreads: threads, logLevel: 'error' as never };
  let next = await getLlamaOrExplain({ ...options, gpu: gpu === 'cpu' ? false : gpu });
  // "auto" must not settle on a Vulkan build without a real device: none at all (llama.cpp skips CPU-type
  // devices), or only a software one (llvmpipe), which is many times slower than the CPU path.
  if (gpu === 'auto' && next.gpu === 'vulkan') {
    const names = await next.getGpuDeviceNames();
    if (names.every((n) => software.test(n))) {
      await next.dispose();
      next = await getLlamaOrExplain({ ...options, gpu: false });
    }
  }
  llama = next;
  llamaGpu = gpu;
  return next;
}

function backendOf(l: Llama): BackendName {
  return l.gpu === false ? 'cpu' : l.gpu;
}

/**
 * One context with one sequence, reused across answers so a shared prompt prefix is not evaluated twice.
 * A sequence's token predictor is fixed when it is made, so another kind of speculation makes a new one.
 */
async function ensureSequence(contextSize: number, spec: Speculation | undefined): Promise<LlamaContextSequence> {
  if (!model || !llama) throw new RpcError('bad_input', 'No model is loaded');
  const size = Math.min(contextSize, model.trainContextSize);
  const key = speculationKey(spec);
  if (context && sequence && context.contextSize === size && sequenceKey === key) return sequence;
  // First the predictor: a refused draft model leaves the current sequence (and its cached prompt) as it is.
  const predictor = await tokenPredictor(llama, model, spec, size, threads);
  // A new sequence (and maybe context) holds nothing: states saved from the old one are dropped with it.
  states.clear();
  if (context && context.contextSize === size) sequence?.dispose();
  else {
    await context?.dispose();
    context = null;
    context = await model.createContext({
      contextSize: size,
      threads,
      sequences: 1,
      flashAttention: flashAttention === 'auto' ? 'auto' : flashAttention === 'on',
    });
  }
  sequence = null;
  sequence = context.getSequence({ tokenPredictor: predictor });
  sequenceKey = key;
  return sequence;
}

function repeatPenalty(s: Sampling) {
  return s.repeatPenalty > 1 ? { penalty: s.repeatPenalty } : (false as const);
}

/** Tokens scored for confidence: enough to judge an answer, few enough to cost a fraction of it. */
const CONFIDENCE_TOKENS = 128;

/**
 * Mean probability of the answer's own tokens. The tail of the answer is taken back out of the
 * context and evaluated again with node-llama-cpp's controlledEvaluate, reading for each position the
 * probability the model gave the token that followed; the context ends up holding the same tokens.
 */
async function answerConfidence(sequence: LlamaContextSequence, outputTokens: number): Promise<number | null> {
  const tokens = sequence.contextTokens;
  const n = Math.min(outputTokens, CONFIDENCE_TOKENS, tokens.length - 1);
  if (n < 2) return null;
  const answer = tokens.slice(tokens.length - n);
  await sequence.eraseContextTokenRanges([{ start: tokens.length - n, end: tokens.length }]);
  const results = await sequence.controlledEvaluate(
    answer.map((t) => [t, { generateNext: { probabilities: true } }] as const),
  );
  let sum = 0;
  for (let i = 0; i < n - 1; i++) sum += results[i]?.next.probabilities?.get(answer[i + 1]!) ?? 0;
  return sum / (n - 1);
}

async function releaseModel() {
  states.clear();
  await disposeDraft();
  await context?.dispose();
  await model?.dispose();
  context = null;
  sequence = null;
  model = null;
  guard = null;
  wrappers = null;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const handlers: Handlers<WorkerContract> = {
  async load({ path, gpu, threads: wanted, remembered, contextAhead, flashAttention: fa }) {
    await releaseModel();
    const l = await obtainLlama(gpu);
    flashAttention = fa ?? 'auto';
    // The pool node-llama-cpp splits among contexts must hold the largest count a context may ask for.
    if (wanted && l.maxThreads < wanted) l.maxThreads = wanted;
    model = await l.loadModel({
      modelPath: path,
      onLoadProgress: (progress) => emit('loadProgress', { progress }),
    });
    if (flashAttention === 'on' && !model.flashAttentionSupported) {
      await releaseModel();
      throw new RpcError(
        'bad_input',
        "llama.cpp has no flash attention for this model's architecture: set flash attention to auto or off.",
      );
    }
    const choice: ThreadChoice = wanted
      ? { threads: wanted, source: 'override', measurements: [], measuredAt: null, calibrationMs: null }
      : remembered
        ? { ...remembered, source: 'remembered' }
        : await calibrateThreads(model, candidateThreads(physicalCores()));
    threads = choice.threads;
    const tokenizer = model.fileInfo.metadata?.tokenizer?.ggml as { model?: unknown; tokens?: unknown } | undefined;
    guard = vocabularyGuard(tokenizer?.model, tokenizer?.tokens);
    const hasTemplate = typeof model.fileInfo.metadata?.tokenizer?.chat_template === 'string';
    const eos = model.tokens.eos;
    eosText = eos === null ? '' : model.detokenize([eos], true);
    plainChat = !hasTemplate && guard !== null && guard(genericTemplateText).length > 0;
    wrappers = plainChat ? null : wrappersFor(model);
    // Made ahead: the first answer finds its context (its memory and, on CPU, the thread pool) ready. One
    // that cannot be made now leaves the model loaded; the first answer tries again and says why it failed.
    if (contextAhead) await ensureSequence(contextAhead, undefined).catch(() => undefined);
    return {
      backend: backendOf(l),
      gpuDevices: l.gpu === false ? [] : await l.getGpuDeviceNames(),
      threads,
      threadChoice: choice,
    };
  },

  async unload() {
    await releaseModel();
    await releaseEmbedding();
    return { ok: true as const };
  },

  async usage() {
    const cpu = process.cpuUsage();
    // The device's memory in use as the backend reports it (all processes on that GPU, not only ours).
    // A driver without a memory-budget query (Mesa's llvmpipe) reports 0 in use with a model loaded:
    // that is no measurement, so it is sent as none.
    const state = llama && llama.gpu !== false ? await llama.getVramState() : null;
    const vram = state && state.used > 0 ? state : null;
    return {
      rssBytes: process.memoryUsage.rss(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      contextTokens: sequence?.nextTokenIndex ?? 0,
      contextSize: context?.contextSize ?? 0,
      vramUsedBytes: vram?.used ?? null,
      vramTotalBytes: vram?.total ?? null,
      draftValidated: sequence?.tokenPredictions.validated ?? 0,
      draftRefuted: sequence?.tokenPredictions.refuted ?? 0,
    };
  },

  async memory({ gpu }) {
    const l = llama ?? (await obtainLlama(gpu));
    const [ram, vram] = await Promise.all([l.getRamState(), l.gpu === false ? null : l.getVramState()]);
    return {
      backend: backendOf(l),
      gpuDevices: l.gpu === false ? [] : await l.getGpuDeviceNames(),
      ramTotal: ram.total,
      ramFree: ram.free,
      vramTotal: vram?.total ?? null,
      vramFree: vram?.free ?? null,
      unifiedBytes: vram?.unifiedSize ?? 0,
    };
  },

  async generate(args) {
    const { requestId, mode, systemPrompt, history, sampling, contextSize, scoreConfidence, speculation } = args;
    const { ignoreEos, thinking, functions, toolChoice, responseFormat } = args;
    // Registered before the first await: a stop that lands while the grammar, the context or the saved
    // state is being prepared must still be heard (it was lost, and the answer ran on to its maxTokens).
    const controller = new AbortController();
    running.set(requestId, controller);
    const batcher = new TextBatcher((text, tokens, thought) =>
      emit('token', { requestId, text, tokens, ...(thought === undefined ? {} : { thought }) }),
    );
    try {
      assertTokenizable(guard, systemPrompt, 'the system prompt');
      for (const t of history)
        assertTokenizable(guard, t.text, t.role === 'user' ? 'this message' : 'an earlier answer');
      const useFunctions = mode === 'chat' && functions && Object.keys(functions).length > 0;
      if (useFunctions) assertCanWriteJson(guard, 'a tool call');
      if (responseFormat) assertCanWriteJson(guard, 'JSON');
      if (useFunctions && responseFormat)
        throw new RpcError('bad_input', 'A JSON response format and tools cannot be asked for in the same answer.');
      const grammar = !responseFormat
        ? undefined
        : responseFormat.kind === 'json_object'
          ? await llama!.getGrammarFor('json')
          : await llama!.createGrammarForJsonSchema(responseFormat.schema as never).catch((error: unknown) => {
              throw new RpcError('bad_input', `This JSON schema cannot be made into a grammar: ${errorText(error)}`);
            });
      const sequence = await ensureSequence(contextSize, speculation);
      // Another conversation than the one the sequence holds: save it, and restore this one if it was saved.
      const turns = conversationTurns(mode, systemPrompt, history);
      await states.prepare(sequence, turns);
      states.answered(null);
      const predictionsBefore = { ...sequence.tokenPredictions };
      const started = performance.now();
      const inputBefore = sequence.tokenMeter.usedInputTokens;
      const outputBefore = sequence.tokenMeter.usedOutputTokens;
      let firstTokenAt = 0;
      let promptTokens = 0;
      let freshInput = 0;
      let outputTokens = 0;
      const segments = new SegmentTracker(started);
      /** What the user has been shown, kept for an answer stopped before node-llama-cpp returned a response. */
      const streamed = { text: '', thoughts: '' };
      const count = (tokens: number) => {
        if (tokens > 0 && outputTokens === 0) {
          firstTokenAt = performance.now();
          promptTokens = sequence.nextTokenIndex;
          freshInput = sequence.tokenMeter.usedInputTokens - inputBefore;
        }
        outputTokens += tokens;
      };
      const common = {
        signal: controller.signal,
        stopOnAbortSignal: true,
        maxTokens: sampling.maxTokens,
        temperature: sampling.temperature,
        topK: sampling.topK,
        topP: sampling.topP,
        minP: sampling.minP,
        seed: sampling.seed ?? undefined,
        repeatPenalty: repeatPenalty(sampling),
        ...(ignoreEos && model ? { tokenBias: ignoreEosBias(model) } : {}),
        // LlamaChat calls onToken for the answer's tokens only, so chat mode counts its chunks instead.
        onToken(tokens: readonly unknown[]) {
          if (mode === 'raw') count(tokens.length);
        },
        onTextChunk(text: string) {
          streamed.text += text;
          batcher.push(text, outputTokens);
        },
      };
      let text: string;
      let stop: string;
      let contextShifted = false;
      let thoughts = { thoughts: '', unclosed: false };
      let thinkingOff: 'template' | 'budget' | null = null;
      let functionCalls: { name: string; params: unknown }[] = [];
      try {
        if (controller.signal.aborted) {
          // Stopped while the context or the saved state was being prepared: nothing was generated.
          text = '';
          stop = 'abort';
        } else if (mode === 'raw') {
          const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
          const prompt = history.map((t) => t.text).join('');
          const result = await completion.generateCompletionWithMeta(prompt, common);
          text = result.response;
          stop = result.metadata.stopReason;
          completion.dispose();
        } else {
          const plan = wrappers ? thinkingPlan(wrappers, thinking) : null;
          thinkingOff = plan?.off ?? null;
          const chat = new LlamaChat({
            contextSequence: sequence,
            autoDisposeSequence: false,
            chatWrapper:
              useFunctions && toolChoice === 'required'
                ? requireFunctionCall(plan?.chatWrapper ?? new PlainChatWrapper())
                : (plan?.chatWrapper ?? new PlainChatWrapper()),
          });
          const items = historyItems(systemPrompt, history);
          const { onTextChunk: _answerOnly, ...options } = common;
          const result = await chat.generateResponse(items, {
            ...options,
            ...(plan?.budgets ? { budgets: plan.budgets } : {}),
            ...(useFunctions ? { functions: modelFunctions(functions), maxParallelFunctionCalls: 4 } : { grammar }),
            // Segments arrive here too (onTextChunk has the answer only): thoughts stream as their own text.
            onResponseChunk(chunk: LlamaChatResponseChunk) {
              count(chunk.tokens.length);
              const { text, thought } = segments.take(chunk);
              if (thought) streamed.thoughts += text;
              else streamed.text += text;
              if (text) batcher.push(text, outputTokens, thought);
            },
          });
          text = result.response;
          thoughts = thoughtsOf(result.fullResponse);
          stop = result.metadata.stopReason;
          functionCalls = (result.functionCalls ?? []).map((c) => ({
            name: c.functionName,
            params: c.params as unknown,
          }));
          contextShifted = (result.lastEvaluation?.contextWindow.length ?? items.length) < items.length;
          chat.dispose();
        }
      } catch (error) {
        // With stopOnAbortSignal node-llama-cpp returns what it has only once a token was generated: a stop
        // that lands during prompt evaluation throws the signal's reason instead. A stop is never an error.
        if (!controller.signal.aborted) throw error;
        text = streamed.text;
        stop = 'abort';
        thoughts = { thoughts: streamed.thoughts, unclosed: streamed.thoughts !== '' };
      }
      // The answer's last text goes out before anything slower (confidence) runs.
      batcher.flush();
      // Some base models end a story with an end token that llama.cpp does not treat as end-of-generation.
      if (eosText && text.endsWith(eosText)) text = text.slice(0, -eosText.length);
      const finished = performance.now();
      const ttft = firstTokenAt ? firstTokenAt - started : finished - started;
      const decodeSeconds = firstTokenAt ? (finished - firstTokenAt) / 1000 : 0;
      const engineOutputTokens = sequence.tokenMeter.usedOutputTokens - outputBefore;
      if (!firstTokenAt && engineOutputTokens > 0) {
        // The prompt was evaluated but no token was released: node-llama-cpp holds back a token that could
        // begin a stop text, and a 1-token answer ends holding it. The prompt's figures then come from the
        // sequence (the bench's prefill read 0 tokens here, and llama-bench was run with -p 0).
        promptTokens = sequence.nextTokenIndex;
        freshInput = sequence.tokenMeter.usedInputTokens - inputBefore;
      }
      const predictions = sequence.tokenPredictions;
      const guessed =
        speculation && speculation.kind !== 'off'
          ? {
              kind: speculation.kind,
              validated: predictions.validated - predictionsBefore.validated,
              refuted: predictions.refuted - predictionsBefore.refuted,
            }
          : null;
      const meanConfidence =
        scoreConfidence && stop !== 'abort' ? await answerConfidence(sequence, outputTokens) : null;
      // What the sequence now holds, for the next answer to continue (an aborted answer leaves it unknown).
      if (stop !== 'abort') states.answered(turns, text);
      const result: GenerateResult = {
        meanConfidence,
        engineOutputTokens,
        text,
        stopReason: stop === 'abort' ? 'aborted' : stop === 'maxTokens' ? 'maxTokens' : 'eos',
        ttftMs: ttft,
        promptTokens,
        evaluatedPromptTokens: freshInput,
        prefillTokensPerSec: ttft > 0 ? freshInput / (ttft / 1000) : 0,
        outputTokens,
        decodeTokensPerSec: decodeSeconds > 0 && outputTokens > 1 ? (outputTokens - 1) / decodeSeconds : 0,
        contextShifted,
        contextSize: sequence.context.contextSize,
        speculation: guessed,
        thoughts: thoughts.thoughts,
        ...segments.figures(finished),
        thoughtUnclosed: thoughts.unclosed,
        thinkingOff,
        functionCalls,
      };
      return result;
    } finally {
      batcher.flush();
      running.delete(requestId);
    }
  },

  abort({ requestId }) {
    running.get(requestId)?.abort();
    return { ok: true as const };
  },

  tokenize({ texts }) {
    if (!model) throw new RpcError('model_load_failed', 'No model is loaded to count tokens with.');
    const loaded = model;
    const readable = guard;
    return { counts: texts.map((t) => (readable && readable(t).length > 0 ? null : loaded.tokenize(t).length)) };
  },

  async embed({ path, gpu, texts }) {
    return embedTexts(llama ?? (await obtainLlama(gpu)), path, threads, texts);
  },

  async speedProbe({ path, gpu, threads: probeThreads, promptTokens, decodeTokens, maxSeconds }) {
    return timeModel(await obtainLlama(gpu), path, probeThreads, promptTokens, decodeTokens, maxSeconds);
  },
};

const transport = parentTransport();
const dispatch = createDispatcher(workerContract, handlers);
function emit<K extends keyof WorkerContract['events'] & string>(name: K, payload: unknown) {
  transport.send({ t: 'event', name, payload });
}
transport.onMessage((message) => void dispatch(message, (reply) => transport.send(reply)));
transport.send({ t: 'event', name: 'ready', payload: { pid: process.pid } });
