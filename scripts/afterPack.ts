// electron-builder's afterPack hook (electron-builder.yml), run once per platform and architecture:
// 1. proves the packed app carries this target's native binaries and no other's, failing the build if not;
// 2. signs a macOS app ad hoc when no signing identity is configured. Apple Silicon refuses to open an
//    unsigned downloaded app ("is damaged"); an ad-hoc signature is enough to run it after the user
//    allows it, and electron-builder's own signing replaces it when an identity is configured.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Arch, type AfterPackContext } from 'electron-builder';
import { isSupported } from '../electron/services/engine/enginePackages.ts';
import { listFiles, unpackedDir, unpackedProblems } from './unpackedBinaries.ts';

const run = promisify(execFile);

/**
 * Whether electron-builder will sign this build itself: an identity in the config, or a certificate
 * named in the environment (CSC_LINK, CSC_NAME). `identity: null` in the config means "do not sign".
 */
export function signingIdentityConfigured(identity: string | null | undefined, env: NodeJS.ProcessEnv): boolean {
  if (identity === null) return false;
  return Boolean((identity && identity !== '-') || env.CSC_LINK || env.CSC_NAME);
}

/** The codesign command that signs an app bundle ad hoc, or null when none is needed. */
export function adHocSignCommand(
  platform: string,
  appPath: string,
  identity: string | null | undefined,
  env: NodeJS.ProcessEnv,
): [string, string[]] | null {
  if (platform !== 'darwin' || signingIdentityConfigured(identity, env)) return null;
  return ['codesign', ['--force', '--deep', '--sign', '-', appPath]];
}

export default async function afterPack(context: AfterPackContext): Promise<void> {
  const platform = context.electronPlatformName;
  const arch = Arch[context.arch];
  const productFilename = context.packager.appInfo.productFilename;
  if (!isSupported(platform, arch))
    throw new Error(`Edgewise does not ship for ${platform}-${arch}: node-llama-cpp has no engine package for it`);
  const problems = unpackedProblems(listFiles(unpackedDir(context.appOutDir, platform, productFilename)), {
    platform,
    arch: arch as 'x64' | 'arm64',
  });
  if (problems.length > 0)
    throw new Error(`The ${platform}-${arch} build carries the wrong native binaries:\n- ${problems.join('\n- ')}`);
  console.log(`  • native binaries checked for ${platform}-${arch}: this target's only`);

  const identity = (context.packager.platformSpecificBuildOptions as { identity?: string | null }).identity;
  const sign = adHocSignCommand(platform, join(context.appOutDir, `${productFilename}.app`), identity, process.env);
  if (sign) {
    await run(sign[0], sign[1], { windowsHide: true });
    console.log(`  • signed ${productFilename}.app ad hoc (no signing identity configured)`);
  }
}
