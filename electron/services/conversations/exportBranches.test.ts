// Export format version 2 keeps every branch and the chosen path; version 1 files still import, as one path.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../store/database.ts';
import { ConversationStore } from '../store/conversationStore.ts';
import { TransferStore } from '../store/transferStore.ts';
import { Exporter } from './exporter.ts';
import { defaultSettings } from '../../../shared/schemas.ts';
import type { ExportFile } from '../../../shared/exportFormat.ts';
import { tempDir } from '../../../tests/fixtures.ts';
import { errorMessage } from '../../../shared/errors.ts';

function open() {
  const db = openDatabase(join(tempDir(), 'edgewise.db'));
  const store = new ConversationStore(db);
  return { db, store, exporter: new Exporter(new TransferStore(db), '0.1.0') };
}

/** A regenerated answer and an edited question, with the first question's older answer chosen. */
function branched() {
  const { db, store, exporter } = open();
  const c = store.create('Branches', null);
  const u1 = store.addMessage(c.id, 'user', 'question one', 'done');
  const a1 = store.addMessage(c.id, 'assistant', 'answer one', 'done');
  store.addMessage(c.id, 'assistant', 'answer two', 'done', u1.id);
  store.addMessage(c.id, 'user', 'question two', 'done');
  store.addMessage(c.id, 'user', 'question one, edited', 'done', null);
  store.showBranch(c.id, a1.id);
  return { db, store, exporter, c, u1, a1 };
}

const refused = (exporter: Exporter, text: string) => {
  try {
    exporter.import(text);
  } catch (error) {
    return errorMessage(error);
  }
  throw new Error('accepted');
};

describe('export format version 2: branches', () => {
  it('exports every version and the chosen path, and imports them back exactly (export, import, export)', () => {
    const { exporter, c, a1 } = branched();
    const first = exporter.export(undefined, 'json').content;
    const file = JSON.parse(first) as ExportFile;
    expect(file.version).toBe(2);
    const [conversation] = file.conversations;
    expect(conversation!.leafId).toBe(a1.id);
    expect(
      conversation!.messages.map((m) => [
        m.text,
        m.parentId && conversation!.messages.find((p) => p.id === m.parentId)!.text,
      ]),
    ).toEqual([
      ['question one', null],
      ['answer one', 'question one'],
      ['answer two', 'question one'],
      ['question two', 'answer two'],
      ['question one, edited', null],
    ]);

    const into = open();
    expect(into.exporter.import(first)).toMatchObject({ conversations: 1, messages: 5, remappedIds: 0 });
    expect(into.exporter.export(undefined, 'json').content.replace(/"exportedAt": \d+/, '')).toEqual(
      first.replace(/"exportedAt": \d+/, ''),
    );
    expect(into.store.messages(c.id).map((m) => m.text)).toEqual(['question one', 'answer one']);
    expect(into.store.branchView(c.id).siblings[a1.id]).toHaveLength(2);
  });

  it('imports into the database it came from with new ids, the tree and chosen path following them', () => {
    const { store, exporter } = branched();
    const result = exporter.import(exporter.export(undefined, 'json').content);
    expect(result.remappedIds).toBe(6);
    const copy = result.ids[0]!;
    expect(store.messages(copy).map((m) => m.text)).toEqual(['question one', 'answer one']);
    expect(Object.keys(store.branchView(copy).siblings)).toHaveLength(4);
    expect(store.allMessages(copy).map((m) => m.parentId === null)).toEqual([true, false, false, false, true]);
  });

  it('writes the chosen path only as Markdown and says how much is on other branches', () => {
    const { exporter, c } = branched();
    const md = exporter.export(c.id, 'md').content;
    expect(md).toContain('question one');
    expect(md).toContain('answer one');
    expect(md).not.toContain('answer two');
    expect(md).not.toContain('question one, edited');
    expect(md).toContain('3 message(s) on other branches are in the JSON export');
  });

  it('refuses a tree that does not hold together, with the reason, and imports nothing', () => {
    const { store, exporter } = branched();
    const good = JSON.parse(exporter.export(undefined, 'json').content) as ExportFile;
    const variant = (change: (f: ExportFile) => void) => {
      const f = structuredClone(good);
      change(f);
      return JSON.stringify(f);
    };
    const messages = (f: ExportFile) => f.conversations[0]!.messages;
    expect(
      refused(
        exporter,
        variant((f) => (messages(f)[1]!.parentId = 'nowhere')),
      ),
    ).toMatch(/Nothing was imported.*messages\.1 follows "nowhere", which is not an earlier message/);
    expect(
      refused(
        exporter,
        variant((f) => (messages(f)[0]!.parentId = messages(f)[3]!.id)),
      ),
    ).toMatch(/not an earlier message/);
    expect(
      refused(
        exporter,
        variant((f) => (f.conversations[0]!.leafId = 'gone')),
      ),
    ).toMatch(/chosen path \(leafId "gone"\) that is not one of its messages/);
    expect(
      refused(
        exporter,
        variant((f) => (messages(f)[2]!.id = messages(f)[1]!.id)),
      ),
    ).toMatch(/repeats message id .* inside one conversation/);
    expect(
      refused(
        exporter,
        variant((f) => delete (f.conversations[0] as { leafId?: unknown }).leafId),
      ),
    ).toMatch(/schema at conversations\.0\.leafId/);
    expect(store.list()).toHaveLength(1);
  });
});

describe('export format version 1 files', () => {
  const v1 = {
    format: 'edgewise.conversations',
    version: 1,
    exportedAt: 1_700_000_100_000,
    app: { name: 'Edgewise', version: '0.1.0' },
    conversations: [
      {
        id: 'old',
        title: 'Written by version 1',
        modelId: null,
        settings: defaultSettings,
        createdAt: 1,
        updatedAt: 2,
        messages: ['hi', 'hello', 'hi', 'bye'].map((text, i) => ({
          // A repeated id inside the file, as a hand-merged version 1 file might hold: given a new one.
          id: i === 2 ? 'm0' : `m${i}`,
          role: i % 2 ? 'assistant' : 'user',
          text,
          status: 'done',
          stats: null,
          error: null,
          trace: null,
          createdAt: 10 + i,
        })),
      },
    ],
  };

  it('imports as a single path in the file order, and exports it again as version 2', () => {
    const { store, exporter } = open();
    expect(exporter.import(JSON.stringify(v1))).toMatchObject({ conversations: 1, messages: 4, remappedIds: 1 });
    expect(store.messages('old').map((m) => m.text)).toEqual(['hi', 'hello', 'hi', 'bye']);
    expect(store.branchView('old').siblings).toEqual({});
    const again = JSON.parse(exporter.export('old', 'json').content) as ExportFile;
    expect(again.version).toBe(2);
    const ids = again.conversations[0]!.messages.map((m) => m.id);
    expect(again.conversations[0]!.messages.map((m) => m.parentId)).toEqual([null, ids[0], ids[1], ids[2]]);
    expect(again.conversations[0]!.leafId).toBe(ids[3]);
  });
});
