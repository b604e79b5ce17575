// llama.cpp's own llama-bench and llama-server, built once from the exact source node-llama-cpp ships
// (its llama/gitRelease.bundle), so the peer runs the same llama.cpp commit as Edgewise. The build is
// kept outside the repository, keyed by that commit: ~/.cache/edgewise/llama.cpp/<commit>/.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../../../services/paths.ts';
import { linkAgainstPrebuilt } from './sharedGgml.ts';
import { tracked } from '../children.ts';

export const bundlePath = () => join(appRoot(), 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');

/** The commit a git bundle's HEAD points at, from `git bundle list-heads` output. */
export function parseBundleHead(listHeads: string): string {
  const line = listHeads.split('\n').find((l) => /\sHEAD$/.test(l.trim())) ?? listHeads.split('\n')[0] ?? '';
  const commit = line.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`No commit in the bundle's heads: ${JSON.stringify(listHeads)}`);
  return commit;
}

export function buildRoot(commit: string, cacheHome = join(homedir(), '.cache')): string {
  return join(cacheHome, 'edgewise', 'llama.cpp', commit);
}

/** A static CPU build tuned for this machine, without curl (offline) and without tests or examples. */
export function cmakeConfigureArgs(src: string, build: string): string[] {
  return [
    '-S',
    src,
    '-B',
    build,
    '-DCMAKE_BUILD_TYPE=Release',
    '-DBUILD_SHARED_LIBS=OFF',
    '-DLLAMA_CURL=OFF',
    // Not -march=native: on Xeons with AMX (this VM's) the AMX path it enables segfaults in llama-bench's
    // first decode. AVX2 and AVX-512 are named instead (without them the build is scalar, 8 tok/s here).
    '-DGGML_NATIVE=OFF',
    '-DGGML_AVX=ON',
    '-DGGML_AVX2=ON',
    '-DGGML_BMI2=ON',
    '-DGGML_FMA=ON',
    '-DGGML_F16C=ON',
    '-DGGML_AVX512=ON',
    '-DGGML_AVX512_VBMI=ON',
    '-DGGML_AVX512_VNNI=ON',
    '-DLLAMA_BUILD_TESTS=OFF',
    '-DLLAMA_BUILD_EXAMPLES=OFF',
    '-DLLAMA_BUILD_TOOLS=ON',
    '-DLLAMA_BUILD_SERVER=ON',
  ];
}

export function cmakeBuildArgs(build: string, jobs: number): string[] {
  return ['--build', build, '--target', 'llama-bench', 'llama-server', '-j', String(jobs)];
}

export interface PeerTools {
  commit: string;
  llamaBench: string;
  llamaServer: string;
  /** How long the first build took (seconds), as recorded when it was made. */
  buildSeconds: number | null;
  /** shared: linked against node-llama-cpp's own ggml and llama libraries (the fair peer); static: our build's. */
  libraries: 'shared' | 'static';
  /** Why the tools are the static build when shared ones were asked for; null otherwise. */
  librariesNote: string | null;
}

export type PeerLibraries = PeerTools['libraries'];

