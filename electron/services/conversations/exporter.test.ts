import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../store/database.ts';
import { ConversationStore } from '../store/conversationStore.ts';
import { TransferStore } from '../store/transferStore.ts';
import { Exporter } from './exporter.ts';
import { defaultSettings } from '../../../shared/schemas.ts';
import { EXPORT_VERSION, MAX_IMPORT_BYTES, type ExportFile } from '../../../shared/exportFormat.ts';
import type { RouteTrace } from '../../../shared/router/schemas.ts';
import { tempDir } from '../../../tests/fixtures.ts';
import { errorMessage } from '../../../shared/errors.ts';

const stats = {
  modelFile: 'TinyStories-656K-Q8_0.gguf',
  quantization: 'Q8_0',
  backend: 'cpu' as const,
  ttftMs: 12.5,
  promptTokens: 7,
  prefillTokensPerSec: 900,
  outputTokens: 40,
  decodeTokensPerSec: 310.2,
  stopReason: 'eos' as const,
  contextShifted: false,
  meanConfidence: 0.8,
  energyJoules: null,
  powerUnavailable: 'no power sensor on this machine',
};
const trace: RouteTrace = {
  tier: 'device',
  rule: 'local first',
  reasons: ['short prompt'],
  signals: {
    complexity: 0.1,
    complexityLevel: 'low',
    complexityReasons: [],
    privacy: { detected: [] },
    battery: { percent: null, charging: null, low: false },
    connectivity: { online: false, reachable: ['device'] },
  },
  consent: 'not needed',
  answeredBy: { tier: 'device', name: 'This device', model: 'TinyStories' },
  events: [],
  latencyMs: 20,
  outputTokens: 40,
  estimatedCostUsd: null,
  energyJoules: null,
};

function seeded(): { db: DatabaseSync; store: ConversationStore; exporter: Exporter } {
  const db = openDatabase(join(tempDir(), 'edgewise.db'));
  const store = new ConversationStore(db);
  const exporter = new Exporter(new TransferStore(db), '0.1.0');
  const a = store.create('Dragons', 'demo-model', {
    ...defaultSettings,
    systemPrompt: 'Be brief.',
    sampling: { ...defaultSettings.sampling, temperature: 0.2, seed: 42 },
  });
  store.addMessage(a.id, 'user', 'Tell me about dragons', 'done');
  const answer = store.addMessage(a.id, 'assistant', '', 'streaming');
  store.finish(answer.id, 'Dragons breathe fire.', 'done', stats, null, trace);
  const b = store.create('Cooking "quoted" *', null);
  store.addMessage(b.id, 'user', 'Soup?', 'done');
  const failed = store.addMessage(b.id, 'assistant', '', 'streaming');
  store.finish(failed.id, 'half', 'error', null, 'The engine crashed');
  return { db, store, exporter };
}

/** The content of an export, ids and export time aside: a parent and the leaf are named by position. */
function content(json: string) {
  const file = JSON.parse(json) as ExportFile;
  return file.conversations
    .map(({ id: _, messages, leafId, ...c }) => {
      const at = (id: string | null) => (id === null ? null : messages.findIndex((m) => m.id === id));
      return {
        ...c,
        leaf: at(leafId),
        messages: messages.map(({ id: __, parentId, ...m }) => ({ ...m, parent: at(parentId) })),
      };
    })
    .sort((x, y) => x.title.localeCompare(y.title));
}

