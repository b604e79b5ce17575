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
