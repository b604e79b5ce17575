// `edgewise bench`: node-llama-cpp alone against Edgewise's engine on the same model, prompt, threads and
// greedy sampling, and a thread sweep. Results are printed and saved as JSON with the machine's details.
// Not yet here (issue 9): the full path to the screen in Chromium, the synthetic model, UI under fire.
import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { benchEngine, benchInProcess, type LayerResult } from '../services/bench/layers.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { DEMO_MODEL_FILE } from '../services/library/modelLibrary.ts';
import { appRoot, bundledModelsDir } from '../services/paths.ts';
import { CliError, exitCodes, numberOption } from './args.ts';

export const benchUsage = 'Usage: edgewise bench [--model PATH] [--tokens N] [--quick] [--json]';
const PROMPT = 'Once upon a time';

export async function benchCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { model: { type: 'string' }, tokens: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' } } }));
  } catch (error) {
    throw new CliError(exitCodes.badInput, `${(error as Error).message}\n${benchUsage}`);
  }
  const modelPath = resolve(values.model ?? join(bundledModelsDir(), DEMO_MODEL_FILE));
  const tokens = numberOption(values.tokens, 'tokens', 8, 4096, true) ?? (values.quick ? 16 : 256);
  const cores = physicalCores();
  const say = (line: string) => { if (!values.json) console.log(line); };

  say(`Benchmark: ${basename(modelPath)}, "${PROMPT}", ${tokens} tokens, greedy, CPU`);
  const sweep: LayerResult[] = [];
  for (let threads = 1; threads <= (values.quick ? 1 : cores + 2); threads++) {
    const r = await benchInProcess(modelPath, PROMPT, tokens, threads);
    sweep.push(r);
    say(`  (a) in-process, ${threads} thread(s): decode ${r.decodeTokensPerSec.toFixed(0)} tok/s, TTFT ${r.ttftMs.toFixed(1)} ms`);
  }
  const fastest = sweep.reduce((a, b) => (b.decodeTokensPerSec > a.decodeTokensPerSec ? b : a));
  const atDefault = sweep.find((r) => r.threads === cores) ?? sweep[0]!;
  // (a) and (b) side by side at the same thread count, the fastest one, where overhead shows most.
  const threads = fastest.threads;
  const a = fastest;
  const b = await benchEngine(modelPath, PROMPT, tokens, threads);
  say(`  (b) engine worker, ${threads} thread(s): decode ${b.decodeTokensPerSec.toFixed(0)} tok/s, TTFT ${b.ttftMs.toFixed(1)} ms in the worker, ${b.hostTtftMs.toFixed(1)} ms to the host`);
  const weights = statSync(modelPath).size;
  const ratio = b.decodeTokensPerSec / a.decodeTokensPerSec;
  const targets = [
    { name: 'b/a decode ≥ 0.97', pass: ratio >= 0.97, value: Number(ratio.toFixed(3)), cause: ratio >= 0.97 ? null : 'the engine path (worker, chat machinery or per-token IPC) costs speed; see the layers above' },
    { name: 'TTFT overhead of (b) over (a) ≤ 10 ms', pass: b.hostTtftMs - a.ttftMs <= 10, value: Number((b.hostTtftMs - a.ttftMs).toFixed(1)), cause: b.hostTtftMs - a.ttftMs <= 10 ? null : 'request and first-token messages between host and worker, or context setup on the first request' },
    ...(values.quick ? [] : [{
      name: 'default threads fastest or within 3%', pass: atDefault.decodeTokensPerSec >= 0.97 * fastest.decodeTokensPerSec,
      value: Number((atDefault.decodeTokensPerSec / fastest.decodeTokensPerSec).toFixed(3)),
      cause: atDefault.decodeTokensPerSec >= 0.97 * fastest.decodeTokensPerSec ? null : `the default (${cores} threads, physical cores) is slower than ${fastest.threads} thread(s) on this model and machine`,
    }]),
  ];
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(appRoot(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return null;
    }
  };
  const result = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCores: cpus().length, physicalCores: cores, ramBytes: totalmem(), gpu: null, backend: 'cpu', platform: process.platform },
    versions: { node: process.version, nodeLlamaCpp: version('node-llama-cpp'), electron: version('electron') },
    model: { file: basename(modelPath), sizeBytes: weights },
    settings: { prompt: PROMPT, tokens, sampling: 'greedy' },
    layers: { a, b },
    ratios: { ba: Number(ratio.toFixed(3)) },
    readBandwidthBytesPerSec: { a: Math.round(weights * a.decodeTokensPerSec), b: Math.round(weights * b.decodeTokensPerSec) },
    threadSweep: sweep.map((r) => ({ threads: r.threads, decodeTokensPerSec: Math.round(r.decodeTokensPerSec) })),
    defaultThreads: cores, fastestThreads: fastest.threads,
    targets,
    notMeasured: ['(c) the full path to the screen in Chromium', 'the synthetic real-size model (make-model)', 'UI under fire', 'start-up time'],
  };
  say(`  b/a = ${ratio.toFixed(2)}; read bandwidth (weights × tok/s): ${(result.readBandwidthBytesPerSec.a / 1e9).toFixed(2)} GB/s (a), ${(result.readBandwidthBytesPerSec.b / 1e9).toFixed(2)} GB/s (b)`);
  for (const t of targets) say(`  ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.value}${t.cause ? ` (${t.cause})` : ''}`);
  const dir = join(appRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else say(`Saved ${file}`);
  return exitCodes.ok;
}