describe('export and import on a real SQLite file', () => {
  it('exports, imports into an empty database and exports again with the same content', () => {
    const { exporter } = seeded();
    const first = exporter.export(undefined, 'json');
    expect(first.conversations).toBe(2);
    const file = JSON.parse(first.content) as ExportFile;
    expect(file.version).toBe(EXPORT_VERSION);
    const dragons = file.conversations.find((c) => c.title === 'Dragons')!;
    expect(dragons.messages[1]!.stats).toMatchObject({ decodeTokensPerSec: 310.2, meanConfidence: 0.8 });
    expect(dragons.messages[1]!.trace).toEqual(trace);

    const other = openDatabase(join(tempDir(), 'edgewise.db'));
    const into = new Exporter(new TransferStore(other), '0.1.0');
    const result = into.import(first.content);
    expect(result).toMatchObject({ conversations: 2, messages: 4, remappedIds: 0 });
    expect(content(into.export(undefined, 'json').content)).toEqual(content(first.content));
  });

  it("keeps a reasoning answer's thoughts and thought tokens through export and import (no version of their own)", () => {
    const db = openDatabase(join(tempDir(), 'edgewise.db'));
    const store = new ConversationStore(db);
    const exporter = new Exporter(new TransferStore(db), '0.1.0');
    const c = store.create('Thinking', null);
    store.addMessage(c.id, 'user', 'Hello', 'done');
    const answer = store.addMessage(c.id, 'assistant', '', 'streaming');
    store.finish(
      answer.id,
      'Hi!',
      'done',
      { ...stats, thoughtTokens: 7 },
      null,
      null,
      'The user greets me.\nBe brief.',
    );
    const json = exporter.export(undefined, 'json').content;
    const file = JSON.parse(json) as ExportFile;
    expect(file.version).toBe(EXPORT_VERSION);
    expect(file.conversations[0]!.messages[1]).toMatchObject({
      thoughts: 'The user greets me.\nBe brief.',
      thoughtTokens: 7,
    });
    expect(file.conversations[0]!.messages[0]!.thoughts).toBeUndefined();

    const other = openDatabase(join(tempDir(), 'edgewise.db'));
    const into = new Exporter(new TransferStore(other), '0.1.0');
    into.import(json);
    const [imported] = new ConversationStore(other).list();
    expect(new ConversationStore(other).messages(imported!.id)[1]).toMatchObject({
      text: 'Hi!',
      thoughts: 'The user greets me.\nBe brief.',
    });
    expect(exporter.export(undefined, 'md').content).toContain(
      '> _Thinking_\n>\n> The user greets me.\n> Be brief.\n\nHi!',
    );
  });

  it('gives ids already present new ones instead of overwriting, and keeps the originals', () => {
    const { store, exporter } = seeded();
    const before = exporter.export(undefined, 'json').content;
    const result = exporter.import(before);
    expect(result.remappedIds).toBe(6);
    expect(store.list()).toHaveLength(4);
    const again = content(exporter.export(undefined, 'json').content);
    expect(again).toEqual([...content(before), ...content(before)].sort((x, y) => x.title.localeCompare(y.title)));
  });

  it('refuses bad files with a clear reason and imports nothing', () => {
    const { store, exporter } = seeded();
    const good = exporter.export(undefined, 'json').content;
    const refused = (text: string, bytes?: number) => {
      try {
        exporter.import(text, bytes);
      } catch (error) {
        return errorMessage(error);
      }
      throw new Error('accepted');
    };
    expect(refused('hello')).toMatch(/Nothing was imported.*not JSON/);
    expect(refused(good.slice(0, good.length / 2))).toMatch(/truncated/);
    expect(refused('[1,2]')).toMatch(/not an object/);
    expect(refused(JSON.stringify({ format: 'other' }))).toMatch(/"format"/);
    expect(refused(good.replace(`"version": ${EXPORT_VERSION}`, '"version": 99'))).toMatch(
      /newer Edgewise \(format version 99; this one reads up to 2\)/,
    );
    expect(refused(good, MAX_IMPORT_BYTES + 1)).toMatch(/imports files up to 64 MiB/);
    expect(refused(good.replace('"role": "user"', '"role": "robot"'))).toMatch(
      /schema at conversations\.\d\.messages\.0\.role/,
    );
    // A million (empty) messages: small enough in bytes, refused by count before any is checked.
    const huge = JSON.parse(good) as { conversations: { messages: unknown[] }[] };
    huge.conversations[0]!.messages = Array.from({ length: 1_000_000 }, () => ({}));
    expect(refused(JSON.stringify(huge))).toMatch(/1,000,00\d messages; one import takes up to 250,000/);
    // A file whose second conversation is bad leaves the first out too.
    const mixed = JSON.parse(good) as ExportFile;
    (mixed.conversations[1] as { title: unknown }).title = 5;
    expect(refused(JSON.stringify(mixed))).toMatch(/schema/);
    expect(store.list()).toHaveLength(2);
  });

  it('writes the chosen path as Markdown with a header of model, settings and date', () => {
    const { store, exporter } = seeded();
    const dragons = store.list().find((c) => c.title === 'Dragons')!;
    const md = exporter.export(dragons.id, 'md');
    expect(md.fileName).toBe('dragons.md');
    expect(md.content).toMatch(/^# Dragons\n/);
    expect(md.content).toContain('- Model: TinyStories-656K-Q8_0.gguf');
    expect(md.content).toContain('temperature 0.2');
    expect(md.content).toContain('seed 42');
    expect(md.content).toContain('- System prompt: Be brief.');
    expect(md.content).toMatch(/- Started: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(md.content.indexOf('Tell me about dragons')).toBeLessThan(md.content.indexOf('Dragons breathe fire.'));
    expect(() => exporter.export('no-such-id', 'md')).toThrow(/No conversation/);
  });
});
