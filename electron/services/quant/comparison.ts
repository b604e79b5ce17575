// Compares two to six variants of one model on the same work. The variant with the most bits per weight
// is the base: it runs first and leaves its log-probabilities in a scratch file that the others are
// measured against. Variants run one after another, never interleaved, so each has the whole machine
// and its speed is its own; the answers still stream into their columns as each runs. A file may be
// listed twice: compared with itself it must show no divergence, which is how the measure is checked.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { VariantResult } from '../../../shared/quant.ts';
import type { VariantJob, VariantReport } from './compareWorker.ts';
import { checkedFacts, QuantizeError } from './quantizer.ts';
import { runChildJob } from './childJob.ts';

export interface CompareOptions {
  files: string[];
  textPath: string;
  ctx: number;
  prompt: string;
  maxTokens: number;
  threads: number;
  signal?: AbortSignal;
  onEvent?: (event: CompareEvent) => void;
}

export type CompareEvent =
  | { kind: 'stage'; index: number; stage: string; fraction: number }
  | { kind: 'delta'; index: number; text: string }
  | { kind: 'variant'; index: number; result: VariantResult };

export interface CompareOutcome {
  settings: {
    ctx: number;
    textName: string;
    textTokens: number;
    chunks: number;
    scoredPositions: number;
    prompt: string;
    maxTokens: number;
    threads: number;
  };
  variants: VariantResult[];
}

type WorkerResult = Extract<VariantReport, { kind: 'result' }>;

async function runVariant(index: number, job: VariantJob, options: CompareOptions): Promise<WorkerResult> {
  // Set by the callback; asserted so that TypeScript does not narrow it to null here.
  let outcome = null as WorkerResult | Error | null;
  const exit = await runChildJob('compareWorker', job, {
    signal: options.signal,
    onMessage: (message) => {
      const report = message as VariantReport;
      if (report.kind === 'stage')
        options.onEvent?.({ kind: 'stage', index, stage: report.stage, fraction: report.fraction });
      else if (report.kind === 'delta') options.onEvent?.({ kind: 'delta', index, text: report.text });
      else if (report.kind === 'result') outcome = report;
      else if (report.kind === 'error')
        outcome = new QuantizeError('failed', `${basename(job.file)}: ${report.message}`);
    },
  });
  if (exit.aborted) throw new QuantizeError('cancelled', 'The comparison was cancelled.');
  if (outcome) {
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
  throw new QuantizeError(
    'failed',
    `${basename(job.file)}: the measuring process ended (${exit.signal ?? `code ${exit.code}`}) without a result, most likely a crash inside llama.cpp.${exit.stderr ? `\n${exit.stderr}` : ''}`,
  );
}

export async function compareModels(options: CompareOptions): Promise<CompareOutcome> {
  if (options.files.length < 2 || options.files.length > 6)
    throw new QuantizeError('bad_input', `Compare two to six files (got ${options.files.length}).`);
  const facts = [];
  for (const file of options.files) {
    const local = await checkedFacts(file);
    facts.push({
      index: facts.length,
      file,
      quantization: local.quantization,
      sizeBytes: (await stat(file)).size,
      bitsPerWeight: local.bitsPerWeight,
    });
  }
  const base = facts.reduce((best, f) => (f.bitsPerWeight > best.bitsPerWeight ? f : best));
  const order = [base, ...facts.filter((f) => f !== base)];
  const scratch = await mkdtemp(join(tmpdir(), 'edgewise-compare-'));
  const results: VariantResult[] = [];
  let settings: CompareOutcome['settings'] | null = null;
  try {
    let tokensHash: string | null = null;
    for (const variant of order) {
      const isBase = variant === base;
      const r = await runVariant(
        variant.index,
        {
          file: variant.file,
          textPath: options.textPath,
          ctx: options.ctx,
          threads: options.threads,
          prompt: options.prompt,
          maxTokens: options.maxTokens,
          logProbsPath: join(scratch, 'base.logprobs'),
          isBase,
          tokensHash,
        },
        options,
      );
      tokensHash ??= r.tokensHash;
      settings ??= {
        ctx: options.ctx,
        textName: basename(options.textPath),
        textTokens: r.textTokens,
        chunks: r.chunks,
        scoredPositions: r.scoredPositions,
        prompt: options.prompt,
        maxTokens: options.maxTokens,
        threads: options.threads,
      };
      const result: VariantResult = {
        file: variant.file,
        name: basename(variant.file),
        quantization: variant.quantization,
        sizeBytes: variant.sizeBytes,
        bitsPerWeight: variant.bitsPerWeight,
        loadMs: r.loadMs,
        peakMemoryBytes: r.peakMemoryBytes,
        perplexity: r.perplexity,
        kldMean: r.kldMean,
        kldP99: r.kldP99,
        top1Agreement: r.top1Agreement,
        prefillTokensPerSec: r.prefillTokensPerSec,
        decodeTokensPerSec: r.decodeTokensPerSec,
        ttftMs: r.ttftMs,
        answer: r.answer,
        isBase,
      };
      results[variant.index] = result;
      options.onEvent?.({ kind: 'variant', index: variant.index, result });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { settings: settings!, variants: results };
}
