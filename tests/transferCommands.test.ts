// `edgewise export` and `edgewise import` as a user runs them, on a real data folder.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../electron/services/store/database.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { acquireDataLock } from '../electron/services/dataLock.ts';
import { repoRoot, tempDir } from './fixtures.ts';

function edgewise(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), ...args],
      { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

function seed(dataDir: string): string {
  const db = openDatabase(join(dataDir, 'edgewise.db'));
  const store = new ConversationStore(db);
  const c = store.create('Owls at night', null);
  store.addMessage(c.id, 'user', 'Why do owls hoot?', 'done');
  store.addMessage(c.id, 'assistant', 'To call each other.', 'done');
  store.create('Second', null);
  db.close();
  return c.id;
}

const withoutIds = (json: string) =>
  (JSON.parse(json) as { conversations: { id: string; messages: { id: string }[] }[] }).conversations
    .map(({ id: _, messages, ...c }) => ({ ...c, messages: messages.map(({ id: __, ...m }) => m) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('edgewise export and import', () => {
  it('exports, wipes, imports and exports again with the same content', async () => {
    const source = tempDir();
    const id = seed(source);
    const file = join(tempDir(), 'all.json');
    const out = await edgewise(source, ['export', '--out', file]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Exported 2 conversation(s)');

    const fresh = tempDir();
    const imported = await edgewise(fresh, ['import', file, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ conversations: 2, messages: 2, remappedIds: 0 });
    const again = await edgewise(fresh, ['export']);
    expect(withoutIds(again.stdout)).toEqual(withoutIds(readFileSync(file, 'utf8')));

    // Importing into the folder it came from keeps both copies.
    const twice = await edgewise(source, ['import', file]);
    expect(twice.stdout).toContain('Imported 2 conversation(s), 2 message(s); 4 id(s) already present');

    const md = await edgewise(source, ['export', '--conversation', id, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Owls at night\n/);
    expect(md.stdout).toContain('## You\n\nWhy do owls hoot?');
  });

  it('keeps branches and the chosen path through export, wipe, import and export (format version 2)', async () => {
    const source = tempDir();
    const db = openDatabase(join(source, 'edgewise.db'));
    const store = new ConversationStore(db);
    const c = store.create('Branched', null);
    const u1 = store.addMessage(c.id, 'user', 'Tell a story', 'done');
    const a1 = store.addMessage(c.id, 'assistant', 'First version', 'done');
    store.addMessage(c.id, 'assistant', 'Second version', 'done', u1.id);
    store.addMessage(c.id, 'user', 'Edited request', 'done', null);
    store.showBranch(c.id, a1.id);
    db.close();

    const file = join(tempDir(), 'branched.json');
    expect((await edgewise(source, ['export', '--out', file])).code).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.version).toBe(2);
    expect(exported.conversations[0].leafId).toBe(a1.id);
    expect(exported.conversations[0].messages).toHaveLength(4);

    const fresh = tempDir();
    const imported = await edgewise(fresh, ['import', file, '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ conversations: 1, messages: 4, remappedIds: 0 });
    const again = await edgewise(fresh, ['export']);
    const body = (json: string) => json.replace(/"exportedAt": \d+/, '');
    expect(body(again.stdout)).toEqual(body(readFileSync(file, 'utf8')));
    const md = await edgewise(fresh, ['export', '--conversation', c.id, '--format', 'md']);
    expect(md.stdout).toContain('First version');
    expect(md.stdout).not.toContain('Second version');
    expect(md.stdout).not.toContain('Edited request');
  });

  it('refuses bad input with exit code 2 and a clear reason, importing nothing', async () => {
    const dataDir = tempDir();
    seed(dataDir);
    const dir = tempDir();
    const file = join(dir, 'all.json');
    await edgewise(dataDir, ['export', '--out', file]);
    const text = readFileSync(file, 'utf8');

    const cases: [string, string, RegExp][] = [
      ['notjson.json', 'hello, world', /not JSON/],
      ['cut.json', text.slice(0, 200), /truncated/],
      ['newer.json', text.replace('"version": 2', '"version": 3'), /newer Edgewise/],
      ['schema.json', text.replace('"title": "Second"', '"title": 7'), /export schema at conversations\.\d\.title/],
    ];
    for (const [name, content, reason] of cases) {
      writeFileSync(join(dir, name), content);
      const r = await edgewise(dataDir, ['import', join(dir, name)]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(/Nothing was imported/);
      expect(r.stderr, name).toMatch(reason);
    }
    // 2 GB on disk (sparse), refused by its size before it is read.
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 ** 3);
    const huge = await edgewise(dataDir, ['import', big]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/The file is 2048 MiB; Edgewise imports files up to 64 MiB/);

    expect((await edgewise(dataDir, ['import', join(dir, 'missing.json')])).stderr).toMatch(/No file at/);
    expect((await edgewise(dataDir, ['export', '--format', 'pdf'])).stderr).toMatch(/--format must be json or md/);
    expect((await edgewise(dataDir, ['export', '--conversation', 'nope'])).stderr).toMatch(/No conversation nope/);

    // A running app (here: this test process) holds the folder: import is refused with exit code 5.
    const lock = acquireDataLock(dataDir, 'a running Edgewise');
    try {
      const locked = await edgewise(dataDir, ['import', file]);
      expect(locked.code).toBe(5);
      expect(locked.stderr).toMatch(/Import… in the running app's sidebar/);
      expect((await edgewise(dataDir, ['export'])).code).toBe(0);
    } finally {
      lock.release();
    }

    const db = openDatabase(join(dataDir, 'edgewise.db'));
    expect(new ConversationStore(db).list()).toHaveLength(2);
    db.close();
    // 11 CLI processes one after another, each a Node start that strips and loads the CLI's TypeScript: about 2 s
    // each on a quiet 2-core machine, over 5 s each with the cores busy (the stress trial hit 60 s here).
  }, 240_000);
});