function run(command: string, args: string[], cwd: string, log: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = openSync(log, 'a');
    // nice: the build takes idle CPU only, so it does not slow what else runs on the machine.
    const child = tracked(
      spawn('nice', ['-n', '19', command, ...args], {
        cwd,
        stdio: ['ignore', out, out],
        windowsHide: true,
      }),
    );
    child.on('error', (error) => {
      closeSync(out);
      reject(error);
    });
    child.on('exit', (code) => {
      closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}); see ${log}`));
    });
  });
}

/** Builds llama-bench and llama-server once per llama.cpp commit; later calls return the cached build. */
export async function ensurePeerTools(
  say: (line: string) => void,
  libraries: PeerLibraries = 'shared',
  jobs = 2,
): Promise<PeerTools> {
  if (!existsSync(bundlePath())) throw new Error(`No llama.cpp source bundle at ${bundlePath()}`);
  const commit = parseBundleHead(
    execFileSync('git', ['bundle', 'list-heads', bundlePath()], { encoding: 'utf8', windowsHide: true }),
  );
  const root = buildRoot(commit);
  const build = join(root, 'build');
  const tools = { llamaBench: join(build, 'bin', 'llama-bench'), llamaServer: join(build, 'bin', 'llama-server') };
  const secondsFile = join(root, 'build-seconds.txt');
  if (!existsSync(tools.llamaBench) || !existsSync(tools.llamaServer)) {
    mkdirSync(root, { recursive: true });
    const src = join(root, 'src');
    const log = join(root, 'build.log');
    say(
      `Building llama.cpp ${commit.slice(0, 10)} (llama-bench, llama-server) into ${root}; the first build takes a while (about 20 min on 2 quiet cores)…`,
    );
    const started = performance.now();
    if (!existsSync(join(src, 'CMakeLists.txt'))) {
      execFileSync('git', ['clone', '--quiet', bundlePath(), src], { stdio: 'ignore', windowsHide: true });
      execFileSync('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', commit], {
        cwd: src,
        stdio: 'ignore',
        windowsHide: true,
      });
    }
    await run('cmake', cmakeConfigureArgs(src, build), root, log);
    await run('cmake', cmakeBuildArgs(build, jobs), root, log);
    writeFileSync(secondsFile, String(Math.round((performance.now() - started) / 1000)));
  }
  const recorded = existsSync(secondsFile) ? Number(readFileSync(secondsFile, 'utf8')) : NaN;
  const buildSeconds = Number.isFinite(recorded) ? recorded : null;
  if (libraries === 'static') return { commit, ...tools, buildSeconds, libraries, librariesNote: null };
  const shared = linkAgainstPrebuilt(root, build);
  if ('reason' in shared)
    return { commit, ...tools, buildSeconds, libraries: 'static', librariesNote: `static build: ${shared.reason}` };
  return { commit, ...shared, buildSeconds, libraries, librariesNote: null };
}

/** llama-bench: prefill of `promptTokens` and decode of `genTokens`, at `threads`, as JSON. */
export function llamaBenchArgs(o: {
  model: string;
  threads: number;
  promptTokens: number;
  genTokens: number;
  /** Forced on or off on both sides; absent: each side's default (llama-bench: auto). */
  flashAttention?: 'on' | 'off';
}): string[] {
  return [
    ...(o.flashAttention ? ['-fa', o.flashAttention] : []),
    '-m',
    o.model,
    '-t',
    String(o.threads),
    '-p',
    String(o.promptTokens),
    '-n',
    String(o.genTokens),
    '-r',
    '1',
    '-o',
    'json',
  ];
}

/** llama-bench's JSON (an array of tests): prefill tok/s from the pp test, decode tok/s from the tg test. */
export function parseLlamaBench(json: string): { prefillTokensPerSec: number; decodeTokensPerSec: number } {
  const tests = JSON.parse(json) as { n_prompt?: number; n_gen?: number; avg_ts?: number }[];
  if (!Array.isArray(tests)) throw new Error('llama-bench printed no test list');
  const pp = tests.find((t) => (t.n_prompt ?? 0) > 0 && (t.n_gen ?? 0) === 0);
  const tg = tests.find((t) => (t.n_gen ?? 0) > 0 && (t.n_prompt ?? 0) === 0);
  if (typeof pp?.avg_ts !== 'number' || typeof tg?.avg_ts !== 'number')
    throw new Error('llama-bench output lacks a prefill (pp) or decode (tg) result');
  return { prefillTokensPerSec: pp.avg_ts, decodeTokensPerSec: tg.avg_ts };
}

/** llama-server on 127.0.0.1 with the same model, threads and context as Edgewise; one slot, prompt cache on. */
export function llamaServerArgs(o: {
  model: string;
  threads: number;
  port: number;
  contextSize: number;
  flashAttention?: 'on' | 'off';
}): string[] {
  return [
    ...(o.flashAttention ? ['-fa', o.flashAttention] : []),
    '-m',
    o.model,
    '-t',
    String(o.threads),
    '--host',
    '127.0.0.1',
    '--port',
    String(o.port),
    '-c',
    String(o.contextSize),
    '-np',
    '1',
    '--no-webui',
  ];
}
