// Where the Electron binary is, or why there is none, found without triggering the electron package's
// download-on-first-use (which fails offline and would stall a test run).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function electronBinary(): { path: string; why?: undefined } | { path?: undefined; why: string } {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(dir, 'path.txt');
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH && !existsSync(pathFile))
    return {
      why: `no Electron binary: ${pathFile} is missing (the electron package downloads its binary on first use; run \`npx electron --version\` once where it can reach GitHub)`,
    };
  const executable = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron')
    : join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  if (!existsSync(executable)) return { why: `no Electron binary at ${executable}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { why: 'no display for the Electron window (neither DISPLAY nor WAYLAND_DISPLAY is set; try xvfb-run)' };
  return { path: executable };
}
