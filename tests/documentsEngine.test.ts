// Documents on the real engine: token counts by the loaded model's own tokenizer (checked against
// node-llama-cpp's tokenizer on the same file, in this process), and retrieval with embeddings made by
// node-llama-cpp's embedding context in the worker (a real tiny decoder model used as the embedder), stored in
// SQLite, ranked by cosine and fused with bm25. No mocked engine: a real worker process, real GGUF files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, type LlamaModel } from 'node-llama-cpp';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { openDatabase } from '../electron/services/store/database.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { DocumentStore } from '../electron/services/store/documentStore.ts';
import { SettingsStore } from '../electron/services/store/settingsStore.ts';
import { DocumentService } from '../electron/services/documents/documentService.ts';
import { documentContext } from '../electron/services/documents/documentContext.ts';
import { engineEmbedder, type EmbeddingModel } from '../electron/services/documents/engineEmbedder.ts';
import { EmbeddingSetup } from '../electron/services/documents/embeddingSetup.ts';
import { cosine } from '../electron/services/documents/retrieval.ts';
import { estimateTokens } from '../shared/documents.ts';
import type { ModelInfo } from '../shared/schemas.ts';
import { demoModel, stories260k, tempDir } from './fixtures.ts';

const demo = { id: 'demo', name: 'TinyStories 656K', path: demoModel };
const embedderModel: EmbeddingModel = { name: 'stories260K', path: stories260k };

let host: EngineHost;
/** The same model file, loaded here by node-llama-cpp: the reference the worker's counts must equal. */
let reference: LlamaModel;

beforeAll(async () => {
  host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu', threads: 1 });
  await host.startWorker();
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  reference = await llama.loadModel({ modelPath: demoModel });
}, 120_000);

afterAll(async () => {
  await reference?.dispose();
  await host?.dispose();
});

function setUp(options: { tokens?: boolean; embedder?: ReturnType<typeof engineEmbedder> | null } = {}) {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'edgewise.db'));
  const conversations = new ConversationStore(db);
  const store = new DocumentStore(db);
  const documents = new DocumentService({
    store,
    conversations,
    tokens: options.tokens === false ? null : host,
    embedder: options.embedder ?? null,
  });
  return { db, dir, conversations, store, documents };
}

const manualNote = 'Once upon a time there was a little dog.';
const topics = ['boilers', 'radiators', 'thermostats', 'gardens', 'kittens', 'pirates'];
/** A file long enough not to fit a small budget: a paragraph per topic, each many sentences long. */
const manual = topics
  .map((t) =>
    Array.from({ length: 30 }, (_, i) => `Sentence ${i} of this part is about ${t}, only ${t} and more ${t}.`).join(
      ' ',
    ),
  )
  .join('\n\n');

describe('exact token counts', () => {
  it('are estimates, labelled so, while no model is loaded', async () => {
    const { conversations, documents, dir } = setUp();
    const c = conversations.create('no model', null);
    writeFileSync(join(dir, 'note.txt'), manualNote);
    const { attached } = await documents.attachPaths(c.id, [join(dir, 'note.txt')]);
    expect(attached[0]).toMatchObject({ tokenBasis: 'estimate', tokens: estimateTokens(manualNote) });
    const ctx = await documentContext(documents, c.id, 'dog?', 1000);
    expect(ctx!.trace).toMatchObject({ mode: 'whole', tokenBasis: 'estimate' });
    expect(ctx!.trace.why).toContain('estimate');
  }, 120_000);

  it("count each file, each chunk and the fits-whole decision with the loaded model's tokenizer", async () => {
    await host.load(demo);
    const { conversations, documents, store, dir } = setUp();
    const c = conversations.create('counted', null);
    writeFileSync(join(dir, 'note.txt'), manualNote);
    writeFileSync(join(dir, 'manual.md'), manual);
    const { attached } = await documents.attachPaths(c.id, [join(dir, 'note.txt'), join(dir, 'manual.md')]);
    const [note, big] = attached;
    expect(note).toMatchObject({ tokenBasis: 'tokenizer', tokens: reference.tokenize(manualNote).length });
    expect(big!.tokenBasis).toBe('tokenizer');
    expect(big!.tokens).toBe(reference.tokenize(manual).length);
    expect(big!.tokens).not.toBe(estimateTokens(manual));

    // Chunks are cut at the file's measured characters per token: about 200 real tokens each, each counted.
    // Every chunk of the manual has the word "sentence", so bm25 lists them all with their stored counts.
    const chunks = store.bm25(c.id, '"sentence"', 1000);
    expect(chunks.length).toBe(big!.chunks);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokens).toBe(reference.tokenize(chunk.text).length);
      expect(chunk.tokens).toBeLessThan(280);
    }
    // All but the file's tail are full windows.
    expect(chunks.filter((chunk) => chunk.tokens <= 120).length).toBeLessThanOrEqual(1);

    const whole = await documentContext(documents, c.id, 'dog?', 100_000);
    expect(whole!.trace).toMatchObject({ mode: 'whole', tokenBasis: 'tokenizer' });
    expect(whole!.trace.why).toContain("counted by the loaded model's tokenizer");
    const sections = whole!.block.split('\n\n[').length - 1;
    expect(whole!.trace.passages).toHaveLength(sections);
    const passage = whole!.trace.passages.find((p) => p.name === 'note.txt')!;
    expect(passage.tokens).toBe(reference.tokenize(manualNote).length);
    expect(whole!.trace.documentTokens).toBe(note!.tokens + big!.tokens);

    const retrieved = await documentContext(documents, c.id, 'tell me about kittens', 600);
    expect(retrieved!.trace).toMatchObject({ mode: 'retrieved', tokenBasis: 'tokenizer', rankings: ['bm25'] });
    for (const p of retrieved!.trace.passages)
      expect(p.tokens).toBe(reference.tokenize(store.chunk(p.chunkId!).text).length);
  }, 240_000);
});

