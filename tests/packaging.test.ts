import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { repoRoot, tempDir } from './fixtures.ts';
import {
  enginePackages,
  installedVersions,
  SUPPORTED_TARGETS,
  type EngineTarget,
} from '../electron/services/engine/enginePackages.ts';
import { listFiles, parseTarget, targetName, unpackedDir, unpackedProblems } from '../scripts/unpackedBinaries.ts';
import { adHocSignCommand } from '../scripts/afterPack.ts';
import { distCommands } from '../scripts/dist.ts';

const require = createRequire(import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('electron-builder.yml', () => {
  const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8'));

  it("validates against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('targets dmg/zip, nsis, AppImage and deb with no arch of their own, and unpacks llama.cpp and the models', () => {
    // An arch list here would build every arch in one run, each with the build machine's native packages.
    for (const platform of ['mac', 'win', 'linux'])
      for (const target of config[platform].target) expect(typeof target, `${platform}: ${target}`).toBe('string');
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/@node-llama-cpp/**', 'node_modules/@koromix/**', 'models/**']),
    );
    expect(config.afterPack).toBe('./scripts/afterPack.ts');
  });

  it("keeps only the target's own engine and koffi packages", () => {
    const files: string[] = config.files;
    const at = (pattern: string) => files.indexOf(pattern);
    // Exclude every platform's package, then include back this build's ${os}-${arch} ones.
    expect(at('!node_modules/@node-llama-cpp/**')).toBeGreaterThan(-1);
    expect(at('node_modules/@node-llama-cpp/${os}-${arch}*/**')).toBeGreaterThan(
      at('!node_modules/@node-llama-cpp/**'),
    );
    expect(at('node_modules/@koromix/koffi-*-${arch}/**')).toBeGreaterThan(at('!node_modules/@koromix/**'));
    expect(config.mac.files).toEqual(['!node_modules/@koromix/koffi-{linux,win32}-*/**']);
    expect(config.win.files).toEqual(['!node_modules/@koromix/koffi-{darwin,linux}-*/**']);
    expect(config.linux.files).toEqual(['!node_modules/@koromix/koffi-{darwin,win32}-*/**']);
  });

  it('has one dist script per supported target, each building that target alone', () => {
    const scripts = readJson(join(repoRoot, 'package.json')).scripts as Record<string, string>;
    for (const target of SUPPORTED_TARGETS)
      expect(scripts[`dist:${targetName(target)}`]).toBe(`node scripts/dist.ts ${targetName(target)}`);
    const { 'node-llama-cpp': llama, koffi } = installedVersions();
    expect(distCommands('win-arm64', { dir: false, skipInstall: false })).toEqual([
      `npm install --no-save --os=win32 --cpu=arm64 @node-llama-cpp/win-arm64@${llama} @koromix/koffi-win32-arm64@${koffi}`,
      'npm run build',
      'npx electron-builder --config electron-builder.yml --win --arm64',
    ]);
    expect(distCommands('mac-x64', { dir: true, skipInstall: true })).toEqual([
      'npm run build',
      'npx electron-builder --config electron-builder.yml --mac --x64 --dir',
    ]);
    expect(() => parseTarget('win-ia32')).toThrow(/Unknown target "win-ia32"; choose one of mac-arm64, mac-x64/);
  });
});

describe('every supported platform gets its engine', () => {
  const pkg = readJson(join(repoRoot, 'package.json'));
  const lockRoot = readJson(join(repoRoot, 'package-lock.json')).packages[''];
  const versions = installedVersions();
  const all = SUPPORTED_TARGETS.flatMap((t) => enginePackages(t.platform, t.arch));

  it('the installed node-llama-cpp and koffi are the exact versions package.json pins', () => {
    expect(pkg.dependencies['node-llama-cpp']).toBe(versions['node-llama-cpp']);
    expect(pkg.dependencies.koffi).toBe(versions.koffi);
  });

  it.each(SUPPORTED_TARGETS.map((t) => [targetName(t), t] as const))(
    "%s: each native package is a root optional dependency in package.json and the lock file, at its library's version",
    (_name, target: EngineTarget) => {
      for (const p of enginePackages(target.platform, target.arch)) {
        expect(pkg.optionalDependencies?.[p.name], `package.json optionalDependencies ${p.name}`).toBe(
          versions[p.versionOf],
        );
        expect(lockRoot.optionalDependencies?.[p.name], `package-lock.json root ${p.name}`).toBe(versions[p.versionOf]);
      }
    },
  );

  it('names only packages node-llama-cpp and koffi themselves list (a typo would install nothing)', () => {
    const own = (name: string) => {
      const main = require.resolve(name);
      for (let dir = dirname(main); ; dir = dirname(dir)) {
        try {
          const json = readJson(join(dir, 'package.json'));
          if (json.name === name) return Object.keys(json.optionalDependencies ?? {});
        } catch {
          // not the package root yet
        }
      }
    };
    const listed = new Set([...own('node-llama-cpp'), ...own('koffi')]);
    for (const p of all) expect(listed.has(p.name), p.name).toBe(true);
  });
});

