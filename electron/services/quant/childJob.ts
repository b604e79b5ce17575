// One child process running one job (a quantization, one variant's measurements): started with its
// arguments as JSON, killed outright on cancel, and waited for. What it reports arrives as lines on
// stdout (a worker whose thread is blocked in native code can still write those) or as IPC messages.
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { moduleBeside } from '../paths.ts';
import { workerEnv } from '../engine/workerProcess.ts';

export interface ChildExit {
  code: number | null;
  signal: string | null;
  aborted: boolean;
  stderr: string;
}

export function runChildJob(
  worker: string,
  job: unknown,
  options: {
    signal?: AbortSignal;
    onLine?: (line: string) => void;
    onMessage?: (message: unknown) => void;
  },
): Promise<ChildExit> {
  const child = fork(moduleBeside(import.meta.url, worker), [JSON.stringify(job)], {
    stdio: ['ignore', options.onLine ? 'pipe' : 'ignore', 'pipe', 'ipc'],
    windowsHide: true,
    // The comparison runs decode through node-llama-cpp as the engine worker does, and times it.
    env: workerEnv(),
  });
  // A failed spawn also ends in 'exit'; the error must not escape as an unhandled event.
  child.on('error', () => {});
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (options.onLine) createInterface({ input: child.stdout! }).on('line', options.onLine);
  if (options.onMessage) child.on('message', options.onMessage);
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, aborted: options.signal?.aborted ?? false, stderr: stderr.trim() });
    }),
  );
}
