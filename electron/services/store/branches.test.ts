// Branches on a real SQLite file: the migration that turns every existing conversation into one path,
// versions side by side, the chosen path across a reopen, deleting a branch, and search on every branch.
import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { migrate, openDatabase } from './database.ts';
import { migrations } from './migrations.ts';
import { ConversationStore } from './conversationStore.ts';
import { SearchStore } from './searchStore.ts';
import { tempDir } from '../../../tests/fixtures.ts';

const texts = (store: ConversationStore, id: string) => store.messages(id).map((m) => m.text);

describe('the branches migration', () => {
  it('keeps every conversation of the schema before it as a single path, in its order', () => {
    const path = join(tempDir(), 'edgewise.db');
    const old = new DatabaseSync(path);
    const before = migrations.findIndex((m) => m.includes('parent_id'));
    // The branches migration itself (later ones, such as the thoughts column, run after it on open).
    expect(migrations[before]).toContain('ALTER TABLE messages ADD COLUMN parent_id');
    for (let v = 0; v < before; v++) old.exec(migrations[v]!);
    old.exec(`PRAGMA user_version = ${before}`);
    old.exec(`INSERT INTO conversations (id, title, model_id, settings, created_at, updated_at)
              VALUES ('c1', 'Owls', NULL, '{}', 1, 5), ('c2', 'Empty', NULL, '{}', 2, 2), ('c3', 'Bats', NULL, '{}', 3, 9)`);
    const insert =
      old.prepare(`INSERT INTO messages (id, conversation_id, seq, role, text, status, stats, created_at, updated_at)
                                VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?)`);
    // Inserted out of order: seq, not rowid, is the order the user saw.
    insert.run('m3', 'c1', 3, 'user', 'and at dawn?', null, 30, 30);
    insert.run('m1', 'c1', 1, 'user', 'why do owls hoot', null, 10, 10);
    insert.run('m2', 'c1', 2, 'assistant', 'to call each other', '{"not":"stats"}', 20, 20);
    insert.run('m4', 'c1', 4, 'assistant', 'less often', null, 40, 40);
    insert.run('b1', 'c3', 1, 'user', 'bats echolocate', null, 50, 50);
    old.close();

    const db = openDatabase(path);
    const store = new ConversationStore(db);
    expect(db.prepare('SELECT id, parent_id FROM messages ORDER BY conversation_id, seq').all()).toEqual([
      { id: 'm1', parent_id: null },
      { id: 'm2', parent_id: 'm1' },
      { id: 'm3', parent_id: 'm2' },
      { id: 'm4', parent_id: 'm3' },
      { id: 'b1', parent_id: null },
    ]);
    expect(texts(store, 'c1')).toEqual(['why do owls hoot', 'to call each other', 'and at dawn?', 'less often']);
    expect(store.branchView('c1')).toEqual({ leafId: 'm4', siblings: {} });
    expect(store.branchView('c2')).toEqual({ leafId: null, siblings: {} });
    expect(texts(store, 'c3')).toEqual(['bats echolocate']);
    // Nothing else moved: titles, times, and search over the old rows.
    expect(store.get('c1')).toMatchObject({ title: 'Owls', createdAt: 1, updatedAt: 5 });
    expect(new SearchStore(db).search('dawn')[0]).toMatchObject({ conversationId: 'c1', messageId: 'm3' });
    // The next message continues the old path.
    const next = store.addMessage('c1', 'user', 'thanks', 'done');
    expect(next.parentId).toBe('m4');
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
  });
});

