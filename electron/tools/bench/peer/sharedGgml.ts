// A fair peer: llama-bench and llama-server re-linked against the very ggml and llama shared libraries
// node-llama-cpp ships (node_modules/@node-llama-cpp/<platform>-<arch>/bins/...). Those are built with
// GGML_BACKEND_DL and one CPU backend per instruction-set level (libggml-cpu-sapphirerapids.so, ...); at
// run time ggml loads the best one the CPU supports. The static peer build compiles one fixed set of
// flags instead, so the two sides ran different kernels (63 against 37.5 tok/s on the same model).
// Re-linking reuses the static build's object files and takes seconds: only llama.cpp's tool code
// (argument parsing, the HTTP server) is ours, every kernel is node-llama-cpp's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appRoot } from '../../../services/paths.ts';

/** node-llama-cpp's prebuilt CPU binaries for this platform, or null where it has none. */
export function prebuiltBinsDir(root = appRoot()): string | null {
  const name = `${process.platform}-${process.arch}`;
  const dir = join(root, 'node_modules', '@node-llama-cpp', name, 'bins', name);
  return existsSync(dir) && readdirSync(dir).some((f) => /^libllama.*\.so$/.test(f)) ? dir : null;
}

/** The libraries a prebuilt bins folder holds, by role (their file names carry a version). */
export function prebuiltLibraries(files: readonly string[]): { llama: string; ggml: string; ggmlBase: string } {
  const pick = (pattern: RegExp, role: string) => {
    const file = files.find((f) => pattern.test(f));
    if (!file) throw new Error(`node-llama-cpp's binaries have no ${role} library`);
    return file;
  };
  return {
    llama: pick(/^libllama(\.v[\d.]+)?\.so$/, 'llama'),
    ggml: pick(/^libggml(\.v[\d.]+)?\.so$/, 'ggml'),
    ggmlBase: pick(/^libggml-base\.so$/, 'ggml-base'),
  };
}

/**
 * CMake's link line for a tool (its link.txt), rewritten to link node-llama-cpp's shared llama and ggml
 * instead of the static ones, into `output`, finding its libraries beside itself ($ORIGIN).
 */
export function sharedLinkArgs(
  linkTxt: string,
  libs: { llama: string; ggml: string; ggmlBase: string },
  output: string,
): { compiler: string; args: string[] } {
  const tokens = linkTxt
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/^"(.*)"$/, '$1'));
  const [compiler, ...rest] = tokens;
  if (!compiler || !rest.includes('-o')) throw new Error(`Not a link command: ${linkTxt.slice(0, 200)}`);
  const args: string[] = [];
  let replacedLlama = false;
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '-o') {
      args.push('-o', output);
      i++;
    } else if (/(^|\/)libllama\.a$/.test(token)) {
      args.push(libs.llama, libs.ggml, libs.ggmlBase);
      replacedLlama = true;
    } else if (/(^|\/)libggml(-cpu|-base)?\.a$/.test(token)) {
      continue; // in the shared libraries above; the CPU backend is loaded at run time
    } else args.push(token);
  }
  if (!replacedLlama) throw new Error('The link command does not link libllama.a');
  return { compiler, args: [...args, `-Wl,-rpath,$ORIGIN`] };
}

/** The tools' link.txt files inside a CMake build folder. */
const linkFiles = (build: string) => ({
  'llama-bench': join(build, 'tools', 'llama-bench', 'CMakeFiles', 'llama-bench.dir', 'link.txt'),
  'llama-server': join(build, 'tools', 'server', 'CMakeFiles', 'llama-server.dir', 'link.txt'),
});

/**
 * llama-bench and llama-server linked against node-llama-cpp's libraries, in `<root>/shared-ggml/`
 * beside copies of those libraries (so that ggml finds its CPU variants next to the executable).
 * Returns null, with the reason, where that cannot be done (no prebuilt binaries for this platform).
 */
export function linkAgainstPrebuilt(
  root: string,
  build: string,
): { llamaBench: string; llamaServer: string; libsDir: string } | { reason: string } {
  const bins = prebuiltBinsDir();
  if (!bins) return { reason: `node-llama-cpp has no prebuilt CPU libraries for ${process.platform}-${process.arch}` };
  const out = join(root, 'shared-ggml');
  const tools = { llamaBench: join(out, 'llama-bench'), llamaServer: join(out, 'llama-server'), libsDir: out };
  const files = readdirSync(bins).filter((f) => f.endsWith('.so'));
  // Re-made when node-llama-cpp's libraries change (a different install), not on every run.
  const fresh =
    existsSync(tools.llamaBench) &&
    existsSync(tools.llamaServer) &&
    files.every((f) => existsSync(join(out, f)) && sameBytes(join(bins, f), join(out, f)));
  if (fresh) return tools;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of files) copyFileSync(join(bins, f), join(out, f));
  const libs = prebuiltLibraries(files);
  const abs = { llama: join(out, libs.llama), ggml: join(out, libs.ggml), ggmlBase: join(out, libs.ggmlBase) };
  for (const [tool, linkTxt] of Object.entries(linkFiles(build))) {
    if (!existsSync(linkTxt)) return { reason: `the static build has no ${linkTxt}` };
    const { compiler, args } = sharedLinkArgs(readFileSync(linkTxt, 'utf8'), abs, join(out, tool));
    execFileSync('nice', ['-n', '19', compiler, ...args], {
      cwd: dirname(dirname(dirname(linkTxt))),
      stdio: 'pipe',
      windowsHide: true,
    });
  }
  return tools;
}

function sameBytes(a: string, b: string): boolean {
  const x = readFileSync(a);
  const y = readFileSync(b);
  return x.length === y.length && x.equals(y);
}

/** The CPU variant ggml loaded, from llama.cpp's log line "load_backend: loaded CPU backend from …". */
export function loadedBackendFromLog(log: string): string | null {
  const path = /loaded CPU backend from (\S+)/.exec(log)?.[1];
  if (!path) return null;
  return /libggml-cpu-([\w-]+)\.so$/.exec(path)?.[1] ?? path;
}

/** The CPU variant a running process has mapped (Linux: /proc/PID/maps), or null when none is. */
export function mappedCpuVariant(pid: number): string | null {
  try {
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    return /libggml-cpu-([\w-]+)\.so/.exec(maps)?.[1] ?? null;
  } catch {
    return null;
  }
}