describe("the check over a target's app.asar.unpacked", () => {
  /** Lays out files as electron-builder would unpack them, and lists them back from disk. */
  function layout(target: EngineTarget, files: string[]): string[] {
    const appOut = tempDir('edgewise-unpacked-');
    const root = unpackedDir(appOut, target.platform, 'Edgewise');
    for (const file of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), 'binary');
    }
    return listFiles(root);
  }
  const winArm: EngineTarget = { platform: 'win32', arch: 'arm64' };
  const macArm: EngineTarget = { platform: 'darwin', arch: 'arm64' };

  it("passes a target that carries its own engine and koffi and nothing else's", () => {
    const files = layout(winArm, [
      'models/TinyStories-656K-Q8_0.gguf',
      'node_modules/node-llama-cpp/dist/index.js',
      'node_modules/@node-llama-cpp/win-arm64/bins/win-arm64/llama-addon.node',
      'node_modules/@node-llama-cpp/win-arm64/package.json',
      'node_modules/@koromix/koffi-win32-arm64/win32_arm64/koffi.node',
    ]);
    expect(files).toContain('node_modules/@node-llama-cpp/win-arm64/bins/win-arm64/llama-addon.node');
    expect(unpackedProblems(files, winArm)).toEqual([]);
    const mac = layout(macArm, [
      'node_modules/@node-llama-cpp/mac-arm64-metal/bins/mac-arm64-metal/llama-addon.node',
      'node_modules/@koromix/koffi-darwin-arm64/darwin_arm64/koffi.node',
    ]);
    expect(unpackedProblems(mac, macArm)).toEqual([]);
  });

  it("fails a Windows arm64 build that carries x64's CUDA packages, or lacks its engine", () => {
    const files = layout(winArm, [
      'node_modules/@node-llama-cpp/win-x64-cuda/bins/win-x64-cuda/ggml-cuda.dll',
      'node_modules/@node-llama-cpp/win-x64-cuda-ext/bins/win-x64-cuda/cublasLt64_12.dll',
      'node_modules/@koromix/koffi-win32-arm64/win32_arm64/koffi.node',
    ]);
    expect(unpackedProblems(files, winArm)).toEqual([
      '@node-llama-cpp/win-arm64 is missing: win-arm64 would have no engine',
      '@node-llama-cpp/win-x64-cuda does not belong in the win-arm64 build',
      '@node-llama-cpp/win-x64-cuda-ext does not belong in the win-arm64 build',
    ]);
  });

  it('fails a Mac build with only package.json of its engine, or with an Intel one and koffi for Linux', () => {
    const files = layout(macArm, [
      'node_modules/@node-llama-cpp/mac-arm64-metal/package.json',
      'node_modules/@node-llama-cpp/mac-x64/bins/mac-x64/llama-addon.node',
      'node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node',
    ]);
    expect(unpackedProblems(files, macArm)).toEqual([
      '@node-llama-cpp/mac-arm64-metal is missing: mac-arm64 would have no engine',
      '@koromix/koffi-darwin-arm64 is missing: mac-arm64 would have no engine',
      '@koromix/koffi-linux-x64 does not belong in the mac-arm64 build',
      '@node-llama-cpp/mac-x64 does not belong in the mac-arm64 build',
    ]);
  });
});

describe('macOS signing in afterPack', () => {
  const app = '/out/mac-arm64/Edgewise.app';
  it('signs ad hoc when no identity is configured, and leaves a configured identity to electron-builder', () => {
    expect(adHocSignCommand('darwin', app, undefined, {})).toEqual([
      'codesign',
      ['--force', '--deep', '--sign', '-', app],
    ]);
    expect(adHocSignCommand('darwin', app, null, {})).not.toBeNull();
    expect(adHocSignCommand('darwin', app, 'Developer ID Application: Edgewise (TEAMID)', {})).toBeNull();
    expect(adHocSignCommand('darwin', app, undefined, { CSC_LINK: '/secure/cert.p12' })).toBeNull();
    expect(adHocSignCommand('darwin', app, undefined, { CSC_NAME: 'Edgewise' })).toBeNull();
    expect(adHocSignCommand('win32', app, undefined, {})).toBeNull();
    expect(adHocSignCommand('linux', app, undefined, {})).toBeNull();
  });
});
