// `edgewise quantize SRC --type T [--out PATH] [--json]`: one level of a model with llama.cpp's quantizer.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { quantTypeNames, type QuantTypeName } from '../../shared/quant.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { defaultDataDir } from '../services/paths.ts';
import { defaultOutputName, QuantizeError, quantizeModel } from '../services/quant/quantizer.ts';
import { CliError, exitCodes, numberOption, parseCommandLine } from './args.ts';

export const quantizeUsage = `Usage: edgewise quantize SRC --type ${quantTypeNames.join('|')} [--out PATH] [--threads N] [--json]
       (SRC is an F32, F16, BF16 or Q8_0 GGUF; the result goes to Edgewise's models folder unless --out says otherwise)`;

/** The lab's errors as the CLI reports them: bad input is exit code 2, anything else 1. */
export function asCliError(error: unknown): unknown {
  return error instanceof QuantizeError
    ? new CliError(error.code === 'bad_input' ? exitCodes.badInput : 1, error.message)
    : error;
}

export async function quantizeCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        out: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    quantizeUsage,
  );
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new CliError(exitCodes.badInput, `Give exactly one source file.\n${quantizeUsage}`);
  if (!values.type || !quantTypeNames.includes(values.type as QuantTypeName)) {
    throw new CliError(
      exitCodes.badInput,
      `--type must be one of ${quantTypeNames.join(', ')} (got "${values.type ?? ''}")`,
    );
  }
  const type = values.type as QuantTypeName;
  const source = resolve(positionals[0]!);
  const out = values.out ? resolve(values.out) : join(defaultDataDir(), 'models', defaultOutputName(source, type));
  if (!values.out) mkdirSync(dirname(out), { recursive: true });
  const threads = numberOption(values.threads, 'threads', 1, 512, true) ?? physicalCores();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let last = -1;
  try {
    const result = await quantizeModel({
      source,
      type,
      out,
      threads,
      signal: controller.signal,
      onProgress: ({ done, total }) => {
        const percent = Math.floor((done / total) * 100);
        if (!values.json && process.stderr.isTTY && percent !== last)
          process.stderr.write(`\r${type}: ${percent}% (${done}/${total} tensors)`);
        last = percent;
      },
    });
    if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
    if (values.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    } else {
      console.log(
        `Wrote ${result.path}: ${(result.sizeBytes / 1e6).toFixed(2)} MB, ${result.bitsPerWeight.toFixed(2)} bits per weight, in ${result.seconds.toFixed(1)} s`,
      );
      if (result.fallbacks > 0)
        console.log(
          `${result.fallbacks} tensor(s) fell back to another type: their rows are not a multiple of the block size of the type llama.cpp picked for them.`,
        );
    }
    return exitCodes.ok;
  } catch (error) {
    throw asCliError(error);
  }
}
