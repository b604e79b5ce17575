import { describe, expect, it } from 'vitest';
import {
  enginePackages,
  installCommand,
  installedVersions,
  missingEngineMessage,
  missingPackages,
  resolvable,
  startFailureLine,
} from './enginePackages.ts';

const versions = { 'node-llama-cpp': '3.22.1', koffi: '3.3.4' };
const names = (platform: 'darwin' | 'win32' | 'linux', arch: 'arm64' | 'x64') =>
  enginePackages(platform, arch).map((p) => p.name);

describe('engine packages per platform', () => {
  it('maps each supported platform to the packages getLlama and koffi load', () => {
    expect(names('darwin', 'arm64')).toEqual(['@node-llama-cpp/mac-arm64-metal', '@koromix/koffi-darwin-arm64']);
    expect(names('darwin', 'x64')).toEqual(['@node-llama-cpp/mac-x64', '@koromix/koffi-darwin-x64']);
    expect(names('win32', 'x64')).toEqual([
      '@node-llama-cpp/win-x64',
      '@node-llama-cpp/win-x64-vulkan',
      '@node-llama-cpp/win-x64-cuda',
      '@node-llama-cpp/win-x64-cuda-ext',
      '@koromix/koffi-win32-x64',
    ]);
    expect(names('win32', 'arm64')).toEqual(['@node-llama-cpp/win-arm64', '@koromix/koffi-win32-arm64']);
    expect(names('linux', 'arm64')).toEqual(['@node-llama-cpp/linux-arm64', '@koromix/koffi-linux-arm64']);
  });

  it('reports only the required packages that do not resolve; the GPU builds are optional', () => {
    const installed = new Set(['@node-llama-cpp/win-x64', '@koromix/koffi-win32-x64']);
    expect(missingPackages('win32', 'x64', (n) => installed.has(n))).toEqual([]);
    expect(missingPackages('darwin', 'arm64', () => false).map((p) => p.name)).toEqual([
      '@node-llama-cpp/mac-arm64-metal',
      '@koromix/koffi-darwin-arm64',
    ]);
    expect(missingPackages('freebsd', 'x64', () => false)).toEqual([]);
  });

  it('gives the exact command that installs what is missing, in a checkout', () => {
    const missing = missingPackages('darwin', 'arm64', (n) => n.startsWith('@koromix/'));
    const message = missingEngineMessage({ platform: 'darwin', arch: 'arm64', missing, versions, packaged: false });
    expect(message).toBe(
      'The llama.cpp engine for macOS arm64 is not installed (@node-llama-cpp/mac-arm64-metal is missing), so no model can load. ' +
        'Install it with: npm install --no-save @node-llama-cpp/mac-arm64-metal@3.22.1',
    );
    const both = missingPackages('win32', 'x64', () => false);
    expect(missingEngineMessage({ platform: 'win32', arch: 'x64', missing: both, versions, packaged: false })).toBe(
      'The llama.cpp engine for Windows x64 is not installed (@node-llama-cpp/win-x64 and @koromix/koffi-win32-x64 are missing), so no model can load. ' +
        'Install it with: npm install --no-save @node-llama-cpp/win-x64@3.22.1 @koromix/koffi-win32-x64@3.3.4',
    );
    expect(installCommand(enginePackages('win32', 'arm64'), versions, { platform: 'win32', arch: 'arm64' })).toBe(
      'npm install --no-save --os=win32 --cpu=arm64 @node-llama-cpp/win-arm64@3.22.1 @koromix/koffi-win32-arm64@3.3.4',
    );
  });

  it('points an installed app at the right installer, and says so for an unsupported platform', () => {
    const missing = missingPackages('win32', 'arm64', () => false);
    expect(missingEngineMessage({ platform: 'win32', arch: 'arm64', missing, versions, packaged: true })).toBe(
      'This copy of Edgewise was built without @node-llama-cpp/win-arm64 and @koromix/koffi-win32-arm64, the engine for Windows arm64. Install the Edgewise build made for Windows arm64.',
    );
    expect(missingEngineMessage({ platform: 'linux', arch: 'ia32', missing: [], versions, packaged: false })).toMatch(
      /no llama.cpp engine for linux-ia32: it ships for macOS \(arm64, x64\)/,
    );
    expect(
      missingEngineMessage({ platform: 'linux', arch: 'x64', missing: [], versions, packaged: false, cause: 'glibc' }),
    ).toMatch(
      /installed but did not start \(glibc\)\. Reinstall it with: npm install --no-save @node-llama-cpp\/linux-x64@3.22.1 /,
    );
  });

  it('a shell prints a missing engine as itself, not as a model that did not load', () => {
    expect(startFailureLine({ code: 'engine_missing', message: 'The llama.cpp engine … Install it with: npm …' })).toBe(
      'The llama.cpp engine … Install it with: npm …',
    );
    expect(startFailureLine({ code: 'model_load_failed', message: 'bad file' })).toBe(
      'The model did not load: bad file',
    );
  });

  it('finds this machine’s own engine installed, at the pinned versions', () => {
    if (process.platform === 'linux' && process.arch === 'x64')
      expect(missingPackages('linux', 'x64', resolvable)).toEqual([]);
    expect(resolvable('@node-llama-cpp/no-such-platform')).toBe(false);
    expect(installedVersions()).toEqual({ 'node-llama-cpp': '3.22.1', koffi: '3.3.4' });
  });
});
