// Every process the bench starts (engine workers, `edgewise serve`, llama.cpp's tools), so that SIGTERM or
// SIGINT stops them all before the bench exits. Without it the bench ignored SIGTERM once Playwright had
// launched Chromium (Playwright's own SIGTERM handler closes its browsers but does not exit), and a shell
// it had started ran on, orphaned, with its engine worker.
import type { ChildProcess } from 'node:child_process';
import { forkWorker, type SpawnWorker } from '../../services/engine/workerProcess.ts';

interface Running {
  kill(signal: NodeJS.Signals): void;
  exited: Promise<void>;
}

const running = new Set<Running>();
const cleanups = new Set<() => void>();
/** How long a child may take to stop after SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 5_000;

function track(entry: Running): void {
  running.add(entry);
  void entry.exited.then(() => running.delete(entry));
}

/** Registers a child process the bench spawned; returns it. */
export function tracked<T extends ChildProcess>(child: T): T {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  track({ kill: (signal) => child.kill(signal), exited });
  return child;
}

/** forkWorker, registered: for the EngineHosts the bench makes. */
export const trackedWorker: SpawnWorker = () => {
  const worker = forkWorker();
  track({ kill: (signal) => worker.kill(signal), exited: new Promise((resolve) => worker.onExit(() => resolve())) });
  return worker;
};

/** Runs `cleanup` (removing a temporary folder, say) if a signal stops the bench; call the result once done with it. */
export function atStop(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** The children still running (for the bench's own report and its test). */
export const runningChildren = () => running.size;

/** SIGTERM to every child, SIGKILL to those still running after the grace period; resolves when all are gone. */
export async function stopChildren(): Promise<void> {
  const all = [...running];
  for (const child of all) child.kill('SIGTERM');
  const gone = Promise.all(all.map((c) => c.exited));
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    gone.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (late) {
    for (const child of running) child.kill('SIGKILL');
    await gone;
  }
}

let installed = false;
/** On SIGTERM or SIGINT: stop every child, say so, and exit with the signal's conventional status. */
export function stopOnSignals(say: (line: string) => void = (line) => console.error(line)): void {
  if (installed) return;
  installed = true;
  const stop = (signal: 'SIGTERM' | 'SIGINT') => {
    say(`bench: ${signal} received, stopping ${running.size} child process(es) and exiting without a result`);
    void stopChildren().finally(() => {
      // after the children: a shell's data folder is removed only once the shell is gone
      for (const cleanup of cleanups) {
        try {
          cleanup();
        } catch {
          // the exit goes on; what could not be removed stays, as it would after a crash
        }
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
