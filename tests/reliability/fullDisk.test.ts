// A full disk while an answer streams, a download runs or a quantization writes: the data folder sits on a
// tiny tmpfs this test mounts (as root; skipped, saying why, where mounting is not permitted), filled up
// mid-way. The answer keeps streaming, the user is told saving failed and why, what was saved stays
// readable, partial files are removed, and once space is freed the app works again without a restart.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createApp } from '../../electron/services/app.ts';
import { forkWorker } from '../../electron/services/engine/workerProcess.ts';
import type { DataHealth } from '../../shared/data.ts';
import { openDatabase } from '../../electron/services/store/database.ts';
import { DownloadManager } from '../../electron/services/library/downloadManager.ts';
import { demoModel, f16Model, tempDir } from '../fixtures.ts';
import { startModelServer } from '../modelServer.ts';
import { errorMessage } from '../../shared/errors.ts';
import { processesWith } from '../setup/processes.ts';

const mounts: string[] = [];
/** A tmpfs of `size` (mount's size=), or why none could be mounted. */
function mountTiny(name: string, size: string): { path: string; skipWhy: string | null } {
  const path = join(tempDir(), name);
  mkdirSync(path);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
    mounts.push(path);
    return { path, skipWhy: null };
  } catch (error) {
    return {
      path,
      skipWhy: `mounting a tmpfs is not permitted here: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || errorMessage(error)}`,
    };
  }
}
// one disk per test, so what one test leaves (an answer's database, a downloaded model) cannot fill another's
const { path: mountPoint, skipWhy } = mountTiny('tiny', '4m');
const { path: downloadMount } = mountTiny('tiny-download', '4m');
// the quantizer starts only with its source's size (1.36 MB) free
const { path: quantMount } = mountTiny('tiny-quant', '4m');

afterAll(() => {
  for (const path of mounts) execFileSync('umount', ['-l', path]);
});

