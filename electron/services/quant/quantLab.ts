// The Quantize & Compare view's back end: quantization jobs (one level after another, each cancellable)
// and comparisons (kept in the store when they finish). Files made here go to the models folder, so the
// library lists them like any other model.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison, QuantTypeName } from '../../../shared/quant.ts';
import { quantTargets } from '../../../shared/quant.ts';
import { RpcError } from '../../../shared/rpc.ts';
import type { AppEmit } from '../events.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { ComparisonStore } from '../store/comparisonStore.ts';
import { compareModels } from './comparison.ts';
import {
  defaultOutputName,
  fittingMatrices,
  levelBlocker,
  planQuantize,
  QuantizeError,
  quantizeModel,
} from './quantizer.ts';
import { errorMessage } from '../../../shared/errors.ts';

export interface QuantLabOptions {
  library: ModelLibrary;
  comparisons: ComparisonStore;
  emit: AppEmit;
  threads: number;
  scratchDir: string;
  referenceText: string;
}

function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof QuantizeError)
    return new RpcError(
      error.code === 'bad_input' ? 'bad_input' : error.code === 'cancelled' ? 'aborted' : 'internal',
      error.message,
    );
  return new RpcError('internal', errorMessage(error));
}

export class QuantLab {
  private readonly options: QuantLabOptions;
  private readonly jobs = new Map<string, AbortController>();

  constructor(options: QuantLabOptions) {
    this.options = options;
  }

  /** The levels this model can be made into, and why any cannot. */
  async levels(modelId: string) {
    const model = await this.options.library.get(modelId);
    const plan = await planQuantize(model.path).catch((error: unknown) => {
      throw toRpcError(error);
    });
    return {
      sourceType: plan.sourceType,
      levels: quantTargets.map((t) => ({
        type: t.name,
        blocker: levelBlocker(plan, t.name),
        fallbackTensors: plan.rowWidths.length - fittingMatrices(plan, t.name),
        totalTensors: plan.rowWidths.length,
      })),
    };
  }

  async startQuantize(modelId: string, types: QuantTypeName[]): Promise<{ jobId: string }> {
    const model = await this.options.library.get(modelId);
    await planQuantize(model.path).catch((error: unknown) => {
      throw toRpcError(error);
    });
    const jobId = randomUUID();
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    await mkdir(this.options.library.modelsDir, { recursive: true });
    void (async () => {
      for (const type of types) {
        const emit = (state: 'running' | 'done' | 'failed' | 'cancelled', extra: Record<string, unknown> = {}) =>
          this.options.emit('quant.progress', {
            jobId,
            type,
            state,
            done: 0,
            total: 0,
            message: null,
            result: null,
            ...extra,
          });
        if (controller.signal.aborted) {
          emit('cancelled', { message: 'Cancelled before it started.' });
          continue;
        }
        emit('running');
        try {
          const result = await quantizeModel({
            source: model.path,
            type,
            out: join(this.options.library.modelsDir, defaultOutputName(model.path, type)),
            threads: this.options.threads,
            signal: controller.signal,
            onProgress: (p) => emit('running', { done: p.done, total: p.total }),
          });
          emit('done', { result, done: 1, total: 1 });
          this.options.emit('models.changed', {});
        } catch (error) {
          const e = toRpcError(error);
          emit(e.code === 'aborted' ? 'cancelled' : 'failed', { message: e.message });
        }
      }
      this.jobs.delete(jobId);
    })();
    return { jobId };
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.abort();
    return Boolean(job);
  }

  async startCompare(args: {
    modelIds: string[];
    ctx: number;
    prompt: string;
    maxTokens: number;
    text: { name: string; content: string } | null;
  }): Promise<{ jobId: string }> {
    const models = await Promise.all(args.modelIds.map((id) => this.options.library.get(id)));
    const jobId = randomUUID();
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    let textPath = this.options.referenceText;
    let ownText: string | null = null;
    if (args.text) {
      await mkdir(this.options.scratchDir, { recursive: true });
      ownText = join(this.options.scratchDir, `compare-${jobId}.txt`);
      await writeFile(ownText, args.text.content);
      textPath = ownText;
    }
    void (async () => {
      try {
        const outcome = await compareModels({
          files: models.map((m) => m.path),
          textPath,
          ctx: args.ctx,
          prompt: args.prompt,
          maxTokens: args.maxTokens,
          threads: this.options.threads,
          signal: controller.signal,
          onEvent: (event) => this.options.emit('compare.event', { jobId, ...event }),
        });
        if (args.text) outcome.settings.textName = args.text.name;
        const saved: Comparison = this.options.comparisons.save(outcome.settings, outcome.variants);
        this.options.emit('compare.done', { jobId, comparison: saved, error: null });
      } catch (error) {
        this.options.emit('compare.done', { jobId, comparison: null, error: toRpcError(error).message });
      } finally {
        this.jobs.delete(jobId);
        if (ownText) await rm(ownText, { force: true });
      }
    })();
    return { jobId };
  }

  dispose(): void {
    for (const job of this.jobs.values()) job.abort();
  }
}
