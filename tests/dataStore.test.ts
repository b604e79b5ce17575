// Damages real database files the ways disks and crashes do, then starts on them and checks what
// comes back: the app opens, says what it found, keeps the damaged file, and every readable
// conversation survives.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDataStore } from '../electron/services/store/dataStore.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { createBackup, listBackups } from '../electron/services/store/backups.ts';
import { migrations } from '../electron/services/store/migrations.ts';
import { tempDir } from './fixtures.ts';

const CONVERSATIONS = 40;
const MESSAGES_EACH = 12;

/** A data folder with a real, closed (checkpointed) database of 40 conversations and 480 messages. */
async function seeded(): Promise<{ dir: string; path: string; ids: string[] }> {
  const dir = tempDir();
  const { db } = await openDataStore(dir, { maintain: true });
  const store = new ConversationStore(db);
  const ids: string[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const conversation = store.create(`conversation ${c}`, null);
    ids.push(conversation.id);
    for (let m = 0; m < MESSAGES_EACH; m++)
      store.addMessage(
        conversation.id,
        m % 2 ? 'assistant' : 'user',
        `c${c} m${m} ${'lorem ipsum '.repeat(20)}`,
        'done',
      );
  }
  db.close();
  return { dir, path: join(dir, 'edgewise.db'), ids };
}

function pageSize(path: string): number {
  return readFileSync(path).readUInt16BE(16);
}

/** The number of the first page whose bytes contain `marker`. */
function pageWith(path: string, marker: string): number {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(Buffer.from(marker));
  expect(at).toBeGreaterThan(0);
  return Math.floor(at / pageSize(path));
}

