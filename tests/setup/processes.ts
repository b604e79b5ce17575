// Finds the processes a test run started, by a variable every child inherits: a child of a child, or
// one orphaned when its parent was killed, still carries it, where a walk of the process tree would
// lose it. Linux only (/proc); elsewhere nothing is found and the checks pass vacuously, as said below.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Found {
  pid: number;
  command: string;
}

export const canList = existsSync('/proc/self/environ');

/** The test runners' own helpers (Vitest's workers and watchdog) carry the variable too; they are not ours. */
const runnerOwn = /^vitest-|[/\\]node_modules[/\\](vitest|@vitest|playwright|@playwright)[/\\]/;

/** Processes other than this one (and the runner's own) whose environment holds `name=value`. */
export function processesWith(name: string, value: string): Found[] {
  if (!canList) return [];
  const needle = `${name}=${value}`;
  const found: Found[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1];
      if (state === 'Z') continue; // exited, waiting for its parent to read its status
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      if (!runnerOwn.test(command)) found.push({ pid, command });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

/**
 * Waits up to `ms` for the processes carrying `name=value` to exit (a stop that was asked for may take a
 * moment), then kills what is left. Returns what had to be killed. Polls: these are not our children,
 * so there is no exit event to wait on.
 */
export async function reap(name: string, value: string, ms = 5000): Promise<Found[]> {
  const deadline = Date.now() + ms;
  let left = processesWith(name, value);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = processesWith(name, value);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return left;
}

export const describeLeft = (left: Found[]) => left.map((p) => `  pid ${p.pid}: ${p.command.slice(0, 200)}`).join('\n');
