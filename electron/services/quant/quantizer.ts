// Makes one quantization level of a model with llama.cpp's quantizer, in a child process. The result is
// written under a ".partial" name next to its destination and renamed only once it has been written,
// checked and loaded, so a cancel, a failure or a crash never leaves a half file where a model is
// expected (and the models folder's leftovers are swept at start).
import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { quantTargets, highPrecisionTypes, type QuantizeResult, type QuantTypeName } from '../../../shared/quant.ts';
import { readLocalFacts } from '../fit/localFacts.ts';
import { checkGguf, GgufError } from '../library/ggufCheck.ts';
import type { QuantizeReport } from './quantizeWorker.ts';
import { runChildJob } from './childJob.ts';
import { errorMessage } from '../../../shared/errors.ts';

export const PARTIAL_SUFFIX = '.partial';

/** Sizes in messages: a tiny disk's free space must not read as "0.00 GB". */
function sizeText(n: number): string {
  if (n < 1e6) return `${Math.round(n / 1e3)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

const freeBytes = (dir: string) => statfs(dir).then((s) => s.bavail * s.bsize);

/**
 * Whether a failed quantization ran out of disk: llama.cpp reports a failed write only as "basic_ios::clear:
 * iostream error", so the folder's free space is measured at the failure, with the partial file still in it.
 * A write fails with less room left than the tensor it was writing; anything under 1% of the result's upper
 * bound (the source's size), or under 1 MB, is taken as full, and the message gives the figure measured.
 */
async function outOfSpace(dir: string, upperBound: number, text: string): Promise<number | null> {
  const free = await freeBytes(dir).catch(() => null);
  if (free === null) return null;
  return /ENOSPC|no space left/i.test(text) || free < Math.max(1e6, upperBound / 100) ? free : null;
}

export class QuantizeError extends Error {
  readonly code: 'bad_input' | 'cancelled' | 'failed';
  constructor(code: QuantizeError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface QuantizePlan {
  source: string;
  sourceType: string;
  parameters: number;
  rowWidths: number[];
}

/** A GGUF's facts after the structural check, with its bits per weight; a broken file is bad input. */
export async function checkedFacts(path: string) {
  try {
    await checkGguf(path);
  } catch (error) {
    if (error instanceof GgufError) throw new QuantizeError('bad_input', `${basename(path)}: ${error.message}`);
    throw error;
  }
  const facts = await readLocalFacts(path);
  return { ...facts, bitsPerWeight: (facts.weightsBytes * 8) / facts.facts.parameters };
}

/** Reads the source's type and 2-D tensor row widths; refuses sources that are already coarse. */
export async function planQuantize(source: string): Promise<QuantizePlan> {
  const facts = await checkedFacts(source);
  if (!highPrecisionTypes.includes(facts.quantization)) {
    throw new QuantizeError(
      'bad_input',
      `${basename(source)} is ${facts.quantization}. Start a ladder from ${highPrecisionTypes.join(', ')}: requantizing a coarse file adds its error to the new one.`,
    );
  }
  return { source, sourceType: facts.quantization, parameters: facts.facts.parameters, rowWidths: facts.rowWidths };
}

/** How many of the model's matrices have rows the level's blocks fit (llama.cpp falls the others back). */
export function fittingMatrices(plan: QuantizePlan, type: QuantTypeName): number {
  const target = quantTargets.find((t) => t.name === type)!;
  return plan.rowWidths.filter((w) => w % target.rowBlock === 0).length;
}

/** Why a level cannot be made from this model, or null. Ternary levels are refused when no tensor has rows they fit. */
export function levelBlocker(plan: QuantizePlan, type: QuantTypeName): string | null {
  const target = quantTargets.find((t) => t.name === type)!;
  if (type.startsWith('TQ') && fittingMatrices(plan, type) === 0) {
    return `${type} needs tensor rows that are multiples of ${target.rowBlock}; this model's rows are ${[...new Set(plan.rowWidths)].join(', ')} wide, so llama.cpp would store no tensor as ${type}`;
  }
  return null;
}