function overwrite(path: string, offset: number, bytes: Buffer) {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

async function reopen(dir: string) {
  const opened = await openDataStore(dir, { maintain: true });
  const store = new ConversationStore(opened.db);
  const conversations = store.list();
  const messages = conversations.reduce((n, c) => n + store.messages(c.id).length, 0);
  const check = opened.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
  opened.db.close();
  console.log(
    `damage: ${expect.getState().currentTestName?.split(' > ').at(-1)?.split(':')[0]}: found ${opened.health.found ?? 'nothing'}; ` +
      `${conversations.length}/${CONVERSATIONS} conversations, ${messages}/${CONVERSATIONS * MESSAGES_EACH} messages back` +
      `${opened.health.restoredFrom ? ' (from a backup + salvage)' : ''}; unreadable ${JSON.stringify(opened.health.unreadable)}`,
  );
  return { ...opened, conversations, messages, integrity: check.integrity_check };
}

function asideFiles(dir: string, label: string) {
  return readdirSync(dir).filter((f) => f.startsWith(`edgewise.db.${label}-`));
}

describe('a damaged database at start', () => {
  it('a sound database opens untouched, with a verified daily backup beside it', async () => {
    const { dir } = await seeded();
    expect(listBackups(dir)).toHaveLength(0); // a brand-new empty database is not worth a backup
    const result = await reopen(dir);
    expect(result.health.state).toBe('ok');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    const backups = listBackups(dir);
    expect(backups.length).toBeGreaterThanOrEqual(1);
    expect(backups[0]!.schemaVersion).toBe(migrations.length);
  });

  it('truncated: moved aside, and the conversations in the surviving pages come back', async () => {
    const { dir, path } = await seeded();
    const before = statSync(path).size;
    truncateSync(path, Math.floor(before / 2));
    const result = await reopen(dir);
    expect(result.health.found).toBe('truncated');
    expect(result.health.message).toMatch(/cut short/);
    expect(asideFiles(dir, 'damaged')).toHaveLength(1);
    expect(statSync(join(dir, asideFiles(dir, 'damaged')[0]!)).size).toBe(Math.floor(before / 2));
    expect(result.integrity).toBe('ok');
    // What lies in the first half of the file is readable; nothing is invented.
    expect(result.messages).toBeGreaterThan(0);
    expect(result.messages).toBeLessThan(CONVERSATIONS * MESSAGES_EACH);
  });

  it('a zeroed page: integrity_check fails, every other message is read back', async () => {
    const { dir, path } = await seeded();
    const page = pageWith(path, 'c20 m5 ');
    overwrite(path, page * pageSize(path), Buffer.alloc(pageSize(path)));
    const result = await reopen(dir);
    expect(result.health.found).toBe('integrity');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    // One 4 KB page holds a handful of these 250-byte messages; those are the only ones lost.
    expect(result.messages).toBeGreaterThanOrEqual(CONVERSATIONS * MESSAGES_EACH - 20);
    expect(result.messages).toBeLessThan(CONVERSATIONS * MESSAGES_EACH);
    expect(result.health.unreadable.messages).toBeGreaterThan(0);
  });

  it('flipped bytes in the header: not a database, repaired on a copy and read back whole', async () => {
    const { dir, path } = await seeded();
    overwrite(path, 0, Buffer.from('XQLite farmat 9\0'));
    overwrite(path, 16, Buffer.from([0x12, 0x34])); // an impossible page size
    const result = await reopen(dir);
    expect(result.health.found).toBe('not_a_database');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    expect(result.messages).toBe(CONVERSATIONS * MESSAGES_EACH);
    // The moved-aside file is byte for byte what was found.
    expect(
      readFileSync(join(dir, asideFiles(dir, 'damaged')[0]!))
        .subarray(0, 16)
        .toString('latin1'),
    ).toBe('XQLite farmat 9\0');
  });

  it('flipped bytes in a b-tree page: what the broken page held is lost, the rest survives', async () => {
    const { dir, path } = await seeded();
    const page = pageWith(path, 'c30 m2 ');
    const start = page * pageSize(path);
    // The page header: its type, first freeblock, cell count and cell-content start.
    overwrite(path, start, Buffer.from([0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const result = await reopen(dir);
    expect(result.health.found).toBe('integrity');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    expect(result.messages).toBeGreaterThanOrEqual(CONVERSATIONS * MESSAGES_EACH - 20);
    expect(result.integrity).toBe('ok');
  });

  it('the WAL deleted after a crash mid-transaction: the checkpointed data opens, nothing half-written', async () => {
    const { dir, path, ids } = await seeded();
    // A real process writes committed rows to the WAL, opens a transaction, and is killed inside it.
    const script = `
      const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(${JSON.stringify(path)});
      db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0');
      db.prepare("UPDATE conversations SET title = 'committed, in the WAL only' WHERE id = ?").run(${JSON.stringify(ids[0])});
      db.exec('BEGIN');
      db.prepare("UPDATE conversations SET title = 'never committed' WHERE id = ?").run(${JSON.stringify(ids[1])});
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['-e', script]);
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(`${path}-wal`)).toBe(true);
    rmSync(`${path}-wal`);
    const result = await reopen(dir);
    expect(result.health.state).toBe('ok');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    expect(result.messages).toBe(CONVERSATIONS * MESSAGES_EACH);
    const titles = result.conversations.map((c) => c.title);
    expect(titles).not.toContain('never committed');
  });

  it('a newer schema: kept aside as .newer, and the rows this version understands come across', async () => {
    const { dir, path } = await seeded();
    const db = new DatabaseSync(path);
    db.exec(`ALTER TABLE messages ADD COLUMN from_the_future TEXT; PRAGMA user_version = ${migrations.length + 5}`);
    db.close();
    const result = await reopen(dir);
    expect(result.health.found).toBe('newer_schema');
    expect(result.health.message).toMatch(/newer version of Edgewise/);
    expect(asideFiles(dir, 'newer')).toHaveLength(1);
    expect(result.messages).toBe(CONVERSATIONS * MESSAGES_EACH);
  });

  it('a broken foreign key: the orphaned messages are kept in a re-created conversation', async () => {
    const { dir, path, ids } = await seeded();
    const db = new DatabaseSync(path);
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare('DELETE FROM conversations WHERE id = ?').run(ids[3]!);
    db.close();
    const result = await reopen(dir);
    expect(result.health.found).toBe('foreign_keys');
    expect(result.conversations).toHaveLength(CONVERSATIONS);
    expect(result.conversations.find((c) => c.id === ids[3])?.title).toBe('Recovered conversation');
    expect(result.messages).toBe(CONVERSATIONS * MESSAGES_EACH);
  });

  it('not a database at all, with a backup: starts from the newest backup', async () => {
    const { dir, path } = await seeded();
    const { db } = await openDataStore(dir, { maintain: true });
    db.close();
    const backups = listBackups(dir);
    expect(backups).toHaveLength(1);
    expect(backups[0]!.conversations).toBe(CONVERSATIONS);
    writeFileSync(path, 'this is a text file where the database was\n'.repeat(200));
    const result = await reopen(dir);
    expect(result.health.found).toBe('not_a_database');
    expect(result.health.restoredFrom).toBe(backups[0]!.id);
    expect(result.conversations).toHaveLength(CONVERSATIONS);
  });

  it('a zeroed page with an older backup: the backup plus what is readable and newer', async () => {
    const { dir, path } = await seeded();
    // Work done after the last backup must not be lost to the restore.
    const { db } = await openDataStore(dir, { maintain: true });
    const store = new ConversationStore(db);
    const late = store.create('written after the backup', null);
    store.addMessage(late.id, 'user', 'late message', 'done');
    db.close();
    overwrite(path, pageWith(path, 'c10 m3 ') * pageSize(path), Buffer.alloc(pageSize(path)));
    const result = await reopen(dir);
    expect(result.health.found).toBe('integrity');
    expect(result.health.restoredFrom).not.toBeNull();
    expect(result.conversations.map((c) => c.title)).toContain('written after the backup');
    // The backup holds the messages on the zeroed page, so nothing at all is lost.
    expect(result.messages).toBe(CONVERSATIONS * MESSAGES_EACH + 1);
  });
});

/** Adds two documents (pages, chunks with embeddings), an MCP server and tool settings to a seeded database. */
function addDocumentsAndTools(path: string, conversations: string[]) {
  const db = new DatabaseSync(path);
  const vector = Buffer.from(new Float32Array([0.25, -1.5, 3.125, 0]).buffer);
  conversations.forEach((conversationId, i) => {
    const id = `doc-${i}`;
    db.prepare(
      `INSERT INTO documents (id, conversation_id, name, kind, path, bytes, mtime_ms, sha256, pages, tokens, token_basis, created_at)
       VALUES (?, ?, ?, 'text', NULL, 100, NULL, 'abc', 1, 40, 'estimated', 1)`,
    ).run(id, conversationId, `notes-${i}.md`);
    db.prepare('INSERT INTO document_pages (document_id, page, text) VALUES (?, 1, ?)').run(id, `page of doc ${i}`);
    for (let seq = 0; seq < 3; seq++)
      db.prepare(
        `INSERT INTO document_chunks (document_id, seq, page, start, end, tokens, text, embedding) VALUES (?, ?, 1, 0, 10, 5, ?, ?)`,
      ).run(id, seq, `aardvark${i} chunk ${seq}`, vector);
    db.prepare('INSERT INTO conversation_tools (conversation_id, server, tool, enabled) VALUES (?, ?, ?, 1)').run(
      conversationId,
      'built-in',
      'calculate',
    );
  });
  db.prepare(`INSERT INTO mcp_servers (id, name, config, created_at) VALUES ('mcp-1', 'files', ?, 1)`).run(
    JSON.stringify({ transport: 'stdio', command: 'node', args: ['server.js'], env: {} }),
  );
  db.close();
  return vector;
}

function documentsAndTools(dir: string) {
  const db = new DatabaseSync(join(dir, 'edgewise.db'));
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const result = {
    documents: count('documents'),
    pages: count('document_pages'),
    chunks: count('document_chunks'),
    servers: count('mcp_servers'),
    tools: count('conversation_tools'),
    // The chunks' bm25 index answers again: rebuilt by the triggers as the chunks were copied in.
    found: (
      db.prepare(`SELECT COUNT(*) AS n FROM document_chunks_fts WHERE document_chunks_fts MATCH 'aardvark1'`).get() as {
        n: number;
      }
    ).n,
    embedding: Buffer.from(
      (db.prepare('SELECT embedding FROM document_chunks ORDER BY id LIMIT 1').get() as { embedding: Uint8Array })
        .embedding,
    ),
    owners: db
      .prepare('SELECT conversation_id AS c FROM documents ORDER BY id')
      .all()
      .map((r) => (r as { c: string }).c),
  };
  db.close();
  return result;
}

describe('salvage keeps documents and tools', () => {
  it('a header that is not a database: documents, pages, chunks with embeddings, MCP servers and tool settings come back', async () => {
    const { dir, path, ids } = await seeded();
    const vector = addDocumentsAndTools(path, [ids[0]!, ids[1]!]);
    overwrite(path, 0, Buffer.from('XQLite farmat 9\0'));
    const result = await reopen(dir);
    expect(result.health.found).toBe('not_a_database');
    expect(documentsAndTools(dir)).toEqual({
      documents: 2,
      pages: 2,
      chunks: 6,
      servers: 1,
      tools: 2,
      found: 3,
      embedding: vector,
      owners: [ids[0], ids[1]],
    });
  });

  it('a document whose conversation row was lost is kept in a re-created conversation', async () => {
    const { dir, path, ids } = await seeded();
    addDocumentsAndTools(path, [ids[2]!, ids[3]!]);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare('DELETE FROM conversations WHERE id = ?').run(ids[3]!);
    db.close();
    const result = await reopen(dir);
    expect(result.health.found).toBe('foreign_keys');
    expect(result.conversations.find((c) => c.id === ids[3])?.title).toBe('Recovered conversation');
    expect(documentsAndTools(dir)).toMatchObject({
      documents: 2,
      pages: 2,
      chunks: 6,
      tools: 2,
      owners: [ids[2], ids[3]],
    });
  });
});

describe('backups', () => {
  it('keeps the newest seven, each verified, and made before a migration', async () => {
    const { dir } = await seeded();
    const { db } = await openDataStore(dir, { maintain: true });
    for (let i = 0; i < 9; i++) await createBackup(db, dir, 'manual');
    // Back to the schema before the last migration (the MCP tables), which then runs again on the next start.
    db.exec(`DROP TABLE conversation_tools; DROP TABLE mcp_servers; PRAGMA user_version = ${migrations.length - 1}`);
    db.close();
    const before = listBackups(dir).length;
    expect(before).toBe(7);
    const again = await openDataStore(dir, { maintain: true });
    again.db.close();
    const after = listBackups(dir);
    expect(after).toHaveLength(7);
    expect(after[0]!.reason).toBe('migration');
    expect(after[0]!.schemaVersion).toBe(migrations.length - 1);
    expect(after[0]!.conversations).toBe(CONVERSATIONS);
  });
});
