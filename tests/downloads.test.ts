// Downloads for real: a loopback HTTP server serves a real GGUF with range requests and faults on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../electron/services/store/database.ts';
import { DownloadManager } from '../electron/services/library/downloadManager.ts';
import { resolveModelUrl } from '../electron/services/library/downloader.ts';
import { f16Model, repoRoot, tempDir } from './fixtures.ts';
import { startModelServer, type ModelServer } from './modelServer.ts';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer(f16Model);
});
afterAll(async () => {
  await server.close();
});

function manager(dataDir = tempDir('edgewise-dl-')) {
  const db = openDatabase(join(dataDir, 'edgewise.db'));
  const seen: string[] = [];
  const changed = new Set<() => void>();
  const m = new DownloadManager({
    db,
    stagingDir: join(dataDir, 'downloads'),
    modelsDir: join(dataDir, 'models'),
    onChange: (r) => {
      seen.push(r.state);
      for (const listener of changed) listener();
    },
  });
  return {
    m,
    db,
    dataDir,
    seen,
    changed,
    models: () => (existsSync(join(dataDir, 'models')) ? readdirSync(join(dataDir, 'models')) : []),
    parts: () => (existsSync(join(dataDir, 'downloads')) ? readdirSync(join(dataDir, 'downloads')) : []),
  };
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const rangesSince = (n: number) =>
  server.requests
    .slice(n)
    .filter((r) => r.method === 'GET')
    .map((r) => r.range);
/** Resolves when the manager reports at least `bytes` received for the download. */
function untilReceived({ m, changed }: ReturnType<typeof manager>, id: string, bytes: number) {
  return new Promise<void>((resolve) => {
    const check = () => {
      if ((m.list().find((d) => d.id === id)?.received ?? 0) < bytes) return;
      changed.delete(check);
      resolve();
    };
    changed.add(check);
    check();
  });
}

describe('model downloads', () => {
  it('downloads a file, verifies it against the catalog hash and moves it into the models folder', async () => {
    server.fault({}, true);
    const { m, models, parts } = manager();
    const started = m.start({
      uri: server.url('TinyStories-656K.f16.gguf'),
      sha256: server.sha256,
      sizeBytes: server.size,
    });
    expect(started.state).toBe('downloading');
    const done = await m.settled(started.id);
    expect(done).toMatchObject({
      state: 'done',
      received: server.size,
      sha256: server.sha256,
      verifiedAgainst: 'catalog',
      error: null,
    });
    expect(models()).toEqual(['TinyStories-656K.f16.gguf']);
    expect(sha(done.path!)).toBe(server.sha256);
    expect(parts()).toEqual([]);
  });

  it('without a catalog hash, verifies against the hash the server publishes (X-Linked-ETag)', async () => {
    const { m } = manager();
    const done = await m.settled(m.start({ uri: server.url('a.gguf') }).id);
    expect(done).toMatchObject({ state: 'done', verifiedAgainst: 'server', sha256: server.sha256 });
  });

  it('resumes from where a cut connection stopped, with a range request', async () => {
    const { m } = manager();
    const before = server.requests.length;
    server.fault({ cutAfterBytes: 300_000 });
    const done = await m.settled(m.start({ uri: server.url('cut.gguf'), sha256: server.sha256 }).id);
    expect(done).toMatchObject({ state: 'done', sha256: server.sha256 });
    // The server sent 300,000 bytes before cutting; what had arrived is kept and the rest is asked for.
    const ranges = rangesSince(before);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(ranges[1]!)![1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(300_000);
  });

  it('deletes a file whose hash does not match, and says so', async () => {
    const { m, models, parts } = manager();
    const done = await m.settled(m.start({ uri: server.url('wrong.gguf'), sha256: 'f'.repeat(64) }).id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/sha256 is [0-9a-f]{64}, but the catalog says f{64}: it was deleted/);
    expect(models()).toEqual([]);
    expect(parts()).toEqual([]);
  });

  it('reports a server error and leaves no file where a model is expected', async () => {
    server.fault({ status: 500 }, true);
    const { m, models } = manager();
    const done = await m.settled(m.start({ uri: server.url('error.gguf') }).id);
    server.fault({}, true);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/the server answered 500/);
    expect(models()).toEqual([]);
  });

  it('pauses and resumes, and cancels leaving nothing behind', async () => {
    server.fault({ bytesPerTick: 32_768 }, true);
    const downloads = manager();
    const { m, models, parts } = downloads;
    const one = m.start({ uri: server.url('paused.gguf'), sha256: server.sha256 });
    const two = m.start({ uri: server.url('cancelled.gguf') });
    await untilReceived(downloads, one.id, 100_000);
    const paused = await m.pause(one.id);
    expect(paused.state).toBe('paused');
    expect(parts()).toContain(`${one.id}.part`);
    await untilReceived(downloads, two.id, 50_000);
    expect((await m.cancel(two.id)).state).toBe('cancelled');
    expect(parts()).not.toContain(`${two.id}.part`);
    server.fault({}, true);
    const before = server.requests.length;
    m.resume(one.id);
    expect((await m.settled(one.id)).state).toBe('done');
    expect(rangesSince(before)[0]).toMatch(/^bytes=\d{6,}-$/);
    expect(models()).toEqual(['paused.gguf']);
  });

  it('refuses to start when the disk is too small, before writing anything', async () => {
    const { m, parts } = manager();
    const done = await m.settled(m.start({ uri: server.url('huge.gguf'), sizeBytes: 1e15 }).id);
    expect(done.error).toMatch(/not enough free disk/);
    expect(parts()).toEqual([]);
  });

  it('continues after the app is killed mid-download', async () => {
    server.fault({ bytesPerTick: 32_768 }, true);
    const dataDir = tempDir('edgewise-dl-restart-');
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'tests', 'downloadChild.ts'), dataDir, server.url('restart.gguf')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (/received (\d+)/.exec(chunk.toString()) && Number(/received (\d+)/.exec(chunk.toString())![1]) > 200_000)
          resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    server.fault({}, true);
    const before = server.requests.length;
    const { m, models } = manager(dataDir);
    const [interrupted] = m.list();
    expect(interrupted!.state).toBe('downloading');
    expect(m.resumeInterrupted()).toBe(1);
    const done = await m.settled(interrupted!.id);
    expect(done).toMatchObject({ state: 'done', sha256: server.sha256 });
    expect(rangesSince(before)[0]).toMatch(/^bytes=\d{6,}-$/);
    expect(models()).toEqual(['restart.gguf']);
  });

  it('turns hf: URIs into Hugging Face resolve URLs and rejects other schemes', () => {
    expect(resolveModelUrl('hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf')).toBe(
      'https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf',
    );
    expect(resolveModelUrl('hf:a/b/sub/c.gguf#v2')).toBe('https://huggingface.co/a/b/resolve/v2/sub/c.gguf');
    expect(() => resolveModelUrl('ftp://x/y.gguf')).toThrow(/not a model URI/);
  });
});