describe('embeddings in retrieval', () => {
  it('stores chunk vectors in SQLite, ranks by cosine and fuses with bm25; the trace says so', async () => {
    const embedder = engineEmbedder({ engine: host, model: () => embedderModel });
    const { conversations, documents, store, dir } = setUp({ embedder });
    const c = conversations.create('embedded', null);
    writeFileSync(join(dir, 'manual.md'), manual);
    const { attached } = await documents.attachPaths(c.id, [join(dir, 'manual.md')]);
    const stored = store.embedded(c.id);
    expect(stored.length).toBe(attached[0]!.chunks);
    expect(store.unembedded(attached[0]!.id)).toEqual([]);
    // stories260K's embedding length (its GGUF's llama.embedding_length).
    expect(stored.every((s) => s.vector.length === 64)).toBe(true);

    const question = 'a story of kittens';
    const { hits, rankings, embeddings } = await documents.rank(c.id, question, 50);
    expect(rankings).toEqual(['bm25', 'vector']);
    expect(embeddings).toBe('embedded by stories260K: cosine similarity fused with bm25 by reciprocal rank');
    // The vector ranks are the cosine order of the stored vectors against the query's own vector.
    const [query] = (await host.embed(embedderModel.path, [question])).vectors;
    const byCosine = stored
      .map((s) => ({ id: s.chunk.chunkId, sim: cosine(query!, s.vector) }))
      .sort((a, b) => b.sim - a.sim)
      .map((s) => s.id);
    const vectorRanked = hits.filter((h) => h.vectorRank !== null).sort((a, b) => a.vectorRank! - b.vectorRank!);
    expect(vectorRanked.map((h) => h.chunkId)).toEqual(byCosine.slice(0, vectorRanked.length));
    // Fusion: a hit in both lists scores 1/(60+r1) + 1/(60+r2).
    const both = hits.find((h) => h.bm25Rank !== null && h.vectorRank !== null)!;
    expect(both.score).toBeCloseTo(1 / (60 + both.bm25Rank!) + 1 / (60 + both.vectorRank!), 12);

    // No word in common with the file: bm25 finds nothing, the vectors still rank every chunk.
    const semantic = await documents.rank(c.id, 'zzzq', 50);
    expect(semantic.hits.length).toBe(stored.length);
    expect(semantic.hits.every((h) => h.bm25Rank === null && h.vectorRank !== null)).toBe(true);

    const ctx = await documentContext(documents, c.id, question, 600);
    expect(ctx!.trace).toMatchObject({ mode: 'retrieved', rankings: ['bm25', 'vector'], embeddings });
    expect(ctx!.trace.passages.some((p) => p.vectorRank !== null)).toBe(true);
  }, 240_000);

  it('embeds chunks attached before the model was set up, and forgets vectors when the model changes', async () => {
    const { db, conversations, store, dir } = setUp();
    const settings = new SettingsStore(db);
    const library = {
      get: async (id: string) => ({ id, name: 'stories260K', path: stories260k }) as ModelInfo,
    };
    const setup = new EmbeddingSetup({ settings, library, store });
    const embedder = engineEmbedder({ engine: host, model: () => setup.current() });
    const documents = new DocumentService({ store, conversations, tokens: host, embedder });
    const c = conversations.create('later', null);
    writeFileSync(join(dir, 'manual.md'), manual);
    await documents.attachPaths(c.id, [join(dir, 'manual.md')]);
    expect(store.embedded(c.id)).toEqual([]);
    expect((await documents.rank(c.id, 'kittens', 5)).rankings).toEqual(['bm25']);

    await setup.set('tiny-embedder');
    const ranked = await documents.rank(c.id, 'kittens', 5);
    expect(ranked.rankings).toEqual(['bm25', 'vector']);
    const count = store.embedded(c.id).length;
    expect(count).toBeGreaterThan(3);

    await setup.set(null);
    expect(store.embedded(c.id)).toEqual([]);
    expect(documents.embeddingStatus()).toBe('no embedding model is set up: ranked by bm25 alone');
  }, 240_000);

  it('a model that cannot embed leaves bm25 ranking and the attachment whole, and the trace says why', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.gguf');
    writeFileSync(broken, 'not a model at all');
    const embedder = engineEmbedder({ engine: host, model: () => ({ name: 'broken', path: broken }) });
    const { conversations, documents, store } = setUp({ embedder });
    const c = conversations.create('broken', null);
    writeFileSync(join(dir, 'manual.md'), manual);
    const { attached, rejected } = await documents.attachPaths(c.id, [join(dir, 'manual.md')]);
    expect(rejected).toEqual([]);
    expect(attached[0]!.chunks).toBeGreaterThan(3);
    expect(store.embedded(c.id)).toEqual([]);
    const ranking = await documents.rank(c.id, 'kittens', 5);
    expect(ranking.rankings).toEqual(['bm25']);
    expect(ranking.embeddings).toMatch(/^the embedding model broken failed \(.+\): ranked by bm25 alone$/);
    expect(ranking.hits[0]!.text).toContain('kittens');
  }, 240_000);
});
