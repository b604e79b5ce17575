// `edgewise fit`: which model sizes fit which devices, as a table or as JSON.
import { join, resolve } from 'node:path';
import { presetDevices } from '../../shared/fit/devices.ts';
import { speedLabel } from '../../shared/fit/speed.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { FitService } from '../services/fit/fitService.ts';
import { DEMO_MODEL_FILE } from '../services/library/modelLibrary.ts';
import { bundledModelsDir, defaultDataDir } from '../services/paths.ts';
import { openDatabase } from '../services/store/database.ts';
import { SettingsStore } from '../services/store/settingsStore.ts';
import { buildMatrix, catalogFitModels, type FitModel, type Matrix } from '../../shared/fit/matrix.ts';
import { kvTypes, quantLevels, type KvType } from '../../shared/fit/quantLevels.ts';
import { EngineHost } from '../services/engine/engineHost.ts';
import { forkWorker } from '../services/engine/workerProcess.ts';
import { loadCatalog } from '../services/library/catalogFile.ts';
import { readLocalFacts } from '../services/fit/localFacts.ts';
import { CliError, exitCodes, gpuOption, numberOption, parseCommandLine } from './args.ts';
import { errorMessage } from '../../shared/errors.ts';
import { gb } from '../../shared/format.ts';

export const fitUsage = `Usage: edgewise fit [--quant ${quantLevels.map((q) => q.name).join('|')}] [--ctx N] [--kv-type f16|q8_0]
                    [--model PATH]... [--gpu auto|cpu|metal|cuda|vulkan] [--threads N] [--prompt-tokens N]
                    [--reading-speed TOK/S] [--measure] [--json]
       (--measure times the engine on this machine, a few seconds to a minute, and caches it per machine;
        until then this machine's speed is predicted from a memory-bandwidth probe)`;

const mark = { fits: 'fits ', tight: 'tight', no: '  -  ' } as const;

/** The fit service over the user's data folder (its settings hold the cached speed facts of this machine). */
export function openFitService(engine: EngineHost, threads: number): { fit: FitService; close: () => void } {
  const db = openDatabase(join(defaultDataDir(), 'edgewise.db'));
  const fit = new FitService({
    catalog: loadCatalog(),
    settings: new SettingsStore(db),
    memory: () => engine.memory(),
    engineThreads: threads,
    probeDir: join(defaultDataDir(), 'probe-models'),
    tokenizerFrom: join(bundledModelsDir(), DEMO_MODEL_FILE),
    timer: (path, t, prompt, decode, max) => engine.speedProbe(path, t, prompt, decode, max),
  });
  return { fit, close: () => db.close() };
}

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
        threads: { type: 'string' },
        'prompt-tokens': { type: 'string' },
        'reading-speed': { type: 'string' },
        measure: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    },
    fitUsage,
  );
  const threads = numberOption(values.threads, 'threads', 1, 256, true) ?? physicalCores();
  const promptTokens = numberOption(values['prompt-tokens'], 'prompt-tokens', 1, 131072, true) ?? 100;
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
      throw new CliError(exitCodes.badInput, `Cannot read ${path}: ${errorMessage(error)}`);
    }
  }
  const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: gpuOption(values.gpu) ?? 'auto' });
  const { fit, close } = openFitService(engine, threads);
  let machine;
  try {
    if (values.measure) {
      process.stderr.write(`Measuring this machine's engine speed at 1-${threads} thread(s) (cached per machine)…\n`);
      await fit.measure();
    }
    machine = await fit.machine();
  } finally {
    await engine.dispose();
    close();
  }
  const readingSpeed = numberOption(values['reading-speed'], 'reading-speed', 0.1, 10_000, false);
  const matrix = buildMatrix(models, [...presetDevices, machine], {
    quant: values.quant,
    ctx,
    kvType: values['kv-type'] as KvType,
    promptTokens,
    ...(readingSpeed ? { readingSpeed } : {}),
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
    line(['', ...m.devices.map((d) => `${gb(d.budgetBytes)} of ${gb(d.memoryBytes)} usable`)]),
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
  const machine = m.devices.length - 1;
  lines.push(
    '',
    `Predicted speed on ${m.devices[machine]!.name} (a prediction, not a measurement; decode with the context full):`,
  );
  for (const row of m.rows) {
    for (const x of row.cells[machine]?.models ?? []) {
      if (x.verdict === 'no') continue;
      lines.push(
        `  ${x.name.padEnd(28)} ${x.quantization.padEnd(8)} ${speedLabel(x.speed)}${x.tooSlow ? '  (slower than the reading speed)' : ''}`,
      );
    }
  }
  for (const d of m.devices) lines.push('', `${d.name}: ${d.explanation}`, `  Speed facts: ${d.speedSource}`);
  return lines.join('\n') + '\n';
}
