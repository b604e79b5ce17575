import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase, migrate } from './database.ts';
import { ConversationStore } from './conversationStore.ts';
import { SearchStore } from './searchStore.ts';
import { migrations } from './migrations.ts';
import { ftsQuery } from '../../../shared/search.ts';
import { tempDir } from '../../../tests/fixtures.ts';

const marked = (hit: { snippet: { text: string; mark: boolean }[] }) =>
  hit.snippet.filter((p) => p.mark).map((p) => p.text);

describe('full-text search on a real SQLite file', () => {
  it('finds messages and titles, marks the words, and follows every write', () => {
    const db = openDatabase(join(tempDir(), 'edgewise.db'));
    const store = new ConversationStore(db);
    const search = new SearchStore(db);
    const a = store.create('Dragon lore', null);
    store.addMessage(a.id, 'user', 'Where do dragons sleep?', 'done');
    const answer = store.addMessage(a.id, 'assistant', '', 'streaming');
    store.saveText(answer.id, 'In caves, under the mountain');
    const hits = search.search('mountain');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversationId: a.id, messageId: answer.id, role: 'assistant' });
    expect(marked(hits[0]!)).toEqual(['mountain']);
    expect(search.search('lore')[0]).toMatchObject({ messageId: null, conversationTitle: 'Dragon lore' });
    // Prefix on the last word, diacritics folded.
    expect(search.search('drag').length).toBe(2);
    expect(search.search('cavés')).toHaveLength(1);

    store.update(a.id, { title: 'Renamed' });
    expect(search.search('lore')).toHaveLength(0);
    expect(search.search('renamed')).toHaveLength(1);
    // A regenerated answer beside it; deleting the first version takes it out of the index.
    store.addMessage(a.id, 'assistant', 'In nests', 'done', answer.parentId);
    store.deleteBranch(a.id, answer.id);
    expect(search.search('mountain')).toHaveLength(0);
    store.delete(a.id);
    expect(search.search('dragons')).toHaveLength(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM search_rows').get() as { n: number }).n).toBe(0);
  });

  it('takes FTS5 syntax characters as text and never errors', () => {
    const db = openDatabase(join(tempDir(), 'edgewise.db'));
    const store = new ConversationStore(db);
    const search = new SearchStore(db);
    const a = store.create('Syntax', null);
    store.addMessage(a.id, 'user', 'the NEAR operator and a "quoted" word-with-dashes', 'done');
    for (const q of [
      '"',
      '"quoted',
      '*',
      'NEAR(',
      'NEAR',
      '-dashes',
      'a OR',
      'AND',
      '(',
      ')',
      ':',
      '^',
      'col:word',
      '""""',
      '   ',
    ]) {
      expect(() => search.search(q), q).not.toThrow();
    }
    expect(search.search('"quoted')).toHaveLength(1);
    expect(search.search('NEAR')).toHaveLength(1);
    expect(search.search('-dashes')).toHaveLength(1);
    expect(search.search('*')).toEqual([]);
    expect(ftsQuery('a "b" NEAR*')).toBe('"a" "b" "NEAR"*');
  });

  it('indexes the messages of a database made before search existed', () => {
    const path = join(tempDir(), 'edgewise.db');
    const old = new DatabaseSync(path);
    const before = migrations.findIndex((m) => m.includes('search_rows'));
    for (let v = 0; v < before; v++) old.exec(migrations[v]!);
    old.exec(`PRAGMA user_version = ${before}`);
    old.exec(`INSERT INTO conversations VALUES ('c1', 'Old title', NULL, '{}', 1, 1)`);
    old.exec(`INSERT INTO messages (id, conversation_id, seq, role, text, status, created_at, updated_at)
              VALUES ('m1', 'c1', 1, 'user', 'an ancient question about owls', 'done', 1, 1)`);
    migrate(old);
    const search = new SearchStore(old);
    expect(search.search('owls')[0]).toMatchObject({ conversationId: 'c1', messageId: 'm1' });
    expect(search.search('old title')[0]).toMatchObject({ messageId: null });
  });
});
