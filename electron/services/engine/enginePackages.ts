// Which prebuilt native packages each supported platform needs, and what to say when this machine's
// are missing. node-llama-cpp runs with `build: 'never'` (no compiler, no network), so without its
// per-platform package there is no engine at all; koffi's is what the quantizer calls libllama through.
// Both are root optionalDependencies in package.json, pinned to the exact versions of node-llama-cpp
// and koffi (tests/packaging.test.ts checks it), so npm installs the right ones on each machine.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type EnginePlatform = 'darwin' | 'win32' | 'linux';
export type EngineArch = 'arm64' | 'x64';
export interface EngineTarget {
  platform: EnginePlatform;
  arch: EngineArch;
}

/** The platforms Edgewise ships for (README, electron-builder.yml). */
export const SUPPORTED_TARGETS: readonly EngineTarget[] = [
  { platform: 'darwin', arch: 'arm64' },
  { platform: 'darwin', arch: 'x64' },
  { platform: 'win32', arch: 'x64' },
  { platform: 'win32', arch: 'arm64' },
  { platform: 'linux', arch: 'x64' },
  { platform: 'linux', arch: 'arm64' },
];

export interface EnginePackage {
  name: string;
  /** The package whose exact version this one must carry. */
  versionOf: 'node-llama-cpp' | 'koffi';
  /** Without it there is no engine (or no quantizer); the GPU variants are extras the CPU build stands in for. */
  required: boolean;
}

/** node-llama-cpp names platforms as mac/win/linux; koffi as Node does. */
function llamaOs(platform: EnginePlatform): string {
  return platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : 'linux';
}

export function isSupported(platform: string, arch: string): platform is EnginePlatform {
  return SUPPORTED_TARGETS.some((t) => t.platform === platform && t.arch === arch);
}

/** The native packages a target needs, as node-llama-cpp's getLlama and koffi look them up. */
export function enginePackages(platform: EnginePlatform, arch: EngineArch): EnginePackage[] {
  const llama = (suffix: string, required: boolean): EnginePackage => ({
    name: `@node-llama-cpp/${llamaOs(platform)}-${arch}${suffix}`,
    versionOf: 'node-llama-cpp',
    required,
  });
  const koffi: EnginePackage = { name: `@koromix/koffi-${platform}-${arch}`, versionOf: 'koffi', required: true };
  // Apple Silicon has only a Metal build; an Intel Mac only a CPU one; arm64 Windows and Linux one CPU build.
  if (platform === 'darwin') return [llama(arch === 'arm64' ? '-metal' : '', true), koffi];
  if (arch === 'arm64') return [llama('', true), koffi];
  return [llama('', true), llama('-vulkan', false), llama('-cuda', false), llama('-cuda-ext', false), koffi];
}

export interface Versions {
  'node-llama-cpp': string;
  koffi: string;
}

/** An installed package's package.json, found from its entry point ("exports" hides the file itself). */
function packageJson(name: string): { name: string; version: string } | null {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve(name));
  } catch {
    return null;
  }
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (json.name === name) return { name, version: json.version };
  }
  return null;
}

/** The versions installed here, which the platform packages must match exactly. */
export function installedVersions(): Versions {
  return {
    'node-llama-cpp': packageJson('node-llama-cpp')?.version ?? 'unknown',
    koffi: packageJson('koffi')?.version ?? 'unknown',
  };
}

/**
 * The one command that installs `packages` into this checkout without touching package.json. With a
 * target, npm installs another platform's packages too (for building that platform's installer).
 */
export function installCommand(packages: EnginePackage[], versions: Versions, target?: EngineTarget): string {
  const specs = packages.map((p) => `${p.name}@${versions[p.versionOf]}`);
  const cross = target ? [`--os=${target.platform}`, `--cpu=${target.arch}`] : [];
  return ['npm install --no-save', ...cross, ...specs].join(' ');
}

/** This machine's required packages that do not resolve. */
export function missingPackages(
  platform: string,
  arch: string,
  isInstalled: (name: string) => boolean,
): EnginePackage[] {
  if (!isSupported(platform, arch)) return [];
  return enginePackages(platform, arch as EngineArch).filter((p) => p.required && !isInstalled(p.name));
}

const names: Record<EnginePlatform, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/**
 * What to tell the user when node-llama-cpp finds no binary for this machine. In a checkout the fix
 * is one npm command; in an installed app it is the installer built for this platform.
 */
export function missingEngineMessage(options: {
  platform: string;
  arch: string;
  missing: EnginePackage[];
  versions: Versions;
  packaged: boolean;
  cause?: string;
}): string {
  const { platform, arch, missing, versions, packaged } = options;
  const where = isSupported(platform, arch) ? `${names[platform]} ${arch}` : `${platform}-${arch}`;
  if (!isSupported(platform, arch))
    return `Edgewise has no llama.cpp engine for ${where}: it ships for macOS (arm64, x64), Windows (x64, arm64) and Linux (x64, arm64).`;
  if (missing.length === 0)
    return (
      `llama.cpp's engine for ${where} is installed but did not start${options.cause ? ` (${options.cause})` : ''}. ` +
      `Reinstall it with: ${installCommand(enginePackages(platform, arch as EngineArch), versions)}`
    );
  const list = missing.map((p) => p.name).join(' and ');
  if (packaged)
    return `This copy of Edgewise was built without ${list}, the engine for ${where}. Install the Edgewise build made for ${where}.`;
  const verb = missing.length > 1 ? 'are' : 'is';
  return `The llama.cpp engine for ${where} is not installed (${list} ${verb} missing), so no model can load. Install it with: ${installCommand(missing, versions)}`;
}

/** Whether a package resolves from this module's place in node_modules (or the packaged app's). */
export function resolvable(name: string): boolean {
  return packageJson(name) !== null;
}

/** The line a shell prints when its first model load fails: a missing engine is not a model's failure. */
export function startFailureLine(error: { message: string; code?: unknown }): string {
  return error.code === 'engine_missing' ? error.message : `The model did not load: ${error.message}`;
}
