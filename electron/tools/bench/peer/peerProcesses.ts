// The two servers the peer benchmark talks to, each started as its user starts it: llama-server, and
// Edgewise's headless shell (`edgewise serve`) on a throwaway data folder. Each reports the CPU variant
// of ggml it runs, so that a ratio is known to compare the same kernels.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { appRoot } from '../../../services/paths.ts';
import { loadedBackendFromLog, mappedCpuVariant } from './sharedGgml.ts';
import { tracked } from '../children.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, name: string, headers: Record<string, string> = {}) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await fetch(url, { headers }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`${name} did not become ready in 2 minutes`);
}

export interface RunningPeer {
  child: ChildProcess;
  /** The ggml CPU library it loaded ("sapphirerapids"), "static" for a build with the kernels compiled in. */
  cpuVariant(): string;
}

export async function startLlamaServer(
  binary: string,
  args: string[],
  port: number,
  libraries: 'shared' | 'static',
): Promise<RunningPeer> {
  const child = tracked(spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true }));
  // Its log is read only for the backend line; the rest is drained so that the pipes never fill.
  let log = '';
  const keep = (chunk: Buffer) => {
    if (log.length < 1 << 16) log += chunk.toString('utf8');
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await waitForHttp(`http://127.0.0.1:${port}/health`, child, 'llama-server');
  const cpuVariant = () =>
    libraries === 'static' ? 'static' : (loadedBackendFromLog(log) ?? 'unknown (no backend line in its log)');
  return { child, cpuVariant };
}

/** The CPU variant in Edgewise's engine worker, a child of `edgewise serve` (Linux /proc; else unknown). */
function workerVariant(servePid: number): string {
  try {
    const children = readFileSync(`/proc/${servePid}/task/${servePid}/children`, 'utf8').trim().split(/\s+/);
    for (const pid of children) {
      const variant = mappedCpuVariant(Number(pid));
      if (variant) return variant;
    }
    return 'unknown (no libggml-cpu library mapped in its worker)';
  } catch {
    return 'unknown (no /proc on this system)';
  }
}

export async function startEdgewise(o: {
  modelPath: string;
  threads: number;
  port: number;
  apiKey: string;
  dataDir: string;
  flashAttention?: 'on' | 'off';
}): Promise<RunningPeer> {
  const args = ['serve', '--port', String(o.port), '--model', o.modelPath, '--threads', String(o.threads)];
  if (o.flashAttention) args.push('--flash-attention', o.flashAttention);
  const child = tracked(
    spawn(
      process.execPath,
      [join(appRoot(), 'dist', 'electron', 'cli', 'index.js'), ...args, '--gpu', 'cpu', '--api-key', o.apiKey],
      { stdio: 'ignore', windowsHide: true, env: { ...process.env, EDGEWISE_DATA_DIR: o.dataDir } },
    ),
  );
  const url = `http://127.0.0.1:${o.port}/v1/models`;
  await waitForHttp(url, child, 'edgewise serve', { Authorization: `Bearer ${o.apiKey}` });
  // Read when asked: the worker loads ggml with the model, after /v1 already answers.
  return { child, cpuVariant: () => (child.pid ? workerVariant(child.pid) : 'unknown') };
}
