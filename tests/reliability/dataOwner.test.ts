// One owner of the data folder: the app (as Electron builds it) or `edgewise serve` holds
// edgewise.lock; a second writer is refused with who holds it, read-only commands keep working, a
// restore goes through the running app, and the lock of a killed process is taken over.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../electron/services/app.ts';
import { forkWorker } from '../../electron/services/engine/workerProcess.ts';
import { acquireDataLock, DataLockedError, readLock } from '../../electron/services/dataLock.ts';
import { connect } from '../../electron/common/wsClient.ts';
import { demoModel, repoRoot, tempDir } from '../fixtures.ts';

const cli = join(repoRoot, 'electron/cli/index.ts');

function edgewise(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `edgewise serve` from source, resolved once it prints its URL. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--gpu', 'cpu', '--model', demoModel], {
    env: { ...process.env, EDGEWISE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /serving at (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`edgewise serve exited (${code}): ${output}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describe('one owner of the data folder', () => {
  it('the app holds the folder: `edgewise serve` refuses plainly, read-only commands work', async () => {
    const dataDir = tempDir();
    const app = await createApp({ dataDir, spawn: forkWorker, emit: () => {}, shell: 'electron' });
    try {
      expect(readLock(dataDir)).toMatchObject({ pid: process.pid, shell: 'the Edgewise app' });
      // A second app in the same process is refused too, before it touches the database.
      await expect(createApp({ dataDir, spawn: forkWorker, emit: () => {}, shell: 'headless' })).rejects.toThrow(
        DataLockedError,
      );
      const second = await edgewise(dataDir, ['serve', '--gpu', 'cpu']);
      expect(second.code).toBe(5);
      expect(second.stderr).toContain(`in use by another Edgewise (the Edgewise app, process ${process.pid}`);
      const list = await edgewise(dataDir, ['models', 'list', '--json']);
      expect(list.code).toBe(0);
      expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
      const importing = await edgewise(dataDir, ['models', 'import', demoModel]);
      expect(importing.code).toBe(5);
      expect((await edgewise(dataDir, ['backup', 'list', '--json'])).code).toBe(0);
    } finally {
      await app.dispose();
    }
    expect(existsSync(join(dataDir, 'edgewise.lock'))).toBe(false);
  });

  it('serve killed with -9: restore through the app while it ran, then the stale lock is taken over', async () => {
    const dataDir = tempDir();
    const { child, url } = await serve(dataDir);
    const { client, close } = await connect(url);
    const kept = await client.call('conversations.create', { title: 'before the backup' });
    const snapshot = await client.call('backups.create', {});
    expect(snapshot).toMatchObject({ conversations: 1, reason: 'manual' });
    await client.call('conversations.create', { title: 'after the backup' });
    // The CLI cannot restore under a running app, and says where to do it.
    const refused = await edgewise(dataDir, ['backup', 'restore', snapshot.id]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/edgewise serve, process \d+.*Backups view/s);
    // The running app restores live, keeping a backup of what it replaced.
    const restored = await client.call('backups.restore', { id: snapshot.id });
    expect((await client.call('conversations.list', {})).map((c) => c.id)).toEqual([kept.id]);
    const listed = JSON.parse((await edgewise(dataDir, ['backup', 'list', '--json'])).stdout) as { id: string }[];
    expect(listed.map((b) => b.id)).toContain(restored.safetyBackup);
    close();

    child.kill('SIGKILL');
    await exited(child);
    expect(readLock(dataDir)?.pid).toBe(child.pid); // left behind by the killed process
    const cliRestore = await edgewise(dataDir, ['backup', 'restore', restored.safetyBackup]);
    expect(cliRestore.stderr).toBe('');
    expect(cliRestore.code).toBe(0);
    expect(cliRestore.stdout).toMatch(/moved to .*edgewise\.db\.before-restore-/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('edgewise.lock.stale-'))).toBe(true);
    // The restored database has both conversations again, and a new owner starts.
    const lock = acquireDataLock(dataDir, 'test');
    lock.release();
    const app = await createApp({ dataDir, spawn: forkWorker, emit: () => {}, shell: 'headless' });
    try {
      expect(
        app.store
          .list()
          .map((c) => c.title)
          .sort(),
      ).toEqual(['after the backup', 'before the backup']);
    } finally {
      await app.dispose();
    }
  }, 120_000);
});
