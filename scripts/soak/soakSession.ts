// A scripted session against the real headless shell (`edgewise serve`, a separate process), run for
// N minutes: chats stopped and regenerated, conversation switches, model switches, exports, and the
// engine worker killed every half minute; the server's and worker's memory and descriptors and the
// database's size sampled every 10 s, then judged by their fitted slopes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../electron/common/wsClient.ts';
import type { Message } from '../../shared/schemas.ts';
import { judge, type Limit, type Verdict } from './growth.ts';
import { childPids, openFds, rssBytes, sqlitePages, walBytes } from './probe.ts';
import { errorMessage } from '../../shared/errors.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const models = join(repoRoot, '..', 'shared', 'models');
const MB = 1024 * 1024;

export const limits: Record<string, Limit> = {
  serverRssMb: { perHour: 60, atLeast: 24 },
  // The worker is a new process after every kill (every 30 s), and the session loads a model about ten
  // times a second. Each new worker settles at 180-260 MB, depending on how far V8 grew its heap under
  // that churn while the machine was busy (heapTotal 57-154 MB around 21 MB in use, measured), so in a
  // 2-minute soak one worker's settling point moves the last third by up to 80 MB with nothing leaked
  // (66 MB in the CI run that failed on the old 24 MB, 77 MB at most in 40 workers here).
  workerRssMb: { perHour: 60, atLeast: 120 },
  serverFds: { perHour: 30, atLeast: 6 },
  workerFds: { perHour: 30, atLeast: 6 },
  sqliteMb: { perHour: 20, atLeast: 2 },
  // The WAL grows to about 4 MB (1,000 pages) before SQLite checkpoints and reuses it.
  walMb: { perHour: 20, atLeast: 6 },
};

export interface Sample {
  t: number;
  serverRssMb: number | null;
  workerRssMb: number | null;
  serverFds: number | null;
  workerFds: number | null;
  /** The database's own size (its pages, wherever they are), and the WAL file's. */
  sqliteMb: number;
  walMb: number;
}

export interface SoakResult {
  minutes: number;
  cycles: number;
  answers: number;
  kills: number;
  /** Calls that failed because a kill landed mid-call (expected), and any other failure (not). */
  expectedErrors: number;
  otherErrors: string[];
  samples: Sample[];
  verdicts: Record<string, Verdict>;
  ok: boolean;
}

function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'electron/cli/index.ts'),
      'serve',
      '--gpu',
      'cpu',
      '--model',
      join(models, 'TinyStories-656K-Q8_0.gguf'),
    ],
    { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /serving at (\S+)/.exec(output)?.[1];
      if (url && output.includes('Model ready')) resolve({ child, url });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`edgewise serve exited (${code}): ${output}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: { minutes: number; sampleEveryS?: number; log?: (line: string) => void }) {
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'edgewise-soak-'));
  const { child, url } = await startServe(dataDir);
  const serverPid = child.pid!;
  const { client, close } = await connect(url);
  const done = new Map<string, (m: Message) => void>();
  client.on('chat.done', ({ message }) => done.get(message.id)?.(message));
  const finished = (id: string) =>
    new Promise<Message | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 60_000);
      done.set(id, (m) => {
        clearTimeout(timer);
        done.delete(id);
        resolve(m);
      });
    });

  const result = { cycles: 0, answers: 0, kills: 0, expectedErrors: 0, otherErrors: [] as string[] };
  const started = Date.now();
  const samples: Sample[] = [];
  const sample = () => {
    const workers = childPids(serverPid);
    const sum = (values: (number | null)[]) =>
      values.length > 0 && values.every((v) => v !== null) ? values.reduce<number>((a, b) => a + b!, 0) : null;
    const workerRss = sum(workers.map(rssBytes));
    const s: Sample = {
      t: (Date.now() - started) / 1000,
      serverRssMb: (rssBytes(serverPid) ?? NaN) / MB,
      workerRssMb: workerRss === null ? null : workerRss / MB,
      serverFds: openFds(serverPid),
      workerFds: sum(workers.map(openFds)),
      sqliteMb: sqlitePages(join(dataDir, 'edgewise.db')) / MB,
      walMb: walBytes(join(dataDir, 'edgewise.db')) / MB,
    };
    samples.push(s);
    log(
      `${s.t.toFixed(0).padStart(5)} s  server ${s.serverRssMb?.toFixed(1)} MB, ${s.serverFds} fds;  worker ${s.workerRssMb?.toFixed(1) ?? '—'} MB, ${s.workerFds ?? '—'} fds;  sqlite ${s.sqliteMb.toFixed(2)} MB + WAL ${s.walMb.toFixed(2)} MB`,
    );
  };
  sample();
  const sampler = setInterval(sample, (options.sampleEveryS ?? 10) * 1000);
  // The worker killed every 30 s, whatever the session is doing at that moment.
  const killer = setInterval(() => {
    const worker = childPids(serverPid)[0];
    if (!worker) return;
    process.kill(worker, 'SIGKILL');
    result.kills++;
  }, 30_000);

  const attempt = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'engine_crashed' || code === 'model_load_failed' || code === 'busy') result.expectedErrors++;
      else if (result.otherErrors.length < 20) result.otherErrors.push(errorMessage(error));
      return null;
    }
  };
  try {
    const second = await client.call('models.add', { path: join(models, 'stories260K.gguf') });
    const first = (await client.call('models.list', {})).find((m) => m.path.endsWith('TinyStories-656K-Q8_0.gguf'))!;
    const kept: string[] = [];
    const deadline = started + options.minutes * 60_000;
    while (Date.now() < deadline) {
      result.cycles++;
      const c = await client.call('conversations.create', { title: `soak ${result.cycles}` });
      kept.push(c.id);
      const modelId = result.cycles % 3 === 0 ? second.id : first.id; // a model switch every third cycle
      await attempt(() =>
        client.call('conversations.update', {
          id: c.id,
          modelId,
          settings: { ...c.settings, sampling: { ...c.settings.sampling, maxTokens: 32 } },
        }),
      );
      const sent = await attempt(() => client.call('chat.send', { conversationId: c.id, text: 'Once upon a time' }));
      if (sent) {
        const answer = finished(sent.assistantMessage.id);
        await sleep(40);
        await client.call('chat.stop', { conversationId: c.id });
        if (await answer) result.answers++;
        const again = await attempt(() => client.call('chat.regenerate', { conversationId: c.id }));
        if (again && (await finished(again.assistantMessage.id))) result.answers++;
      }
      // Conversation switches, and an export (the renderer's export is this whole read, serialized).
      await client.call('conversations.list', {});
      for (const id of kept.slice(-3)) JSON.stringify(await client.call('conversations.get', { id }));
      await client.call('telemetry.summary', {});
      if (kept.length > 6) await client.call('conversations.delete', { id: kept.shift()! });
    }
  } finally {
    clearInterval(sampler);
    clearInterval(killer);
    sample();
    close();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  const verdicts: Record<string, Verdict> = {};
  for (const [name, limit] of Object.entries(limits)) {
    const points = samples.filter(
      (s) => typeof s[name as keyof Sample] === 'number' && !Number.isNaN(s[name as keyof Sample]),
    );
    verdicts[name] = judge(
      { t: points.map((s) => s.t), v: points.map((s) => s[name as keyof Sample] as number) },
      limit,
    );
  }
  const ok = Object.values(verdicts).every((v) => !v.growing) && result.otherErrors.length === 0;
  return { minutes: options.minutes, ...result, samples, verdicts, ok } satisfies SoakResult;
}
