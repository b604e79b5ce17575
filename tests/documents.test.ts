// Attached documents on real parts: PDFs and .docx files made here, read by unpdf and mammoth, chunked and
// indexed in a real SQLite file (FTS5, bm25), re-indexed when the file changes, removed with the
// conversation; and every kind of bad file refused with a message that names it and says why.
import { describe, expect, it } from 'vitest';
import { mkdirSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../electron/services/store/database.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { DocumentStore } from '../electron/services/store/documentStore.ts';
import { DocumentService, searchDocuments } from '../electron/services/documents/documentService.ts';
import { documentContext } from '../electron/services/documents/documentContext.ts';
import { chunkPages } from '../electron/services/documents/chunker.ts';
import { reciprocalRankFusion } from '../electron/services/documents/retrieval.ts';
import { DOCUMENT_LIMITS } from '../shared/documents.ts';
import { makeDocx, makeDocxBomb, makePdf } from './documentFiles.ts';
import { tempDir } from './fixtures.ts';

function setUp(): { db: DatabaseSync; conversations: ConversationStore; documents: DocumentService; dir: string } {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'edgewise.db'));
  const conversations = new ConversationStore(db);
  const documents = new DocumentService({ store: new DocumentStore(db), conversations });
  return { db, conversations, documents, dir };
}

