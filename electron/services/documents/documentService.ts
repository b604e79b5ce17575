// Documents attached to a conversation: read (extractText), counted, chunked and indexed in SQLite, kept
// in step with their files on disk, and turned into the passages one answer is given (documentContext).
import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RpcError } from '../../../shared/rpc.ts';
import { DOCUMENT_LIMITS, estimateTokens, type AttachResult, type Passage } from '../../../shared/documents.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { UPLOAD_PART_BYTES } from '../../../shared/contract/documents.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { DocumentStore, StoredDocument } from '../store/documentStore.ts';
import { chunkPages } from './chunker.ts';
import { extractText } from './extractText.ts';
import { rankChunks, type RankedChunk } from './retrieval.ts';
import { filesIn } from './folderWalk.ts';
import type { Embedder } from './embedder.ts';

export interface DocumentServiceOptions {
  store: DocumentStore;
  conversations: Pick<ConversationStore, 'get'>;
  /** Embeds chunks and queries when an embedding model is present; retrieval is bm25 alone without it. */
  embedder?: Embedder | null;
  /** The loaded model's tokenizer (the engine); without one, or with no model loaded, counts are estimates. */
  tokens?: TokenCounter | null;
  onChange?: (conversationId: string) => void;
}

export interface TokenCounter {
  /** Null when no model is loaded; a null count is text the loaded model's vocabulary cannot read. */
  countTokens(texts: string[]): Promise<{ modelId: string; counts: (number | null)[] } | null>;
}

/** Which rankings ordered a search's hits, and what the trace says about embeddings. */
export interface Ranking {
  hits: RankedChunk[];
  rankings: ('bm25' | 'vector')[];
  embeddings: string;
}

const PASSAGE_CONTEXT_CHARS = 400;
const UPLOAD_TTL_MS = 5 * 60_000;
/** Files held in memory while their pieces arrive (each up to the file cap). */
const MAX_UPLOADS_AT_ONCE = 4;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const mib = (n: number) => `${n / 1024 / 1024} MiB`;

export class DocumentService {
  private readonly options: DocumentServiceOptions;
  private uploads = new Map<string, { name: string; size: number; parts: Buffer[]; at: number }>();

  constructor(options: DocumentServiceOptions) {
    this.options = options;
  }

  get store(): DocumentStore {
    return this.options.store;
  }

  list(conversationId: string): StoredDocument[] {
    this.options.conversations.get(conversationId);
    return this.options.store.list(conversationId);
  }

  remove(id: string): void {
    const doc = this.options.store.get(id);
    this.options.store.remove(id);
    this.options.onChange?.(doc.conversationId);
  }

  private assertRoom(conversationId: string, bytes: number, files = 1): void {
    const docs = this.options.store.list(conversationId);
    if (docs.length + files > DOCUMENT_LIMITS.files)
      throw new RpcError(
        'bad_input',
        `A conversation holds at most ${DOCUMENT_LIMITS.files.toLocaleString('en-US')} attached files (this one has ${docs.length}).`,
      );
    const used = docs.reduce((n, d) => n + d.bytes, 0);
    if (used + bytes > DOCUMENT_LIMITS.conversationBytes)
      throw new RpcError(
        'bad_input',
        `A conversation holds at most ${mib(DOCUMENT_LIMITS.conversationBytes)} of attached files; remove some first.`,
      );
  }

  /** Reads, counts, chunks and indexes one file's bytes; `replace` re-indexes an attached document. */
  async attachBytes(
    conversationId: string,
    name: string,
    bytes: Uint8Array,
    from: { path: string; mtimeMs: number } | null = null,
    replace: StoredDocument | null = null,
  ): Promise<StoredDocument> {
    this.options.conversations.get(conversationId);
    if (!replace) this.assertRoom(conversationId, bytes.length);
    const { kind, pages } = await extractText(name, bytes);
    const pageCounts = await this.countTokens(pages);
    const pageTokens = pageCounts?.reduce((n, c) => n + c, 0) ?? null;
    const chars = pages.reduce((n, p) => n + p.length, 0);
    // Windows are cut by characters; with a measured count, at this file's own characters per token, so a
    // chunk holds about CHUNK_TOKENS of the loaded model's tokens rather than of the 4-character estimate.
    const cut = chunkPages(pages, kind === 'pdf', undefined, undefined, pageTokens ? chars / pageTokens : undefined);
    const chunkCounts = pageCounts ? await this.countTokens(cut.map((c) => c.text)) : null;
    const chunks = cut.map((c, i) => ({ ...c, tokens: chunkCounts?.[i] ?? estimateTokens(c.text) }));
    const doc = this.options.store.save(
      {
        id: replace?.id ?? randomUUID(),
        conversationId,
        name,
        kind,
        path: from?.path ?? null,
        bytes: bytes.length,
        mtimeMs: from?.mtimeMs ?? null,
        sha256: sha256(bytes),
        pageCount: kind === 'pdf' ? pages.length : null,
        tokens: pageTokens ?? pages.reduce((n, p) => n + estimateTokens(p), 0),
        tokenBasis: pageCounts ? 'tokenizer' : 'estimate',
      },
      pages,
      chunks,
    );
    await this.embedChunks(this.options.store.unembedded(doc.id));
    this.options.onChange?.(conversationId);
    return doc;
  }

