// How the engine host reaches its worker: child_process.fork here (headless shell, CLI, tests);
// the Electron shell passes its own spawner built on utilityProcess.
import { fork } from 'node:child_process';
import { moduleBeside } from '../paths.ts';
import { isRpcMessage, type RpcMessage, type Transport } from '../../../shared/rpc.ts';

export interface WorkerProcess {
  transport: Transport;
  pid: number | undefined;
  kill(signal?: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}
export type SpawnWorker = () => WorkerProcess;

/** The worker's entry, next to this module. */
export function workerEntry(): string {
  return moduleBeside(import.meta.url, 'engineWorker');
}

/**
 * The worker's environment: the app's, with libuv's thread pool at one thread. node-llama-cpp runs each
 * decode and each sampling call as a task on that pool; with libuv's default of 4 threads they land on
 * different pool threads from token to token, and at 2 ggml threads on 2 cores this worker decoded at 66-99
 * tok/s (median 71) against 66-134 (median 118) with one pool thread, 7 alternating runs each (synthetic
 * 300M Q4_0, the 2-core VM; in C with the same libraries, 168-183; perf: 31% of a slow run's cycles in
 * ggml_barrier, one compute thread waiting for the other). Nothing in the worker needs two pool tasks at
 * once: its calls are queued one at a time.
 * `EDGEWISE_WORKER_UV_THREADS` sets another size (the bench measures both).
 */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, UV_THREADPOOL_SIZE: env.EDGEWISE_WORKER_UV_THREADS || '1' };
}

export function messageTransport(
  send: (message: RpcMessage) => void,
  subscribe: (listener: (message: unknown) => void) => void,
): Transport {
  const listeners = new Set<(message: RpcMessage) => void>();
  subscribe((message) => {
    if (!isRpcMessage(message)) return;
    for (const listener of listeners) listener(message);
  });
  return {
    send,
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const forkWorker: SpawnWorker = () => {
  const child = fork(workerEntry(), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: workerEnv(),
    // node.exe is a console program: from the desktop app it would open a console window of its own.
    windowsHide: true,
  });
  // A send racing the worker's death fails with ERR_IPC_CHANNEL_CLOSED; the exit handler reports the
  // crash, so the error must not escape as an unhandled 'error' event that would take the app down.
  child.on('error', () => {});
  return {
    transport: messageTransport(
      (m) => {
        if (child.connected)
          child.send(m, (error) => {
            if (error) child.emit('send-failed', error);
          });
      },
      (listener) => child.on('message', listener),
    ),
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    onExit: (listener) => child.on('exit', listener),
  };
};