/** Writes zeros until the filesystem says ENOSPC, or until only `leave` bytes are free. */
function fill(path: string, leave = 0): number {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(16 * 1024);
  let written = 0;
  const free = () => {
    const s = statfsSync(dirname(path));
    return s.bavail * s.bsize;
  };
  try {
    while (free() > leave + block.length) written += writeSync(fd, block);
    if (leave === 0) for (;;) written += writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a full disk', () => {
  it('mid-answer: streaming goes on, the failure is reported, and saving resumes once space is freed', async (ctx) => {
    if (skipWhy) return ctx.skip(skipWhy);
    const dataDir = join(mountPoint, 'data');
    let streamed = '';
    const health: DataHealth[] = [];
    const done = new Map<string, (m: { text: string; status: string }) => void>();
    const app = await createApp({
      dataDir,
      spawn: forkWorker,
      shell: 'headless',
      gpu: 'cpu',
      // The measured default threads, with ignore-EOS: the story cannot end before its max tokens, so the
      // answer is still streaming when the disk is filled, however fast this machine writes it.
      ignoreEos: true,
      modelPath: demoModel,
      emit: (name, payload: any) => {
        if (name === 'chat.delta') streamed += payload.delta;
        if (name === 'data.health') health.push(payload);
        if (name === 'chat.done') done.get(payload.message.id)?.(payload.message);
      },
    });
    try {
      await app.start();
      const conversation = app.store.create('on a tiny disk', null);
      const other = app.store.create('another conversation', null);
      const earlier = app.store.addMessage(conversation.id, 'user', 'saved before the disk filled', 'done');
      app.store.update(conversation.id, {
        settings: { ...conversation.settings, sampling: { ...conversation.settings.sampling, maxTokens: 1000 } },
      });
      const { assistantMessage } = app.chat.send(conversation.id, 'Once upon a time there was a dog');
      const finished = new Promise<{ text: string; status: string }>((r) => done.set(assistantMessage.id, r));
      while (app.store.message(assistantMessage.id).text === '') await sleep(20); // a save has landed
      const savedBefore = app.store.message(assistantMessage.id).text;
      const filler = join(mountPoint, 'filler');
      fill(filler);
      const atFull = streamed.length;
      const message = await finished;
      // The answer streamed on after the disk filled, and arrived whole.
      expect(streamed.length).toBeGreaterThan(atFull);
      expect(message.text.length).toBeGreaterThan(savedBefore.length);
      expect(streamed.startsWith(message.text.trimEnd())).toBe(true);
      expect(message.status).toBe('done');
      // The user was told, with the reason.
      expect(health.at(-1)?.saveError).toMatch(/disk is full/);
      expect(app.data.status().saveError).toMatch(/disk is full/);
      // What was saved before is still there and readable.
      const onDisk = app.store.message(assistantMessage.id);
      expect(onDisk.text.startsWith(savedBefore)).toBe(true);
      expect(app.store.message(earlier.id).text).toBe('saved before the disk filled');
      // A new message while the disk is full is refused plainly, not lost silently.
      expect(() => app.chat.send(other.id, 'and now?')).toThrow(/Saving failed/);

      rmSync(filler);
      // Without a restart: the finished answer is saved within the retry interval, the banner clears.
      await expect.poll(() => app.store.message(assistantMessage.id).status, { timeout: 5000 }).toBe('done');
      expect(app.store.message(assistantMessage.id).text).toBe(message.text);
      expect(health.at(-1)?.saveError).toBeNull();
      const again = app.chat.send(conversation.id, 'Once upon a time');
      const next = await new Promise<{ status: string }>((r) => done.set(again.assistantMessage.id, r));
      expect(next.status).toBe('done');
      expect(app.store.message(again.assistantMessage.id).status).toBe('done');
    } finally {
      await app.dispose();
      rmSync(join(mountPoint, 'filler'), { force: true }); // a failed check must not leave the disk full
    }
    const db = new DatabaseSync(join(dataDir, 'edgewise.db'), { readOnly: true });
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    db.close();
  }, 120_000);

  it('mid-download: the download fails saying why, its partial file is removed, and it resumes once space is freed', async (ctx) => {
    if (skipWhy) return ctx.skip(skipWhy);
    const dataDir = join(downloadMount, 'data');
    const server = await startModelServer(f16Model);
    const db = openDatabase(join(dataDir, 'edgewise.db'));
    const manager = new DownloadManager({
      db,
      stagingDir: join(dataDir, 'downloads'),
      modelsDir: join(dataDir, 'models'),
      onChange: () => {},
    });
    const filler = join(downloadMount, 'filler');
    try {
      fill(filler, 400 * 1024); // 0.4 MB left for a 1.36 MB file
      const failed = await manager.settled(manager.start({ uri: server.url('TinyStories-656K.f16.gguf') }).id);
      expect(failed.state).toBe('failed');
      expect(failed.error).toMatch(/ENOSPC|no space left|disk is full/i);
      expect(readdirSync(join(dataDir, 'downloads'))).toEqual([]);
      expect(existsSync(join(dataDir, 'models', 'TinyStories-656K.f16.gguf'))).toBe(false);
      rmSync(filler);
      manager.resume(failed.id);
      const done = await manager.settled(failed.id);
      expect(done).toMatchObject({ state: 'done', sha256: server.sha256, received: server.size });
    } finally {
      rmSync(filler, { force: true });
      await manager.dispose();
      db.close();
      await server.close();
    }
  }, 60_000);

  it('mid-quantization: it fails saying the disk is full, its .partial file is removed, saved data stays, and it works once space is freed', async (ctx) => {
    if (skipWhy) return ctx.skip(skipWhy);
    const dataDir = join(quantMount, 'data');
    const progress: {
      jobId: string;
      state: string;
      done: number;
      message: string | null;
      result: { path: string } | null;
    }[] = [];
    const waits = new Set<() => void>();
    const app = await createApp({
      dataDir,
      spawn: forkWorker,
      shell: 'headless',
      gpu: 'cpu',
      emit: (name, payload: any) => {
        if (name !== 'quant.progress') return;
        progress.push(payload);
        for (const wait of waits) wait();
      },
    });
    /** The job's last level once it settled (done, failed or cancelled). */
    const settled = (jobId: string) =>
      new Promise<(typeof progress)[number]>((resolve) => {
        const check = () => {
          const end = progress.find((p) => p.jobId === jobId && p.state !== 'running');
          if (!end) return;
          waits.delete(check);
          resolve(end);
        };
        waits.add(check);
        check();
      });
    /** The quantizer's child process, as soon as it exists (found by the variable every test child carries). */
    const quantizer = async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = processesWith('EDGEWISE_TEST_OWNER', process.env.EDGEWISE_TEST_OWNER!).find((p) =>
          p.command.includes('quantizeWorker'),
        );
        if (found) return found.pid;
        if (Date.now() > deadline) throw new Error(`the quantizer process never started: ${JSON.stringify(progress)}`);
        await sleep(2);
      }
    };
    const filler = join(quantMount, 'filler');
    try {
      const conversation = app.store.create('saved before the quantization', null);
      const earlier = app.store.addMessage(conversation.id, 'user', 'kept through a full disk', 'done');
      const source = await app.library.add(f16Model); // an added file stays where it is, off the tiny disk
      const { jobId } = await app.lab.startQuantize(source.id, ['Q8_0']);
      // The quantizer is paused the moment its process exists, the disk filled to 256 KB free (the Q8_0
      // result is 0.75 MB), and resumed: it runs out of space part-way through writing its .partial file.
      const pid = await quantizer();
      process.kill(pid, 'SIGSTOP');
      try {
        fill(filler, 256 * 1024);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const failed = await settled(jobId);
      console.log(`quantization on a full disk: ${failed.message}`);
      expect(failed.state).toBe('failed');
      expect(progress.some((p) => p.jobId === jobId && p.done > 0)).toBe(true); // it had begun on the tensors
      // the user is told why, with the figure measured (llama.cpp itself says only "iostream error")
      expect(failed.message).toMatch(/failed: the disk is full \(.* had \d+ KB free when the write failed/);
      expect(readdirSync(app.library.modelsDir)).toEqual([]); // no .partial, no half result
      expect(app.store.message(earlier.id).text).toBe('kept through a full disk');
      expect(app.store.list().map((c) => c.id)).toContain(conversation.id);

      rmSync(filler);
      // Without a restart: the same level again, now with room.
      const again = await app.lab.startQuantize(source.id, ['Q8_0']);
      const done = await settled(again.jobId);
      expect(done.state, done.message ?? '').toBe('done');
      expect(readdirSync(app.library.modelsDir)).toEqual(['TinyStories-656K-Q8_0.gguf']);
      expect((await app.library.list()).map((m) => m.path)).toContain(done.result!.path);
    } finally {
      await app.dispose();
      rmSync(filler, { force: true });
    }
    const db = new DatabaseSync(join(dataDir, 'edgewise.db'), { readOnly: true });
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    db.close();
  }, 120_000);
});
