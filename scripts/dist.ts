// `npm run dist:<os>-<arch>` (mac-arm64, mac-x64, win-x64, win-arm64, linux-x64, linux-arm64): builds
// one target's installers on their own. npm installs only the build machine's native packages, so this
// installs the target's node-llama-cpp and koffi binaries explicitly first (npm --os/--cpu, without
// touching package.json), then builds, then packs; electron-builder's afterPack hook checks the result.
//   node scripts/dist.ts TARGET [--dir] [--skip-install]
// --dir packs an unpacked app folder only; --skip-install uses what node_modules already holds.
import { spawnSync } from 'node:child_process';
import { enginePackages, installCommand, installedVersions } from '../electron/services/engine/enginePackages.ts';
import { parseTarget, targetName } from './unpackedBinaries.ts';

const builderFlags = { darwin: '--mac', win32: '--win', linux: '--linux' } as const;

/** The commands one target's build runs, in order. */
export function distCommands(name: string, options: { dir: boolean; skipInstall: boolean }): string[] {
  const target = parseTarget(name);
  const install = installCommand(enginePackages(target.platform, target.arch), installedVersions(), target);
  const pack = [
    'npx electron-builder --config electron-builder.yml',
    builderFlags[target.platform],
    `--${target.arch}`,
    ...(options.dir ? ['--dir'] : []),
  ].join(' ');
  return [...(options.skipInstall ? [] : [install]), 'npm run build', pack];
}

function main(argv: string[]) {
  const name = argv.find((a) => !a.startsWith('--'));
  if (!name) throw new Error('Usage: node scripts/dist.ts mac-arm64|mac-x64|win-x64|win-arm64|linux-x64|linux-arm64');
  const commands = distCommands(name, { dir: argv.includes('--dir'), skipInstall: argv.includes('--skip-install') });
  for (const command of commands) {
    console.log(`> ${command}`);
    // A shell runs npm and npx (npm.cmd on Windows); the commands are built from fixed parts only.
    const result = spawnSync(command, { shell: true, stdio: 'inherit', windowsHide: true });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.log(`Built ${targetName(parseTarget(name))}. Run \`npm install\` to restore this machine's own packages.`);
}

if (import.meta.main) main(process.argv.slice(2));
