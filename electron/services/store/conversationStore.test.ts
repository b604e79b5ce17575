import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { ConversationStore } from './conversationStore.ts';
import { migrations } from './migrations.ts';
import { tempDir } from '../../../tests/fixtures.ts';

describe('ConversationStore on a real SQLite file', () => {
  it('creates, searches, renames, deletes, and keeps messages in order across reopen', () => {
    const path = join(tempDir(), 'edgewise.db');
    let db = openDatabase(path);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(migrations.length);
    const store = new ConversationStore(db);
    const a = store.create('Dragons 100% real_story', null);
    store.create('Cooking', null);
    store.addMessage(a.id, 'user', 'hello', 'done');
    const answer = store.addMessage(a.id, 'assistant', '', 'streaming');
    store.saveText(answer.id, 'partial answer');
    expect(store.list('100%').map((c) => c.title)).toEqual(['Dragons 100% real_story']);
    expect(store.list('_story')).toHaveLength(1);
    expect(store.list('nothing')).toHaveLength(0);
    store.update(a.id, { title: 'Dragons' });
    db.close();

    db = openDatabase(path);
    const again = new ConversationStore(db);
    expect(again.markInterrupted()).toBe(1);
    const messages = again.messages(a.id);
    expect(messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['user', 'hello', 'done'],
      ['assistant', 'partial answer', 'interrupted'],
    ]);
    expect(again.get(a.id).title).toBe('Dragons');
    // A new answer to the first message is a second version beside the interrupted one, which is kept.
    again.addMessage(a.id, 'assistant', 'second answer', 'done', messages[0]!.id);
    expect(again.messages(a.id).map((m) => m.text)).toEqual(['hello', 'second answer']);
    expect(again.allMessages(a.id)).toHaveLength(3);
    again.delete(a.id);
    expect(() => again.get(a.id)).toThrow(/No conversation/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
  });

  it('refuses a database written by a newer schema instead of damaging it', () => {
    const path = join(tempDir(), 'edgewise.db');
    const db = openDatabase(path);
    db.exec(`PRAGMA user_version = ${migrations.length + 5}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer Edgewise/);
  });
});
