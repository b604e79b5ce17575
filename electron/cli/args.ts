// Parsing and checking CLI options; a wrong value is "bad input" (exit code 2) with a plain message.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { flashAttentionChoice, gpuChoice, type FlashAttentionChoice, type GpuChoice } from '../../shared/schemas.ts';
import { errorMessage } from '../../shared/errors.ts';

export const exitCodes = { ok: 0, badInput: 2, loadFailed: 3, engineCrashed: 4, dataLocked: 5 } as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new CliError(
      exitCodes.badInput,
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${value}")`,
    );
  }
  return n;
}

export function gpuOption(value: string | undefined): GpuChoice | undefined {
  if (value === undefined) return undefined;
  const parsed = gpuChoice.safeParse(value);
  if (!parsed.success)
    throw new CliError(exitCodes.badInput, `--gpu must be one of ${gpuChoice.options.join(', ')} (got "${value}")`);
  return parsed.data;
}

export function flashAttentionOption(value: string | undefined): FlashAttentionChoice | undefined {
  if (value === undefined) return undefined;
  const parsed = flashAttentionChoice.safeParse(value);
  if (!parsed.success)
    throw new CliError(
      exitCodes.badInput,
      `--flash-attention must be one of ${flashAttentionChoice.options.join(', ')} (got "${value}")`,
    );
  return parsed.data;
}

/** node:util's parseArgs (strict), where a wrong flag is bad input that comes with the command's usage. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliError(exitCodes.badInput, `${errorMessage(error)}\n${usage}`);
  }
}
