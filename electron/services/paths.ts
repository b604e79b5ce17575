// Where Edgewise keeps its data: Electron's userData folder for an app named "Edgewise", computed the
// same way here so that the headless shell and the CLI share it. EDGEWISE_DATA_DIR overrides it.
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Edgewise';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.EDGEWISE_DATA_DIR) return resolve(env.EDGEWISE_DATA_DIR);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The repository (or packaged app) root: two levels above electron/services, in source or in dist. */
export function appRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = resolve(here, '..', '..');
  return basename(root) === 'dist' ? resolve(root, '..') : root;
}

/** Model files cannot be memory-mapped from inside an asar archive; packaging unpacks models/. */
export function bundledModelsDir(): string {
  return join(appRoot(), 'models').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** The shipped reference text the quantization lab scores perplexity on. */
export function referenceTextPath(): string {
  return join(bundledModelsDir(), 'text', 'reference.txt');
}

/** A module beside `url` (a caller's import.meta.url): .ts when run from source, .js when built. */
export function moduleBeside(url: string, name: string): string {
  const here = fileURLToPath(url);
  return join(dirname(here), name + extname(here));
}
