// Owns the worker process and its lifecycle: start, load with progress, generate (one at a time),
// and recovery when the worker dies: report at once, start a new worker, reload the last good model.
import { createClient, RpcError, type Client } from '../../../shared/rpc.ts';
import {
  defaultSettings,
  type EngineStatus,
  type FlashAttentionChoice,
  type GpuChoice,
  type ThreadChoice,
} from '../../../shared/schemas.ts';
import type { WorkerContract, GenerateResult, MachineMemory, WorkerUsage } from './workerContract.ts';
import type { SpawnWorker, WorkerProcess } from './workerProcess.ts';
import type { z } from 'zod';
import { errorMessage } from '../../../shared/errors.ts';
import { removeStatesOf } from './sequenceStates.ts';

/** Text as it streams; `thought` is true inside a thought segment. */
export type TokenListener = (text: string, tokens: number, thought: boolean) => void;
type GenerateArgs = z.input<WorkerContract['calls']['generate']['args']>;
export interface EngineHostOptions {
  spawn: SpawnWorker;
  onStatus: (status: EngineStatus) => void;
  gpu?: GpuChoice;
  /** The user's thread count (a flag, or a setting read at each load); it always wins over a measurement. */
  threads?: number | null | (() => number | null);
  /** Flash attention (a flag, or a setting read at each load); auto, llama.cpp's own choice, when absent. */
  flashAttention?: FlashAttentionChoice | (() => FlashAttentionChoice);
  /** Thread counts measured per model file on this machine, so that a model is measured on its first load only. */
  threadMemory?: ThreadMemory;
  /** Crashes in a minute after which the worker is not restarted (a crash loop); 5 unless set. */
  crashLimit?: number;
  /**
   * Tests and the benchmark only, never a user setting: every answer ignores the end-of-text token and runs
   * to its maxTokens unless stopped, so a test acting mid-answer cannot find it already finished.
   */
  ignoreEos?: boolean;
}
export interface ThreadMemory {
  recall(modelPath: string, gpu: GpuChoice): ThreadChoice | null;
  remember(modelPath: string, gpu: GpuChoice, choice: ThreadChoice): void;
}
export interface LoadableModel {
  id: string;
  name: string;
  path: string;
}

/** An option given as a value, or as a function read at each load (a setting the user may change). */
const now = <T>(option: T | (() => T)): T => (typeof option === 'function' ? (option as () => T)() : option);

const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES_IN_WINDOW = 5;
/** Texts per worker call: messages stay small, and a generation asked while a large file is embedded waits
 *  for one batch, not the whole file (each batch takes the lock on its own). */
const TOKENIZE_BATCH = 500;
const EMBED_BATCH = 32;

export class EngineHost {
  private worker: WorkerProcess | null = null;
  private client: Client<WorkerContract> | null = null;
  private ready: Promise<void> | null = null;
  private model: LoadableModel | null = null;
  private loading: LoadableModel | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private crashes: number[] = [];
  private disposed = false;
  private tokenListeners = new Map<string, TokenListener>();
  status: EngineStatus = {
    state: 'starting',
    modelId: null,
    modelName: null,
    backend: null,
    gpuDevices: [],
    threads: null,
    threadChoice: null,
    progress: null,
    error: null,
    restarts: 0,
  };

  private readonly options: EngineHostOptions;
  constructor(options: EngineHostOptions) {
    this.options = options;
  }

  get loadedModel(): LoadableModel | null {
    return this.model;
  }
  get pid(): number | undefined {
    return this.worker?.pid;
  }

