// Starts the real headless shell (`edgewise serve`) on a throwaway data folder and waits for it to
// say it is serving and that its model is ready.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { removeTempDirs, tempDir } from '../tests/fixtures.ts';

export interface Shell {
  url: string;
  apiKey: string;
  process: ChildProcess;
  dataDir: string;
  /** Everything the shell printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

let removeOnExit = false;

/**
 * A throwaway data folder. Under Vitest it is removed like any tempDir() (tests/setup/eachFile.ts); a
 * Playwright worker removes its folders when it exits, after its specs' afterAll stopped their shells.
 */
export function newDataDir(): string {
  if (!removeOnExit) {
    removeOnExit = true;
    process.once('exit', () => removeTempDirs(0));
  }
  return tempDir('edgewise-e2e-');
}

export function startShell(dataDir: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<Shell> {
  const child = spawn(process.execPath, ['dist/electron/cli/index.js', 'serve', '--gpu', 'cpu', ...args], {
    env: { ...process.env, ...env, EDGEWISE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    let url = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      url ||= /serving at (\S+)/.exec(output)?.[1] ?? '';
      if (url && output.includes('Model ready')) {
        resolve({
          url,
          process: child,
          dataDir,
          output: () => output,
          apiKey: /API key: (\S+)\)/.exec(output)?.[1] ?? '',
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`edgewise serve exited (${code}): ${output}`)));
  });
}

/** The engine worker is the shell's only child process. */
export function workerPid(shell: Shell): number {
  const out = execFileSync('pgrep', ['-P', String(shell.process.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  return Number(out[0]);
}
