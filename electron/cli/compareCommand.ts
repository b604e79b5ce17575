// `edgewise compare FILE... [--text PATH] [--ctx N] [--prompt TEXT] [--json]`: quantization levels side by side.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { comparisonJson } from '../../shared/quant.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { referenceTextPath } from '../services/paths.ts';
import { compareModels } from '../services/quant/comparison.ts';
import { asCliError } from './quantizeCommand.ts';
import { CliError, exitCodes, numberOption, parseCommandLine } from './args.ts';

export const compareUsage = `Usage: edgewise compare FILE... [--text PATH] [--ctx N] [--prompt TEXT] [--tokens N] [--threads N] [--json]
       (2 to 6 GGUF files of one model; the one with the most bits per weight is the base for KL divergence)`;

export async function compareCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        text: { type: 'string' },
        ctx: { type: 'string' },
        prompt: { type: 'string', default: 'Once upon a time' },
        tokens: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    compareUsage,
  );
  const { values, positionals } = parsed;
  const files = positionals.map((p) => resolve(p));
  for (const file of files) if (!existsSync(file)) throw new CliError(exitCodes.badInput, `${file} does not exist`);
  const textPath = values.text ? resolve(values.text) : referenceTextPath();
  if (!existsSync(textPath)) throw new CliError(exitCodes.badInput, `--text ${textPath} does not exist`);
  const say = (line: string) => {
    if (!values.json) console.error(line);
  };
  try {
    const outcome = await compareModels({
      files,
      textPath,
      ctx: numberOption(values.ctx, 'ctx', 64, 8192, true) ?? 512,
      prompt: values.prompt,
      maxTokens: numberOption(values.tokens, 'tokens', 1, 1024, true) ?? 128,
      threads: numberOption(values.threads, 'threads', 1, 512, true) ?? physicalCores(),
      onEvent: (event) => {
        if (event.kind === 'variant')
          say(`  ${basename(event.result.file)}: perplexity ${event.result.perplexity.toFixed(4)}`);
      },
    });
    if (values.json) {
      process.stdout.write(JSON.stringify(comparisonJson(outcome.variants), null, 2) + '\n');
      return exitCodes.ok;
    }
    const s = outcome.settings;
    console.log(
      `${s.textName}: ${s.textTokens} tokens, ${s.chunks} chunks of ${s.ctx}, ${s.scoredPositions} positions scored; ${s.threads} thread(s)`,
    );
    console.log(
      'file                                   size MB  bpw   PPL        KLD mean  KLD p99  top-1   prefill t/s  decode t/s  peak MB',
    );
    for (const v of outcome.variants) {
      console.log(
        [
          (v.isBase ? '* ' : '  ') + basename(v.file).padEnd(36).slice(0, 36),
          (v.sizeBytes / 1e6).toFixed(2).padStart(7),
          v.bitsPerWeight.toFixed(2).padStart(5),
          v.perplexity.toFixed(4).padStart(10),
          v.kldMean.toFixed(5).padStart(9),
          v.kldP99.toFixed(4).padStart(8),
          `${(v.top1Agreement * 100).toFixed(1)}%`.padStart(7),
          v.prefillTokensPerSec.toFixed(0).padStart(12),
          v.decodeTokensPerSec.toFixed(0).padStart(11),
          (v.peakMemoryBytes / 1e6).toFixed(1).padStart(8),
        ].join(' '),
      );
    }
    console.log(
      '* base: the variant with the most bits per weight; KL divergence and top-1 agreement are measured against it.',
    );
    return exitCodes.ok;
  } catch (error) {
    throw asCliError(error);
  }
}