  /** Exact counts by the loaded model's tokenizer; null when no model is loaded, the engine fails, or the
   *  vocabulary cannot read some text (then every count is an estimate, never a mix). */
  async countTokens(texts: string[]): Promise<number[] | null> {
    const counter = this.options.tokens;
    if (!counter) return null;
    try {
      const result = await counter.countTokens(texts);
      if (!result || result.counts.length !== texts.length || result.counts.some((c) => c === null)) return null;
      return result.counts as number[];
    } catch {
      return null;
    }
  }

  /** Embeddings are best effort: a failing embedding model leaves bm25 ranking, never a lost attachment. */
  private async embedChunks(pending: { chunkId: number; text: string }[]): Promise<void> {
    const embedder = this.options.embedder;
    if (!embedder?.available() || pending.length === 0) return;
    try {
      const vectors = await embedder.embed(pending.map((p) => p.text));
      this.options.store.setEmbeddings(pending.map((p, i) => ({ chunkId: p.chunkId, vector: vectors[i]! })));
    } catch {
      // The trace says why embeddings were not used (embedder.status()).
    }
  }

  /** Files and folders on disk (the CLI, the desktop app); each file that cannot be read is listed with why. */
  async attachPaths(conversationId: string, paths: string[]): Promise<AttachResult> {
    const result: AttachResult = { attached: [], rejected: [] };
    for (const path of paths) {
      let files: { path: string; name: string }[];
      try {
        files = await filesIn(path, DOCUMENT_LIMITS.files);
      } catch (error) {
        result.rejected.push({ name: path, reason: errorMessage(error) });
        continue;
      }
      for (const file of files) {
        try {
          const info = await stat(file.path);
          if (info.size > DOCUMENT_LIMITS.fileBytes)
            throw new RpcError(
              'bad_input',
              `${file.name}: the file is ${(info.size / 1e6).toFixed(1)} MB; at most ${mib(DOCUMENT_LIMITS.fileBytes)} can be attached.`,
            );
          const bytes = await readFile(file.path);
          const from = { path: file.path, mtimeMs: Math.round(info.mtimeMs) };
          result.attached.push(await this.attachBytes(conversationId, file.name, bytes, from));
        } catch (error) {
          result.rejected.push({ name: file.name, reason: errorMessage(error) });
        }
      }
    }
    return result;
  }

  /** One piece of a file sent from the window (a contract message is at most 1 MiB); the last one attaches it. */
  async upload(args: {
    conversationId: string;
    uploadId: string;
    name: string;
    size: number;
    part: number;
    parts: number;
    data: string;
  }): Promise<AttachResult | null> {
    const { conversationId, uploadId, name, size, part, parts } = args;
    for (const [id, u] of this.uploads) if (Date.now() - u.at > UPLOAD_TTL_MS) this.uploads.delete(id);
    if (size > DOCUMENT_LIMITS.fileBytes)
      throw new RpcError(
        'bad_input',
        `${name}: the file is ${(size / 1e6).toFixed(1)} MB; at most ${mib(DOCUMENT_LIMITS.fileBytes)} can be attached.`,
      );
    if (parts !== Math.max(1, Math.ceil(size / UPLOAD_PART_BYTES)))
      throw new RpcError('bad_input', `${name}: the upload was cut into pieces of the wrong size.`);
    if (!this.uploads.has(uploadId) && this.uploads.size >= MAX_UPLOADS_AT_ONCE)
      throw new RpcError(
        'busy',
        `${name}: ${MAX_UPLOADS_AT_ONCE} files are being sent already; try again when they are in.`,
      );
    const upload = this.uploads.get(uploadId) ?? { name, size, parts: [], at: Date.now() };
    if (part !== upload.parts.length || upload.name !== name)
      throw new RpcError('bad_input', `${name}: piece ${part + 1} of ${parts} arrived out of order.`);
    upload.parts.push(Buffer.from(args.data, 'base64'));
    upload.at = Date.now();
    this.uploads.set(uploadId, upload);
    if (part < parts - 1) return null;
    this.uploads.delete(uploadId);
    const bytes = Buffer.concat(upload.parts);
    if (bytes.length !== size) throw new RpcError('bad_input', `${name}: ${bytes.length} bytes arrived, not ${size}.`);
    try {
      return { attached: [await this.attachBytes(conversationId, basename(name) || name, bytes)], rejected: [] };
    } catch (error) {
      if (error instanceof RpcError && error.code === 'bad_input')
        return { attached: [], rejected: [{ name, reason: error.message }] };
      throw error;
    }
  }