  private setStatus(change: Partial<EngineStatus>) {
    this.status = { ...this.status, ...change };
    this.options.onStatus(this.status);
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = this.options.spawn();
    const client = createClient<WorkerContract>(worker.transport);
    this.worker = worker;
    this.client = client;
    client.on('loadProgress', ({ progress }) => this.setStatus({ progress }));
    client.on('token', ({ requestId, text, tokens, thought }) =>
      this.tokenListeners.get(requestId)?.(text, tokens, thought ?? false),
    );
    this.ready = new Promise<void>((resolve, reject) => {
      const off = client.on('ready', () => {
        off();
        resolve();
      });
      worker.onExit((code, signal) => {
        off();
        reject(new RpcError('engine_crashed', `The engine process could not start (exit ${code ?? signal})`));
        this.onWorkerExit(worker, code, signal);
      });
    });
    return this.ready;
  }

  private onWorkerExit(worker: WorkerProcess, code: number | null, signal: string | null) {
    removeStatesOf(worker.pid);
    if (this.worker !== worker) return;
    const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
    const crashedWhileLoading = this.loading;
    const message = crashedWhileLoading
      ? `The engine crashed while loading ${crashedWhileLoading.name} (it ${how}); llama.cpp could not read this file.`
      : `The engine process ${how}. It is restarting; your conversation is safe.`;
    this.client?.failPending(new RpcError('engine_crashed', message));
    this.worker = null;
    this.client = null;
    this.ready = null;
    this.loading = null;
    this.tokenListeners.clear();
    if (this.disposed) return;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS).concat(now);
    this.setStatus({ state: 'crashed', error: message, progress: null, restarts: this.status.restarts + 1 });
    if (this.crashes.length > (this.options.crashLimit ?? MAX_CRASHES_IN_WINDOW)) {
      this.setStatus({
        state: 'error',
        error: `${message} It crashed ${this.crashes.length} times in a minute, so it was not restarted; load a model to try again.`,
      });
      this.model = null;
      return;
    }
    const reload = this.model;
    this.model = null;
    void this.start().then(
      async () => {
        if (reload) await this.load(reload).catch(() => undefined);
        else this.setStatus({ state: 'idle', error: message });
      },
      () => undefined,
    );
  }

  /** Loads and generations share one worker: each waits for the one before it, failed or not. */
  private withLock<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  load(model: LoadableModel, gpu?: GpuChoice): Promise<EngineStatus> {
    return this.withLock(async () => {
      await this.start();
      this.loading = model;
      const flashAttention = now(this.options.flashAttention) ?? 'auto';
      this.setStatus({
        state: 'loading',
        modelId: model.id,
        modelName: model.name,
        flashAttention,
        progress: 0,
        error: null,
      });
      try {
        const threads = now(this.options.threads) ?? null;
        const memory = this.options.threadMemory;
        const backend = gpu ?? this.options.gpu ?? 'auto';
        const result = await this.client!.call('load', {
          flashAttention,
          path: model.path,
          gpu: backend,
          threads,
          remembered: threads === null ? (memory?.recall(model.path, backend) ?? null) : null,
          contextAhead: defaultSettings.contextSize,
        });
        if (result.threadChoice.source === 'measured') memory?.remember(model.path, backend, result.threadChoice);
        this.model = model;
        this.setStatus({
          state: 'ready',
          backend: result.backend,
          gpuDevices: result.gpuDevices,
          threads: result.threads,
          threadChoice: result.threadChoice,
          progress: 1,
          error: null,
        });
        return this.status;
      } catch (error) {
        const message = errorMessage(error);
        const crashed = error instanceof RpcError && error.code === 'engine_crashed';
        this.model = null;
        if (error instanceof RpcError && error.code === 'engine_missing') {
          // Not this model's fault: every model would fail the same way until the engine is installed.
          this.setStatus({ state: 'error', modelId: null, modelName: null, progress: null, error: message });
          throw error;
        }
        if (!crashed)
          this.setStatus({
            state: 'error',
            modelId: null,
            modelName: null,
            progress: null,
            error: `Could not load ${model.name}: ${message}`,
          });
        throw new RpcError('model_load_failed', `Could not load ${model.name}: ${message}`);
      } finally {
        this.loading = null;
      }
    });
  }

  /** Runs one generation; calls come back in the order they were asked. */
  generate(args: GenerateArgs, onToken: TokenListener, signal?: AbortSignal): Promise<GenerateResult> {
    return this.withLock(async () => {
      if (signal?.aborted) throw new RpcError('aborted', 'Stopped before it started');
      if (!this.client || !this.model)
        throw new RpcError('model_load_failed', 'No model is loaded: choose a model first.');
      this.tokenListeners.set(args.requestId, onToken);
      const onAbort = () => this.abort(args.requestId);
      signal?.addEventListener('abort', onAbort);
      try {
        return await this.client.call('generate', this.options.ignoreEos ? { ...args, ignoreEos: true } : args);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        this.tokenListeners.delete(args.requestId);
      }
    });
  }

  /**
   * Token counts by the loaded model's tokenizer, or null when no model is loaded (the caller then estimates).
   * Queued behind loads and generations like them: a load swaps the model the tokenizer belongs to.
   */
  countTokens(texts: string[]): Promise<{ modelId: string; counts: (number | null)[] } | null> {
    return this.withLock(async () => {
      const model = this.model;
      if (!this.client || !model) return null;
      const counts: (number | null)[] = [];
      for (let i = 0; i < texts.length; i += TOKENIZE_BATCH)
        counts.push(...(await this.client.call('tokenize', { texts: texts.slice(i, i + TOKENIZE_BATCH) })).counts);
      return { modelId: model.id, counts };
    });
  }

  /** Embedding vectors from the model file at `path`, in this worker, queued like a generation. */
  async embed(path: string, texts: string[]): Promise<{ vectors: Float32Array[]; truncated: number }> {
    const vectors: Float32Array[] = [];
    let truncated = 0;
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      const part = await this.withLock(async () => {
        await this.start();
        return this.client!.call('embed', {
          path,
          gpu: this.options.gpu ?? 'auto',
          texts: texts.slice(i, i + EMBED_BATCH),
        });
      });
      vectors.push(...part.vectors.map((v) => Float32Array.from(v)));
      truncated += part.truncated;
    }
    return { vectors, truncated };
  }

  /** This machine's memory as the engine's backend sees it; does not wait for a generation to end. */
  async memory(): Promise<MachineMemory> {
    await this.start();
    return this.client!.call('memory', { gpu: this.options.gpu ?? 'auto' });
  }

  /** Times a prompt and a few decoded tokens on another model file, in this worker (fit's speed probe). */
  async speedProbe(path: string, threads: number, promptTokens: number, decodeTokens: number, maxSeconds?: number) {
    await this.start();
    return this.client!.call('speedProbe', {
      path,
      gpu: this.options.gpu ?? 'auto',
      threads,
      promptTokens,
      decodeTokens,
      ...(maxSeconds ? { maxSeconds } : {}),
    });
  }

  /** The worker's memory, CPU time, context fill and the GPU's memory in use; null when no worker runs. */
  async usage(): Promise<({ pid: number } & WorkerUsage) | null> {
    const client = this.client;
    const pid = this.worker?.pid;
    if (!client || pid === undefined) return null;
    return { pid, ...(await client.call('usage', {})) };
  }

  abort(requestId: string): void {
    void this.client?.call('abort', { requestId }).catch(() => undefined);
  }

  async startWorker(): Promise<void> {
    await this.start();
    if (this.status.state === 'starting') this.setStatus({ state: 'idle' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    if (!worker) return;
    await Promise.race([
      this.client?.call('unload', {}).catch(() => undefined),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = new Promise<boolean>((resolve) => {
      worker.onExit(() => resolve(true));
      timer = setTimeout(() => resolve(false), 5000);
    });
    worker.kill();
    // A worker busy in native code (or in node-llama-cpp's own exit handlers) can outlast SIGTERM; it must
    // not outlive its host holding a model's memory and a core (seen after a bench run: 30 minutes).
    if (!(await exited)) worker.kill('SIGKILL');
    clearTimeout(timer);
  }
}
