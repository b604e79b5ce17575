// `edgewise fit`: which model sizes fit which devices, as a table or as JSON.
import { resolve } from 'node:path';
import { presetDevices } from '../../shared/fit/devices.ts';
import { buildMatrix, catalogFitModels, type FitModel, type Matrix } from '../../shared/fit/matrix.ts';
import { kvTypes, quantLevels, type KvType } from '../../shared/fit/quantLevels.ts';
import { EngineHost } from '../services/engine/engineHost.ts';
import { forkWorker } from '../services/engine/workerProcess.ts';
import { loadCatalog } from '../services/library/catalogFile.ts';
import { readLocalFacts } from '../services/fit/localFacts.ts';
import { thisMachine } from '../services/fit/thisMachine.ts';
import { CliError, exitCodes, gpuOption, numberOption, parseCommandLine } from './args.ts';

export const fitUsage = `Usage: edgewise fit [--quant ${quantLevels.map((q) => q.name).join('|')}] [--ctx N] [--kv-type f16|q8_0]
                    [--model PATH]... [--gpu auto|cpu|metal|cuda|vulkan] [--json]`;

const gb = (n: number) => (n / 1024 ** 3).toFixed(1);
const mark = { fits: 'fits ', tight: 'tight', no: '  -  ' } as const;

export async function fitCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        quant: { type: 'string', default: 'Q4_K_M' },
        ctx: { type: 'string' },
        'kv-type': { type: 'string', default: 'f16' },
        model: { type: 'string', multiple: true },
        gpu: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    fitUsage,
  );
  if (!quantLevels.some((q) => q.name === values.quant)) {
    throw new CliError(
      exitCodes.badInput,
      `--quant must be one of ${quantLevels.map((q) => q.name).join(', ')} (got "${values.quant}")`,
    );
  }
  if (!(values['kv-type'] in kvTypes))
    throw new CliError(exitCodes.badInput, `--kv-type must be f16 or q8_0 (got "${values['kv-type']}")`);
  const ctx = numberOption(values.ctx, 'ctx', 256, 1_048_576, true) ?? 8192;

  const models: FitModel[] = catalogFitModels(loadCatalog());
  for (const path of values.model ?? []) {
    try {
      const local = await readLocalFacts(resolve(path));
      models.push({ id: resolve(path), name: path, ...local });
    } catch (error) {
      throw new CliError(exitCodes.badInput, `Cannot read ${path}: ${(error as Error).message}`);
    }
  }
  const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: gpuOption(values.gpu) ?? 'auto' });
  let machine;
  try {
    machine = thisMachine(await engine.memory());
  } finally {
    await engine.dispose();
  }
  const matrix = buildMatrix(models, [...presetDevices, machine], {
    quant: values.quant,
    ctx,
    kvType: values['kv-type'] as KvType,
  });
  process.stdout.write(values.json ? JSON.stringify(matrix, null, 2) + '\n' : table(matrix));
  return exitCodes.ok;
}

function table(m: Matrix): string {
  const width = 26;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(10) : c.slice(0, width - 2).padEnd(width)))
      .join('')
      .trimEnd();
  const lines = [
    `Fit at ${m.controls.quant}, ${m.controls.ctx}-token context, ${m.controls.kvType} KV cache ("fits" leaves a fifth of the budget free; "-" does not fit)`,
    '',
    line(['', ...m.devices.map((d) => d.name)]),
    line(['', ...m.devices.map((d) => `${gb(d.budgetBytes)} of ${gb(d.memoryBytes)} GB usable`)]),
  ];
  for (const row of m.rows) {
    lines.push(
      line([
        row.tier,
        ...row.cells.map(
          (c) => `${mark[c.verdict]} ${c.models.filter((x) => x.verdict !== 'no').length}/${c.models.length} run`,
        ),
      ]),
    );
  }
  for (const d of m.devices) lines.push('', `${d.name}: ${d.explanation}`);
  return lines.join('\n') + '\n';
}
