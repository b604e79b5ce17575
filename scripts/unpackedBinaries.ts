// The check that an installer carries its own platform's native binaries and no other's, run over the
// files of its app.asar.unpacked (by the afterPack hook on every build, and by tests on built layouts).
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  enginePackages,
  SUPPORTED_TARGETS,
  type EngineArch,
  type EnginePlatform,
  type EngineTarget,
} from '../electron/services/engine/enginePackages.ts';

const osNames: Record<EnginePlatform, string> = { darwin: 'mac', win32: 'win', linux: 'linux' };

/** `mac-arm64`, `win-x64`, `linux-x64`…: the names of the dist:<target> scripts. */
export function targetName(target: EngineTarget): string {
  return `${osNames[target.platform]}-${target.arch}`;
}

export function parseTarget(name: string): EngineTarget {
  const found = SUPPORTED_TARGETS.find((t) => targetName(t) === name);
  if (!found)
    throw new Error(`Unknown target "${name}"; choose one of ${SUPPORTED_TARGETS.map(targetName).join(', ')}`);
  return found;
}

/** Where electron-builder puts app.asar.unpacked inside a packed app folder (its appOutDir). */
export function unpackedDir(appOutDir: string, platform: EnginePlatform, productFilename: string): string {
  const resources =
    platform === 'darwin'
      ? join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources')
      : join(appOutDir, 'resources');
  return join(resources, 'app.asar.unpacked');
}

/** Every file under `dir`, as forward-slash paths relative to it. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** The native package a file belongs to (`@node-llama-cpp/win-x64-cuda`), or null for any other file. */
function nativePackageOf(file: string): string | null {
  return /^node_modules\/(@node-llama-cpp|@koromix)\/([^/]+)\//.exec(file)?.slice(1, 3).join('/') ?? null;
}

/**
 * What is wrong with a target's unpacked files: a required engine package with no binaries, or another
 * platform's or architecture's package shipped along. Empty when the installer is right.
 */
export function unpackedProblems(files: string[], target: EngineTarget): string[] {
  const expected = enginePackages(target.platform, target.arch as EngineArch);
  const allowed = new Set(expected.map((p) => p.name));
  const present = new Set(files.map(nativePackageOf).filter((p): p is string => p !== null));
  const problems: string[] = [];
  for (const p of expected) {
    if (!p.required) continue;
    // node-llama-cpp's packages hold the library in bins/; koffi's in a folder per libc and arch.
    const binaries = files.filter(
      (f) => f.startsWith(`node_modules/${p.name}/`) && /\.(node|so|dylib|dll)$|\/bins\//.test(f),
    );
    if (binaries.length === 0) problems.push(`${p.name} is missing: ${targetName(target)} would have no engine`);
  }
  for (const name of [...present].sort())
    if (!allowed.has(name)) problems.push(`${name} does not belong in the ${targetName(target)} build`);
  return problems;
}
