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
/** Node options whose value is the next argument (a `--require` of Vitest's own file, say). */
const withValue = new Set(['-r', '--require', '--import', '-C', '--conditions', '--loader', '--experimental-loader']);

/**
 * What a process runs: its script for Node (the first argument that is not an option), its program otherwise.
 * A child forked from a test inherits the runner's Node options (`--require .../node_modules/vitest/...`),
 * so the whole command line would match `runnerOwn` and hide every such child; the script does not.
 */
export function runs(argv: string[]): string {
  if (!/(^|[/\\])node(\.exe)?$/.test(argv[0] ?? '')) return argv.join(' ');
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return arg;
    if (withValue.has(arg)) i++;
  }
  return argv[0]!;
}

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
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
      const command = argv.join(' ');
      if (!runnerOwn.test(runs(argv))) found.push({ pid, command });
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