  /** Re-reads attached files that changed on disk since they were indexed (size, mtime, then the hash). */
  async refresh(conversationId: string): Promise<string[]> {
    const changed: string[] = [];
    for (const doc of this.options.store.list(conversationId)) {
      if (!doc.path) continue;
      try {
        const info = await stat(doc.path);
        if (info.size === doc.bytes && Math.round(info.mtimeMs) === doc.mtimeMs) continue;
        const bytes = await readFile(doc.path);
        if (sha256(bytes) === doc.sha256) continue;
        await this.attachBytes(
          conversationId,
          doc.name,
          bytes,
          { path: doc.path, mtimeMs: Math.round(info.mtimeMs) },
          doc,
        );
        changed.push(doc.name);
      } catch {
        // A file moved or now unreadable keeps the text indexed when it was attached.
      }
    }
    return changed;
  }

  /** The best passages of this conversation's documents for a query: the built-in tool's search. */
  async search(conversationId: string, query: string, k: number): Promise<RankedChunk[]> {
    return (await this.rank(conversationId, query, k)).hits;
  }

  /** The search with what ranked it: bm25 always, and cosine on embeddings when an embedding model works.
   *  Chunks attached before the embedding model was set up (or changed) are embedded first. */
  async rank(conversationId: string, query: string, k: number): Promise<Ranking> {
    const embedder = this.options.embedder;
    let vector: Float32Array | null = null;
    if (embedder?.available()) {
      await this.embedChunks(this.options.store.unembeddedIn(conversationId));
      vector = await embedder.embed([query]).then(
        (v) => (v[0]?.length ? v[0] : null),
        () => null,
      );
    }
    const hits = rankChunks(this.options.store, conversationId, query, vector).slice(0, k);
    const vectors = vector !== null && hits.some((h) => h.vectorRank !== null);
    return {
      hits,
      rankings: vectors ? ['bm25', 'vector'] : ['bm25'],
      embeddings: this.embeddingStatus(),
    };
  }

  embeddingStatus(): string {
    return this.options.embedder?.status() ?? 'no embedding model is set up: ranked by bm25 alone';
  }

  passage(documentId: string, page: number | null, chunkId: number | null): Passage {
    const { store } = this.options;
    const doc = store.get(documentId);
    const pages = store.pages(documentId);
    if (chunkId === null) {
      const text = pages[(page ?? 1) - 1];
      if (text === undefined) throw new RpcError('not_found', `${doc.name} has no page ${page}.`);
      return { chunkId: null, documentId, name: doc.name, page, before: '', text, after: '' };
    }
    const chunk = store.chunk(chunkId);
    if (chunk.documentId !== documentId) throw new RpcError('not_found', `That passage is not in ${doc.name}.`);
    const pageText = pages[(chunk.page ?? 1) - 1] ?? chunk.text;
    return {
      chunkId,
      documentId,
      name: doc.name,
      page: chunk.page,
      before: pageText.slice(Math.max(0, chunk.start - PASSAGE_CONTEXT_CHARS), chunk.start),
      text: pageText.slice(chunk.start, chunk.end),
      after: pageText.slice(chunk.end, chunk.end + PASSAGE_CONTEXT_CHARS),
    };
  }
}

/** Searches a conversation's attached documents: for the built-in "search this conversation's documents" tool. */
export function searchDocuments(
  documents: DocumentService,
  conversationId: string,
  query: string,
  k = 5,
): Promise<RankedChunk[]> {
  return documents.search(conversationId, query, k);
}