/** Lines of a page that speak of one topic only (each short enough to stay on the page). */
const filler = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} talks about ${topic} and nothing else of note.`);

describe('attaching documents', () => {
  it('reads a PDF page by page, keeps page numbers, and opens a passage on its page', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('pdf', null);
    const path = join(dir, 'report.pdf');
    writeFileSync(
      path,
      makePdf([
        ['Quarterly report.', 'Revenue grew in the north.'],
        ['The lighthouse keeper counted 4,211 gulls in March.'],
        ['Appendix: methods.'],
      ]),
    );
    const { attached, rejected } = await documents.attachPaths(c.id, [path]);
    expect(rejected).toEqual([]);
    expect(attached[0]).toMatchObject({ name: 'report.pdf', kind: 'pdf', pages: 3, tokenBasis: 'estimate' });
    expect(attached[0]!.tokens).toBeGreaterThan(10);
    const [hit] = await searchDocuments(documents, c.id, 'how many gulls did the lighthouse keeper count', 3);
    expect(hit).toMatchObject({ name: 'report.pdf', page: 2, bm25Rank: 1, vectorRank: null });
    expect(hit!.bm25).toBeLessThan(0); // SQLite's bm25(): more negative is better
    const passage = documents.passage(hit!.documentId, null, hit!.chunkId);
    expect(passage).toMatchObject({ page: 2, name: 'report.pdf' });
    expect(passage.text).toContain('4,211 gulls');
  });

  it('reads a .docx made with JSZip, and text, Markdown, code, CSV and JSON files from a folder', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('folder', null);
    const folder = join(dir, 'notes');
    mkdirSync(join(folder, 'src'), { recursive: true });
    mkdirSync(join(folder, '.git'));
    writeFileSync(join(folder, 'minutes.docx'), await makeDocx(['Minutes of the otter committee.', 'Otters: 12.']));
    writeFileSync(join(folder, 'readme.md'), '# Notes\n\nThe **kettle** is in the attic.');
    writeFileSync(join(folder, 'src', 'main.py'), 'def brew():\n    return "tea"\n');
    writeFileSync(join(folder, 'prices.csv'), 'item,price\nkettle,12\n');
    writeFileSync(join(folder, 'config.json'), '{"teapot": true}');
    writeFileSync(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main');
    writeFileSync(join(folder, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    const { attached, rejected } = await documents.attachPaths(c.id, [folder]);
    expect(rejected).toEqual([]);
    expect(attached.map((d) => [d.name, d.kind]).sort()).toEqual(
      [
        ['config.json', 'json'],
        ['minutes.docx', 'docx'],
        ['prices.csv', 'csv'],
        ['readme.md', 'markdown'],
        [join('src', 'main.py'), 'code'],
      ].sort(),
    );
    const [otters] = await documents.search(c.id, 'otter committee', 1);
    expect(otters!.name).toBe('minutes.docx');
  });

  it('refuses bad files with a message naming the file and the reason, and keeps the good ones', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('bad', null);
    const files: Record<string, Buffer> = {
      'locked.pdf': makePdf([['secret numbers']], { encrypted: true }),
      'scan.pdf': makePdf([['a', 'b', 'c']], { scanned: true }),
      'broken.pdf': Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref'),
      'bomb.docx': makeDocxBomb(DOCUMENT_LIMITS.docxUnpackedBytes + 1024 * 1024),
      'notes.txt': Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'fake.docx': Buffer.from('this is not a zip'),
      'good.md': Buffer.from('A fine note about herons.'),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const huge = join(dir, 'huge.pdf');
    writeFileSync(huge, '%PDF-1.4\n');
    truncateSync(huge, 500 * 1024 * 1024); // sparse: refused from its size, never read
    const { attached, rejected } = await documents.attachPaths(c.id, [
      ...Object.keys(files).map((n) => join(dir, n)),
      huge,
    ]);
    expect(attached.map((d) => d.name)).toEqual(['good.md']);
    const why = Object.fromEntries(rejected.map((r) => [r.name, r.reason]));
    expect(why['locked.pdf']).toMatch(/^locked\.pdf: this PDF is encrypted/);
    expect(why['scan.pdf']).toMatch(/no text layer \(a scanned document\?\)/);
    expect(why['broken.pdf']).toMatch(/^broken\.pdf: this PDF cannot be read/);
    expect(why['bomb.docx']).toMatch(/would unpack to \d+ MB \(a zip bomb\?\)/);
    expect(why['notes.txt']).toMatch(/binary file/);
    expect(why['latin1.txt']).toMatch(/not UTF-8 text/);
    expect(why['fake.docx']).toMatch(/not a valid \.docx file/);
    expect(why['huge.pdf']).toMatch(/the file is 524\.3 MB; at most 25 MiB/);
    expect(documents.list(c.id).map((d) => d.name)).toEqual(['good.md']);
  });

  it('refuses a folder of 10,000 files quickly, attaching none of it', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('many', null);
    const folder = join(dir, 'many');
    mkdirSync(folder);
    for (let i = 0; i < 10_000; i++) writeFileSync(join(folder, `n${i}.txt`), `note ${i}`);
    const started = performance.now();
    const { attached, rejected } = await documents.attachPaths(c.id, [folder]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(attached).toEqual([]);
    expect(rejected[0]!.reason).toMatch(/more than 1,000 documents; attach a smaller folder \(nothing from this one/);
    expect(documents.list(c.id)).toEqual([]);
  });

  it('re-indexes a file that changed on disk, and removes everything with the conversation', async () => {
    const { db, conversations, documents, dir } = setUp();
    const c = conversations.create('change', null);
    const path = join(dir, 'plan.txt');
    writeFileSync(path, 'The meeting is about walruses.');
    const [doc] = (await documents.attachPaths(c.id, [path])).attached;
    expect((await documents.search(c.id, 'walruses', 5)).length).toBe(1);
    writeFileSync(path, 'The meeting moved: it is about narwhals now.');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(await documents.refresh(c.id)).toEqual(['plan.txt']);
    expect(await documents.search(c.id, 'walruses', 5)).toEqual([]);
    const [narwhals] = await documents.search(c.id, 'narwhals', 5);
    expect(narwhals!.documentId).toBe(doc!.id);
    expect(await documents.refresh(c.id)).toEqual([]); // unchanged now

    conversations.delete(c.id);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM documents')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM document_pages')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM document_chunks')).toBe(0);
    // The FTS index's own rows went too (an external-content index keeps a copy of its terms).
    expect(count(`SELECT COUNT(*) AS n FROM document_chunks_fts_docsize`)).toBe(0);
    db.prepare(`INSERT INTO document_chunks_fts (document_chunks_fts) VALUES ('integrity-check')`).run();
  });
});

describe('what the documents add to a question', () => {
  it('goes in whole when it fits, and as the best passages, numbered and scored, when it does not', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('ctx', null);
    const small = join(dir, 'small.md');
    writeFileSync(small, 'The spare key is under the blue flowerpot.');
    await documents.attachPaths(c.id, [small]);
    const whole = await documentContext(documents, c.id, 'Where is the spare key?', 1000);
    expect(whole!.trace).toMatchObject({ mode: 'whole', files: [{ name: 'small.md' }] });
    expect(whole!.block).toContain('[1] small.md\nThe spare key is under the blue flowerpot.');

    const big = join(dir, 'manual.pdf');
    writeFileSync(
      big,
      makePdf([
        filler('boilers', 40),
        filler('radiators', 40),
        ['To bleed a radiator, turn the valve a quarter turn with the radiator key.', ...filler('valves', 10)],
        filler('thermostats', 40),
      ]),
    );
    await documents.attachPaths(c.id, [big]);
    const retrieved = await documentContext(documents, c.id, 'how do I bleed a radiator with the key', 400);
    const trace = retrieved!.trace;
    expect(trace.mode).toBe('retrieved');
    expect(trace.why).toMatch(/exceed the \d+ the context leaves/);
    expect(trace.passages[0]).toMatchObject({ n: 1, name: 'manual.pdf', page: 3, bm25Rank: 1 });
    expect(trace.passages.reduce((n, p) => n + p.tokens, 0)).toBeLessThanOrEqual(trace.budgetTokens);
    expect(trace.passages.every((p) => p.score !== null && p.score > 0)).toBe(true);
    expect(retrieved!.block).toMatch(/\[1\] manual\.pdf, page 3\n.*bleed a radiator/);
  });
});

describe('chunking and fusion', () => {
  it('cuts pages into overlapping windows that never cross a page', () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkPages([words, 'short page'], true, 100, 20);
    expect(chunks.at(-1)).toMatchObject({ page: 2, text: 'short page' });
    const first = chunks.filter((c) => c.page === 1);
    expect(first.length).toBeGreaterThan(3);
    for (let i = 1; i < first.length; i++) {
      expect(first[i]!.start).toBeLessThan(first[i - 1]!.end); // overlap
      expect(first[i]!.text.startsWith('w')).toBe(true); // starts on a word
    }
    expect(first.at(-1)!.end).toBe(words.length);
  });

  it('fuses two rankings by reciprocal rank: agreement beats one list’s top', () => {
    const scores = reciprocalRankFusion([
      [1, 2, 3],
      [2, 4, 1],
    ]);
    const order = [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(order).toEqual([2, 1, 4, 3]);
    expect(scores.get(2)).toBeCloseTo(1 / 62 + 1 / 61, 10);
  });
});
