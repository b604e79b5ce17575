// `edgewise bench`: where every millisecond goes, on one model, prompt, thread count and greedy sampling:
// (a) node-llama-cpp alone in process, (b) Edgewise's engine worker, (c) the headless shell with the UI
// in Chromium, plus start-up, a thread sweep, 10,000 tokens streamed under watch and a 500-message
// scroll. `edgewise bench make-model` writes the synthetic model the targets are measured on.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { benchEngine, benchInProcess, engineThreadChoice, type LayerResult } from '../tools/bench/layers.ts';
import { benchScreen, type ScreenResult } from '../tools/bench/screen.ts';
import { fireTargets, layerCTargets, target } from '../tools/bench/screenTargets.ts';
import { makeSyntheticModel, parseParameterCount, syntheticFileName } from '../services/quant/syntheticModel.ts';
import { writeThinkingModel } from '../services/quant/thinkingModel.ts';
import { benchSpeculative } from '../tools/bench/speculative.ts';
import { attentionMarkdown, benchAttention } from '../tools/bench/attentionBench.ts';
import { benchPeer } from '../tools/bench/peer/peerBench.ts';
import { peerMarkdown } from '../tools/bench/peer/peerTable.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { DEMO_MODEL_FILE } from '../services/library/modelLibrary.ts';
import { appRoot, bundledModelsDir } from '../services/paths.ts';
import { quantTypeNames, type QuantTypeName } from '../../shared/quant.ts';
import { CliError, exitCodes, gpuOption, numberOption, parseCommandLine } from './args.ts';
import { searchBenchCommand, searchBenchUsage } from './searchBenchCommand.ts';
import { errorMessage } from '../../shared/errors.ts';
import { describeThreadChoice } from '../../shared/format.ts';
import { atStop, stopOnSignals } from '../tools/bench/children.ts';

export const benchUsage = `Usage: edgewise bench [--model PATH] [--tokens N] [--fire-tokens N] [--markdown-tokens N] [--no-screen] [--quick] [--json]
       edgewise bench --peer [--model PATH] [--threads N] [--tokens N] [--repetitions N] [--peer-libs shared|static] [--flash-attention on|off] [--json]
       edgewise bench --attention [--model PATH] [--threads N] [--depths 0,512,1536] [--repetitions N] [--gpu cpu|auto|metal|cuda|vulkan] [--json]
       edgewise bench --speculative [--model PATH] [--draft PATH] [--threads N] [--tokens N] [--repetitions N] [--json]
       edgewise bench make-model --params 300M [--type Q4_0] [--tokenizer PATH] [--out PATH] [--json]
       edgewise bench make-model --thinking [--out PATH] [--json]   (a tiny Qwen3-style model that thinks, for tests)
       (without --model, the bench runs on a synthetic 300M Q4_0 model, made once into bench-results/models/)
${searchBenchUsage}`;
const PROMPT = 'Lily and Ben were friends';
/** Flags that only one mode reads. */
const modeFlags = {
  draft: 'speculative',
  depths: 'attention',
  gpu: 'attention',
  'peer-libs': 'peer',
  'flash-attention': 'peer',
} as const;
const benchDir = () => join(appRoot(), 'bench-results');
const demoModel = () => join(bundledModelsDir(), DEMO_MODEL_FILE);