export function defaultOutputName(source: string, type: string): string {
  const stem = basename(source, extname(source)).replace(/[-.](f32|f16|bf16|q8_0)$/i, '');
  return `${stem}-${type}.gguf`;
}

export interface QuantizeOptions {
  source: string;
  type: QuantTypeName;
  out: string;
  threads: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; tensor: string }) => void;
}

export async function quantizeModel(options: QuantizeOptions): Promise<QuantizeResult> {
  const { source, type, out } = options;
  const started = performance.now();
  const plan = await planQuantize(source);
  const blocker = levelBlocker(plan, type);
  if (blocker) throw new QuantizeError('bad_input', blocker);
  if (existsSync(out))
    throw new QuantizeError('bad_input', `${out} already exists; choose another --out or delete it first`);
  if (!existsSync(dirname(out))) throw new QuantizeError('bad_input', `the folder ${dirname(out)} does not exist`);
  const free = await freeBytes(dirname(out));
  const needed = (await stat(source)).size;
  if (free < needed)
    throw new QuantizeError(
      'bad_input',
      `${dirname(out)} has ${sizeText(free)} free; the result may need up to ${sizeText(needed)}`,
    );

  const partial = out + PARTIAL_SUFFIX;
  const ftype = quantTargets.find((t) => t.name === type)!.ftype;
  let fallbacks = 0;
  let loaded = false;
  let errorText = '';
  const exit = await runChildJob(
    'quantizeWorker',
    {
      input: source,
      output: partial,
      ftype,
      threads: options.threads,
      requantize: !['F32', 'F16', 'BF16'].includes(plan.sourceType),
    },
    {
      signal: options.signal,
      onLine: (line) => {
        let report: QuantizeReport;
        try {
          report = JSON.parse(line) as QuantizeReport;
        } catch {
          return;
        }
        if (report.kind === 'progress') options.onProgress?.(report);
        else if (report.kind === 'fallback') fallbacks++;
        else if (report.kind === 'error') errorText = report.text;
        else if (report.kind === 'loaded') loaded = true;
      },
    },
  );

  if (exit.aborted || exit.code !== 0 || !loaded) {
    const full = exit.aborted ? null : await outOfSpace(dirname(out), needed, `${errorText}\n${exit.stderr}`);
    await rm(partial, { force: true });
    if (full !== null)
      throw new QuantizeError(
        'failed',
        `Quantizing ${basename(source)} to ${type} failed: the disk is full (${dirname(out)} had ${sizeText(full)} free when the write failed; llama.cpp said "${errorText.replace(/^llama_model_quantize: /, '').trim() || `exit ${exit.code ?? exit.signal}`}"). The partial file was removed; free some space and try again.`,
      );
    if (exit.aborted)
      throw new QuantizeError(
        'cancelled',
        `Quantizing ${basename(source)} to ${type} was cancelled; nothing was written.`,
      );
    const why =
      errorText ||
      (exit.signal
        ? `the quantizer process ended with ${exit.signal} (a crash inside llama.cpp)`
        : `the quantizer exited with code ${exit.code}`);
    throw new QuantizeError(
      'failed',
      `Quantizing ${basename(source)} to ${type} failed: ${why}${exit.stderr && !errorText ? `\n${exit.stderr}` : ''}`,
    );
  }
  let facts;
  try {
    facts = await checkedFacts(partial);
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw new QuantizeError('failed', `the quantized file did not pass the GGUF check: ${errorMessage(error)}`);
  }
  return {
    path: out,
    type,
    sizeBytes: (await stat(out)).size,
    bitsPerWeight: facts.bitsPerWeight,
    fallbacks,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Removes ".partial" files a crashed or killed run left in a folder. */
export async function sweepPartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => n.endsWith('.gguf' + PARTIAL_SUFFIX));
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale;
}
