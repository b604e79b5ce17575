// A full disk while an answer streams: the data folder sits on a 4 MB tmpfs this test mounts (as
// root; skipped, saying why, where mounting is not permitted), filled up mid-answer. The answer keeps
// streaming, the user is told saving failed and why, what was saved stays readable, and once space is
// freed the finished answer is saved and the app works again without a restart.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createApp } from '../../electron/services/app.ts';
import { forkWorker } from '../../electron/services/engine/workerProcess.ts';
import type { DataHealth } from '../../shared/data.ts';
import { openDatabase } from '../../electron/services/store/database.ts';
import { DownloadManager } from '../../electron/services/library/downloadManager.ts';
import { demoModel, f16Model, tempDir } from '../fixtures.ts';
import { startModelServer } from '../modelServer.ts';
import { errorMessage } from '../../shared/errors.ts';

const mountPoint = join(tempDir(), 'tiny');
mkdirSync(mountPoint);
let mounted: string | null = null;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  mounted = `mounting a tmpfs is not permitted here: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || errorMessage(error)}`;
}
const skipWhy = mounted;

afterAll(() => {
  if (!skipWhy) execFileSync('umount', ['-l', mountPoint]);
});

/** Writes zeros until the filesystem says ENOSPC, or until only `leave` bytes are free. */
function fill(path: string, leave = 0): number {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(16 * 1024);
  let written = 0;
  const free = () => {
    const s = statfsSync(mountPoint);
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
        settings: { ...conversation.settings, sampling: { ...conversation.settings.sampling, maxTokens: 3000 } },
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
    const dataDir = join(mountPoint, 'download');
    const server = await startModelServer(f16Model);
    const db = openDatabase(join(dataDir, 'edgewise.db'));
    const manager = new DownloadManager({
      db,
      stagingDir: join(dataDir, 'downloads'),
      modelsDir: join(dataDir, 'models'),
      onChange: () => {},
    });
    const filler = join(mountPoint, 'filler');
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
});