describe('branches in the conversation store', () => {
  /** u1 → a1 | a2 (regenerated), then u2 after a2; and u1' (an edit of u1) → a3. */
  function tree() {
    const path = join(tempDir(), 'edgewise.db');
    const db = openDatabase(path);
    const store = new ConversationStore(db);
    const c = store.create('Tree', null);
    const u1 = store.addMessage(c.id, 'user', 'first question', 'done');
    const a1 = store.addMessage(c.id, 'assistant', 'first answer', 'done');
    const a2 = store.addMessage(c.id, 'assistant', 'regenerated answer', 'done', u1.id);
    const u2 = store.addMessage(c.id, 'user', 'follow-up about walruses', 'done');
    const u1e = store.addMessage(c.id, 'user', 'edited question', 'done', null);
    const a3 = store.addMessage(c.id, 'assistant', 'answer to the edit', 'done');
    return { path, db, store, c, u1, a1, a2, u2, u1e, a3 };
  }

  it('keeps every version, shows the chosen path, and remembers it across a reopen', () => {
    const { path, db, store, c, u1, a1, a2, u2, u1e, a3 } = tree();
    expect(a2.parentId).toBe(u1.id);
    expect(u2.parentId).toBe(a2.id);
    expect(texts(store, c.id)).toEqual(['edited question', 'answer to the edit']);
    expect(store.allMessages(c.id)).toHaveLength(6);
    expect(store.branchView(c.id)).toEqual({
      leafId: a3.id,
      siblings: {
        [u1.id]: [u1.id, u1e.id],
        [u1e.id]: [u1.id, u1e.id],
        [a1.id]: [a1.id, a2.id],
        [a2.id]: [a1.id, a2.id],
      },
    });

    // Back to the first question: the answer last shown below it (a2 → u2) comes back with it.
    store.showBranch(c.id, u1.id);
    expect(texts(store, c.id)).toEqual(['first question', 'regenerated answer', 'follow-up about walruses']);
    store.showBranch(c.id, a1.id);
    expect(texts(store, c.id)).toEqual(['first question', 'first answer']);
    // Away to the edited question and back: the first answer, chosen last time, not the newer one.
    store.showBranch(c.id, u1e.id);
    expect(texts(store, c.id)).toEqual(['edited question', 'answer to the edit']);
    store.showBranch(c.id, u1.id);
    expect(texts(store, c.id)).toEqual(['first question', 'first answer']);
    // A message already on the path leaves the choices below it alone.
    store.showBranch(c.id, u1.id);
    expect(texts(store, c.id)).toEqual(['first question', 'first answer']);
    db.close();

    const again = new ConversationStore(openDatabase(path));
    expect(texts(again, c.id)).toEqual(['first question', 'first answer']);
    expect(again.branchView(c.id).siblings[a1.id]).toEqual([a1.id, a2.id]);
    expect(() => again.showBranch(c.id, 'no-such-message')).toThrow(/No message/);
    const other = again.create('Other', null);
    expect(() => again.showBranch(other.id, a1.id)).toThrow(/not in this conversation/);
  });

  it('finds messages on every branch', () => {
    const { db, store, c, u2 } = tree();
    expect(texts(store, c.id)).not.toContain('follow-up about walruses');
    expect(new SearchStore(db).search('walruses')).toMatchObject([{ conversationId: c.id, messageId: u2.id }]);
    expect(store.onPath(c.id, u2.id)).toBe(false);
  });

  it('deletes a branch with what followed it, shows a sibling in its place, and loses nothing else', () => {
    const { db, store, c, u1, a1, a2, u2, u1e, a3 } = tree();
    store.showBranch(c.id, u2.id);
    // Deleting the version shown: the next one (or the one before) is shown instead.
    expect(store.deleteBranch(c.id, a2.id)).toEqual({ deleted: 2, shownId: a1.id });
    expect(texts(store, c.id)).toEqual(['first question', 'first answer']);
    expect(() => store.message(u2.id)).toThrow(/No message/);
    expect(new SearchStore(db).search('walruses')).toEqual([]);
    // a1 is now the only version: deleting it is refused, and nothing changes.
    expect(() => store.deleteBranch(c.id, a1.id)).toThrow(/only version of this message.*nothing was deleted/);
    expect(store.allMessages(c.id)).toHaveLength(4);
    // Deleting a version not shown leaves the path alone.
    expect(store.deleteBranch(c.id, u1e.id)).toEqual({ deleted: 2, shownId: null });
    expect(texts(store, c.id)).toEqual(['first question', 'first answer']);
    expect(() => store.message(a3.id)).toThrow(/No message/);
    expect(store.branchView(c.id)).toEqual({ leafId: a1.id, siblings: {} });
    expect(store.message(u1.id).text).toBe('first question');
  });

  it('deletes a long branch without hitting a recursion limit', () => {
    const { db, store, c, u1 } = tree();
    store.showBranch(c.id, u1.id);
    // Past SQLite's trigger depth (1000), which a foreign-key cascade per message would have hit.
    let parent = store.leafOf(c.id);
    const insert =
      db.prepare(`INSERT INTO messages (id, conversation_id, parent_id, seq, role, text, status, created_at, updated_at)
                               VALUES (?, ?, ?, ?, ?, ?, 'done', 0, 0)`);
    db.exec('BEGIN');
    for (let i = 0; i < 1500; i++) {
      insert.run(`deep${i}`, c.id, parent, 100 + i, i % 2 ? 'assistant' : 'user', `turn ${i}`);
      parent = `deep${i}`;
    }
    db.exec('COMMIT');
    store.showBranch(c.id, 'deep1499');
    expect(store.messages(c.id)).toHaveLength(3 + 1500);
    const shown = store.branchView(c.id).siblings[u1.id]!;
    expect(store.deleteBranch(c.id, u1.id)).toEqual({ deleted: 4 + 1500, shownId: shown[1] });
    expect(texts(store, c.id)).toEqual(['edited question', 'answer to the edit']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM search_rows').get() as { n: number }).n).toBe(1 + 2);
  });
});