/** Saves a run's JSON in bench-results/ (named by kind and time) and prints it (--json) or where it went. */
function saveRun(kind: string, run: { at: string }, json: boolean | undefined, say: (line: string) => void) {
  mkdirSync(benchDir(), { recursive: true });
  const file = join(benchDir(), `${kind ? `${kind}-` : ''}${run.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
  if (json) process.stdout.write(JSON.stringify(run, null, 2) + '\n');
  else say(`Saved ${file}`);
}

async function makeModelCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        params: { type: 'string' },
        type: { type: 'string', default: 'Q4_0' },
        tokenizer: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        thinking: { type: 'boolean' },
      },
    },
    benchUsage,
  );
  if (values.thinking) return makeThinkingModel(values.out, values.json ?? false);
  let parameters: number;
  try {
    parameters = parseParameterCount(String(values.params ?? ''));
  } catch (error) {
    throw new CliError(exitCodes.badInput, errorMessage(error));
  }
  if (parameters < 1e6 || parameters > 100e9)
    throw new CliError(exitCodes.badInput, '--params must be from 1M to 100B');
  const type = String(values.type);
  if (type !== 'F16' && !quantTypeNames.includes(type as QuantTypeName))
    throw new CliError(exitCodes.badInput, `--type must be F16 or one of ${quantTypeNames.join(', ')}`);
  const out = resolve(String(values.out ?? join(benchDir(), 'models', syntheticFileName(String(values.params), type))));
  if (existsSync(out)) throw new CliError(exitCodes.badInput, `${out} already exists`);
  mkdirSync(join(out, '..'), { recursive: true });
  const result = await makeSyntheticModel({
    parameters,
    type: type as QuantTypeName | 'F16',
    tokenizerFrom: resolve(String(values.tokenizer ?? demoModel())),
    out,
    threads: physicalCores(),
  });
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else
    console.log(
      `Wrote ${result.path}: ${(result.parameters / 1e6).toFixed(0)}M parameters (${result.shape.layers} layers × ${result.shape.embedding}, FFN ${result.shape.ff}), ${type}, ${(result.sizeBytes / 1e6).toFixed(0)} MB, in ${result.seconds.toFixed(1)} s`,
    );
  return exitCodes.ok;
}

/** The crafted thinking model: deterministic thought and answer through node-llama-cpp's thought segments. */
async function makeThinkingModel(outOption: string | undefined, json: boolean): Promise<number> {
  const out = resolve(outOption ?? join(benchDir(), 'models', 'thinking-qwen3-style.gguf'));
  if (existsSync(out)) throw new CliError(exitCodes.badInput, `${out} already exists`);
  mkdirSync(join(out, '..'), { recursive: true });
  const result = await writeThinkingModel(out);
  if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else
    console.log(
      `Wrote ${result.path}: a Qwen3-style thinking model (crafted weights, vocabulary ${result.vocab}), ${(result.sizeBytes / 1e6).toFixed(1)} MB`,
    );
  return exitCodes.ok;
}

/** The default subject: the synthetic 300M Q4_0 model, made on first use. */
async function syntheticModel(say: (line: string) => void): Promise<string> {
  const path = join(benchDir(), 'models', syntheticFileName('300M', 'Q4_0'));
  if (existsSync(path)) return path;
  say('Making the synthetic 300M Q4_0 model (once; it is kept in bench-results/models/)…');
  mkdirSync(join(benchDir(), 'models'), { recursive: true });
  await makeSyntheticModel({
    parameters: 300e6,
    type: 'Q4_0',
    tokenizerFrom: demoModel(),
    out: path,
    threads: physicalCores(),
  });
  return path;
}

async function sweep(
  modelPath: string,
  tokens: number,
  maxThreads: number,
  say: (line: string) => void,
  label: string,
) {
  const results: LayerResult[] = [];
  for (let threads = 1; threads <= maxThreads; threads++) {
    const r = await benchInProcess(modelPath, PROMPT, tokens, threads, 15);
    results.push(r);
    say(
      `  (a) ${label}, ${threads} thread(s): decode ${r.decodeTokensPerSec.toFixed(1)} tok/s, prefill ${r.prefillTokensPerSec.toFixed(0)} tok/s, TTFT ${r.ttftMs.toFixed(1)} ms${r.tokens < tokens ? ` (stopped after ${r.tokens} tokens, 15 s)` : ''}`,
    );
  }
  return { results, fastest: results.reduce((a, b) => (b.decodeTokensPerSec > a.decodeTokensPerSec ? b : a)) };
}

async function peerCommand(
  values: {
    model?: string;
    threads?: string;
    tokens?: string;
    repetitions?: string;
    json?: boolean;
    'peer-libs'?: string;
    'flash-attention'?: string;
  },
  say: (line: string) => void,
): Promise<number> {
  const libraries = values['peer-libs'] ?? 'shared';
  const fa = values['flash-attention'];
  if (fa !== undefined && fa !== 'on' && fa !== 'off')
    throw new CliError(exitCodes.badInput, `--flash-attention must be on or off, not "${fa}"`);
  if (libraries !== 'shared' && libraries !== 'static')
    throw new CliError(exitCodes.badInput, `--peer-libs must be shared or static, not "${libraries}"`);
  const modelPath = values.model ? resolve(values.model) : await syntheticModel(say);
  if (!existsSync(modelPath)) throw new CliError(exitCodes.badInput, `--model ${modelPath} does not exist`);
  const threads = numberOption(values.threads, 'threads', 1, 1024, true) ?? 1;
  const tokens = numberOption(values.tokens, 'tokens', 8, 4096, true) ?? 128;
  const repetitions = numberOption(values.repetitions, 'repetitions', 3, 100, true) ?? 3;
  say(
    `Peer benchmark: ${basename(modelPath)}, "${PROMPT}", ${tokens} tokens, greedy, ${threads} thread(s), ${repetitions} alternating repetitions`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'edgewise-peer-'));
  const forget = atStop(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const loadBefore = loadavg()[0]!;
    const result = await benchPeer({
      modelPath,
      prompt: PROMPT,
      threads,
      tokens,
      repetitions,
      dataDir,
      libraries,
      flashAttention: fa,
      say,
    });
    for (const t of result.targets)
      say(`  ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.value}${t.cause ? ` (${t.cause})` : ''}`);
    // The load average beside the figures: on a shared machine it says how far to trust them.
    const load = `${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (1-min load average, ${cpus().length} logical CPUs)`;
    const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: physicalCores(), load };
    const markdown = peerMarkdown(result, machine);
    say('');
    say(markdown);
    say('');
    const out = {
      at: new Date().toISOString(),
      machine: { cpu: machine.cpu, physicalCores: machine.cores, ramBytes: totalmem(), load },
      model: { file: basename(modelPath), sizeBytes: statSync(modelPath).size },
      ...result,
      markdown,
    };
    saveRun('peer', out, values.json, say);
    return exitCodes.ok;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    forget();
  }
}

async function attentionCommand(
  values: { model?: string; threads?: string; depths?: string; repetitions?: string; gpu?: string; json?: boolean },
  say: (line: string) => void,
): Promise<number> {
  const gpu = gpuOption(values.gpu) ?? 'cpu';
  const modelPath = values.model ? resolve(values.model) : await syntheticModel(say);
  if (!existsSync(modelPath)) throw new CliError(exitCodes.badInput, `--model ${modelPath} does not exist`);
  const threads = numberOption(values.threads, 'threads', 1, 1024, true) ?? 1;
  const repetitions = numberOption(values.repetitions, 'repetitions', 1, 100, true) ?? 3;
  const depths = (values.depths ?? '0,512,1536').split(',').map((d) => numberOption(d, 'depths', 0, 131072, true)!);
  say(
    `Flash attention on against off: ${basename(modelPath)}, ${threads} thread(s), depths ${depths.join(', ')}, ${repetitions} alternating repetitions`,
  );
  const result = await benchAttention({ modelPath, threads, depths, repetitions, gpu, say }).catch((error: unknown) => {
    throw new CliError(exitCodes.badInput, errorMessage(error));
  });
  const markdown = attentionMarkdown(result, basename(modelPath));
  say('');
  say(markdown);
  say('');
  const out = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: physicalCores(), load: loadavg()[0] },
    model: basename(modelPath),
    ...result,
    markdown,
  };
  saveRun('attention', out, values.json, say);
  return exitCodes.ok;
}

async function speculativeCommand(
  values: { model?: string; draft?: string; threads?: string; tokens?: string; repetitions?: string; json?: boolean },
  say: (line: string) => void,
): Promise<number> {
  const modelPath = resolve(String(values.model ?? demoModel()));
  const draftModelPath = values.draft ? resolve(values.draft) : null;
  for (const path of [modelPath, draftModelPath])
    if (path && !existsSync(path)) throw new CliError(exitCodes.badInput, `${path} does not exist`);
  const threads = numberOption(values.threads, 'threads', 1, 1024, true) ?? 1;
  const tokens = numberOption(values.tokens, 'tokens', 8, 4096, true) ?? 128;
  const repetitions = numberOption(values.repetitions, 'repetitions', 1, 100, true) ?? 5;
  say(
    `Speculative decoding: ${basename(modelPath)}${draftModelPath ? `, draft ${basename(draftModelPath)}` : ''}, ${tokens} tokens, greedy, ${threads} thread(s), ${repetitions} alternating repetitions`,
  );
  const result = await benchSpeculative({
    modelPath,
    draftModelPath,
    seedPrompt: PROMPT,
    tokens,
    threads,
    repetitions,
    say,
  });
  for (const s of result.summary)
    say(
      `  ${s.kind}: median ${s.medianDecodeTokensPerSec.toFixed(1)} tok/s${s.speedup ? `, ×${s.speedup.median.toFixed(2)} of off (${s.speedup.min.toFixed(2)}–${s.speedup.max.toFixed(2)})` : ''}${s.acceptanceRate !== null ? `, ${(s.acceptanceRate * 100).toFixed(0)}% of guesses kept` : ''}${s.kind === 'off' ? '' : s.identicalOutput ? ', same text as off' : ', TEXT DIFFERS FROM OFF'}`,
    );
  const out = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: physicalCores() },
    model: basename(modelPath),
    ...result,
  };
  saveRun('speculative', out, values.json, say);
  return result.summary.every((s) => s.identicalOutput) ? exitCodes.ok : 1;
}

export async function benchCommand(argv: string[]): Promise<number> {
  // SIGTERM or Ctrl-C stops every process the bench started, then the bench itself.
  stopOnSignals();
  if (argv[0] === 'make-model') return makeModelCommand(argv.slice(1));
  if (argv[0] === 'search') return searchBenchCommand(argv.slice(1));
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        model: { type: 'string' },
        tokens: { type: 'string' },
        'fire-tokens': { type: 'string' },
        'markdown-tokens': { type: 'string' },
        'no-screen': { type: 'boolean' },
        quick: { type: 'boolean' },
        json: { type: 'boolean' },
        speculative: { type: 'boolean' },
        attention: { type: 'boolean' },
        depths: { type: 'string' },
        gpu: { type: 'string' },
        peer: { type: 'boolean' },
        'peer-libs': { type: 'string' },
        'flash-attention': { type: 'string' },
        draft: { type: 'string' },
        threads: { type: 'string' },
        repetitions: { type: 'string' },
      },
    },
    benchUsage,
  );
  const quick = Boolean(values.quick);
  const say = (line: string) => {
    if (!values.json) console.log(line);
  };
  // A flag of another mode would be ignored, and the run read as if it had applied (a CPU run taken for --gpu's).
  const mode = values.speculative ? 'speculative' : values.attention ? 'attention' : values.peer ? 'peer' : null;
  for (const [flag, owner] of Object.entries(modeFlags))
    if (values[flag as keyof typeof values] !== undefined && owner !== mode)
      throw new CliError(exitCodes.badInput, `--${flag} applies to edgewise bench --${owner} only.\n${benchUsage}`);
  if (values.speculative) return speculativeCommand(values, say);
  if (values.attention) return attentionCommand(values, say);
  if (values.peer) return peerCommand(values, say);
  const modelPath = values.model ? resolve(String(values.model)) : quick ? demoModel() : await syntheticModel(say);
  if (!existsSync(modelPath)) throw new CliError(exitCodes.badInput, `--model ${modelPath} does not exist`);
  const tokens = numberOption(values.tokens, 'tokens', 8, 4096, true) ?? 128;
  const fireTokens = numberOption(values['fire-tokens'], 'fire-tokens', 0, 100_000, true) ?? (quick ? 300 : 10_000);
  // The Markdown answer under fire is as long as the plain-text run, unless asked otherwise.
  const markdownTokens = numberOption(values['markdown-tokens'], 'markdown-tokens', 0, 32_768, true) ?? fireTokens;
  const cores = physicalCores();
  const maxThreads = quick ? 1 : cores + 2;

  say(`Benchmark: ${basename(modelPath)}, "${PROMPT}", ${tokens} tokens, greedy, CPU`);
  const main = await sweep(modelPath, tokens, maxThreads, say, basename(modelPath));
  // The default is what the engine measures for itself on a first load, taken right after the sweep.
  const choice = quick ? null : await engineThreadChoice(modelPath);
  if (choice) say(`  engine default: ${describeThreadChoice(choice)} (in ${choice.calibrationMs} ms)`);
  const defaultThreads = choice?.threads ?? cores;
  const atDefault = main.results.find((r) => r.threads === defaultThreads) ?? main.results[0]!;
  // (a), (b) and (c) at the same thread count: the fastest, where any overhead shows most.
  const threads = main.fastest.threads;
  // (a) again at that count, right before (b), so the two are measured side by side.
  const a = await benchInProcess(modelPath, PROMPT, tokens, threads);
  const b = await benchEngine(modelPath, PROMPT, tokens, threads);
  say(
    `  (b) engine worker, ${threads} thread(s): decode ${b.decodeTokensPerSec.toFixed(1)} tok/s, TTFT ${b.ttftMs.toFixed(1)} ms in the worker, ${b.hostTtftMs.toFixed(1)} ms to the host`,
  );

  let screen:
    | (Omit<ScreenResult, 'startup' | 'notMeasured'> & {
        startup: ScreenResult['startup'] | null;
        fireThreads: number;
        demoSweep: { threads: number; decodeTokensPerSec: number }[];
      })
    | null = null;
  // Each part that could not be measured says so, with why; the others are still measured and reported.
  const notMeasured: string[] = [];
  if (values['no-screen']) notMeasured.push('(c), start-up, the UI under fire and scrolling: --no-screen');
  else {
    let c: ScreenResult | null = null;
    try {
      c = await benchScreen({
        modelPath,
        fireModelPath: demoModel(),
        threads,
        prompt: PROMPT,
        tokens,
        fireTokens: 0,
      });
    } catch (error) {
      notMeasured.push(`(c) and start-up: ${errorMessage(error)}`);
    }
    try {
      // Under fire: the demo model at its own fastest thread count, so tokens come as fast as they can.
      const demo = quick
        ? { fastest: { threads: 1 }, results: [] as LayerResult[] }
        : await sweep(demoModel(), 64, maxThreads, say, 'demo model');
      const fire = await benchScreen({
        modelPath: demoModel(),
        fireModelPath: demoModel(),
        threads: demo.fastest.threads,
        prompt: PROMPT,
        tokens: 0,
        fireTokens,
        markdownTokens,
      });
      notMeasured.push(...fire.notMeasured);
      screen = {
        ...(c ?? { startup: null, c: null }),
        fire: fire.fire,
        fireMarkdown: fire.fireMarkdown,
        scroll: fire.scroll,
        fireThreads: demo.fastest.threads,
        demoSweep: demo.results.map((r) => ({
          threads: r.threads,
          decodeTokensPerSec: Math.round(r.decodeTokensPerSec),
        })),
      };
    } catch (error) {
      notMeasured.push(`the UI under fire and scrolling: ${errorMessage(error)}`);
      if (c) screen = { ...c, fireThreads: 0, demoSweep: [] };
    }
  }
  const c = screen?.c ?? null;
  if (c)
    say(
      `  (c) screen, ${threads} thread(s): decode ${c.decodeTokensPerSecOnScreen.toFixed(1)} tok/s painted (${c.engineDecodeTokensPerSec.toFixed(1)} emitted by the engine in the shell), TTFT ${c.screenTtftMs.toFixed(1)} ms on screen (${c.sendToFirstDeltaMs.toFixed(1)} ms from send to first delta in the back end; ${c.coldScreenTtftMs.toFixed(0)} ms for a conversation's first answer)`,
    );
  for (const part of notMeasured) say(`  not measured: ${part}`);

  const ba = b.decodeTokensPerSec / a.decodeTokensPerSec;
  const ca = c ? c.decodeTokensPerSecOnScreen / a.decodeTokensPerSec : null;
  const targets = [
    target(
      'b/a decode ≥ 0.97',
      ba >= 0.97,
      ba,
      'the engine path (worker, chat machinery or per-token IPC) costs decode speed; compare (a) and (b) above',
    ),
    target(
      'TTFT overhead of (b) over (a) ≤ 10 ms',
      b.hostTtftMs - a.ttftMs <= 10,
      b.hostTtftMs - a.ttftMs,
      "request and first-token messages between host and worker, or the chat template's longer prompt",
    ),
    ...(c ? layerCTargets(c, a, cpus().length) : []),
    ...fireTargets(screen?.fire ?? null, screen?.fireMarkdown ?? null, cpus().length),
    ...(quick
      ? []
      : [
          target(
            'default threads fastest or within 3%',
            atDefault.decodeTokensPerSec >= 0.97 * main.fastest.decodeTokensPerSec,
            atDefault.decodeTokensPerSec / main.fastest.decodeTokensPerSec,
            `the engine's measured default (${defaultThreads} threads: ${choice ? describeThreadChoice(choice) : ''}) ran slower in the sweep than ${main.fastest.threads} thread(s): the machine's load changed between its sub-second measurement and the sweep, or the two differ by less than their noise`,
          ),
        ]),
  ];
  const version = (pkg: string) => {
    try {
      return (
        JSON.parse(readFileSync(join(appRoot(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      return null;
    }
  };
  const weights = statSync(modelPath).size;
  const result = {
    at: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      logicalCores: cpus().length,
      physicalCores: cores,
      ramBytes: totalmem(),
      gpu: null,
      backend: 'cpu',
      platform: process.platform,
    },
    versions: {
      node: process.version,
      nodeLlamaCpp: version('node-llama-cpp'),
      electron: version('electron'),
      chromium: screen ? 'system' : null,
    },
    model: { file: basename(modelPath), sizeBytes: weights },
    settings: { prompt: PROMPT, tokens, threads, sampling: 'greedy' },
    layers: { a, b, c },
    ratios: { ba: Number(ba.toFixed(3)), ca: ca === null ? null : Number(ca.toFixed(3)) },
    ttftMs: { a: a.ttftMs, b: b.hostTtftMs, c: c?.screenTtftMs ?? null },
    readBandwidthBytesPerSec: {
      a: Math.round(weights * a.decodeTokensPerSec),
      b: Math.round(weights * b.decodeTokensPerSec),
      c: c ? Math.round(weights * c.decodeTokensPerSecOnScreen) : null,
    },
    threadSweep: main.results.map((r) => ({
      threads: r.threads,
      decodeTokensPerSec: Number(r.decodeTokensPerSec.toFixed(1)),
    })),
    defaultThreads,
    threadChoice: choice,
    fastestThreads: main.fastest.threads,
    startup: screen?.startup ?? null,
    underFire: screen?.fire
      ? { ...screen.fire, model: DEMO_MODEL_FILE, threads: screen.fireThreads, demoSweep: screen.demoSweep }
      : null,
    // The same load as Markdown: a loopback private tier streams it at the rate the plain run measured.
    underFireMarkdown: screen?.fireMarkdown ?? null,
    scroll: screen?.scroll ?? null,
    notMeasured: [...notMeasured, ...(ca === null ? ['ratios.ca: (c) was not measured, see above'] : [])],
    targets,
  };
  say(
    `  b/a = ${ba.toFixed(3)}${ca !== null ? `, c/a = ${ca.toFixed(3)}` : ''}; read bandwidth (weights × tok/s): ${(result.readBandwidthBytesPerSec.a / 1e9).toFixed(2)} GB/s (a), ${(result.readBandwidthBytesPerSec.b / 1e9).toFixed(2)} GB/s (b)`,
  );
  if (screen) {
    if (screen.startup)
      say(
        `  start-up: serving after ${screen.startup.serveMs.toFixed(0)} ms, model ready after ${screen.startup.modelReadyMs.toFixed(0)} ms, UI interactive after ${screen.startup.interactiveMs.toFixed(0)} ms`,
      );
    if (screen.fire)
      say(
        `  under fire: ${screen.fire.tokens} tokens in ${screen.fire.seconds.toFixed(1)} s (${screen.fire.answers} answers, ${screen.fireThreads} thread(s)); long tasks > 50 ms: ${screen.fire.longTasks} (longest ${screen.fire.longestTaskMs.toFixed(0)} ms); dropped frames ${screen.fire.droppedFrames} of ${screen.fire.frames}; JS heap ${(screen.fire.heapGrowthBytes / 1e6).toFixed(1)} MB larger`,
      );
    if (screen.fireMarkdown) {
      const m = screen.fireMarkdown;
      say(
        `  under fire, Markdown: ${m.tokens} tokens in ${m.seconds.toFixed(1)} s (one answer: ${m.rendered.tables} tables, ${m.rendered.codeBlocks} code blocks, ${m.rendered.highlighted} highlighted, ${m.rendered.formulas} formulas); long tasks > 50 ms: ${m.longTasks} (longest ${m.longestTaskMs.toFixed(0)} ms); dropped frames ${m.droppedFrames} of ${m.frames}; JS heap ${(m.heapGrowthBytes / 1e6).toFixed(1)} MB larger`,
      );
      if (m.plain)
        say(
          `  keeping up, plain | Markdown (one answer each from the same server): painted ${m.plain.paintedTokensPerSec.toFixed(0)} of ${m.plain.arrivalTokensPerSec.toFixed(0)} tok/s received (${m.plain.keepUp.toFixed(3)}) | ${m.paintedTokensPerSec.toFixed(0)} of ${m.arrivalTokensPerSec.toFixed(0)} tok/s (${m.keepUp.toFixed(3)})`,
        );
    }
    if (screen.scroll)
      say(
        `  500 messages: opened in ${screen.scroll.openMs.toFixed(0)} ms, ${screen.scroll.renderedArticles} in the DOM, scrolled top to bottom with ${screen.scroll.longTasks} long tasks, ${screen.scroll.droppedFrames} dropped frames`,
      );
  }
  for (const t of targets) say(`  ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.value}${t.cause ? ` (${t.cause})` : ''}`);
  saveRun('', result, values.json, say);
  return exitCodes.ok;
}
