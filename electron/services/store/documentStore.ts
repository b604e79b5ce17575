// Attached documents, their pages and their retrieval chunks (tables and FTS5 index in migrations.ts).
// All of the documents' SQL lives here; bm25() ranks the chunks, lower is better in SQLite's sign.
import type { DatabaseSync } from 'node:sqlite';
import { RpcError } from '../../../shared/rpc.ts';
import type { DocumentInfo, DocumentKind } from '../../../shared/documents.ts';
import { transaction } from './database.ts';

interface DocumentRow {
  id: string;
  conversation_id: string;
  name: string;
  kind: DocumentKind;
  path: string | null;
  bytes: number;
  mtime_ms: number | null;
  sha256: string;
  pages: number | null;
  tokens: number;
  token_basis: 'tokenizer' | 'estimate';
  created_at: number;
  chunks: number;
}

export interface NewDocument {
  id: string;
  conversationId: string;
  name: string;
  kind: DocumentKind;
  path: string | null;
  bytes: number;
  mtimeMs: number | null;
  sha256: string;
  /** Null for a file without pages; its single text is page 1 in document_pages. */
  pageCount: number | null;
  tokens: number;
  tokenBasis: 'tokenizer' | 'estimate';
}

export interface NewChunk {
  page: number | null;
  start: number;
  end: number;
  tokens: number;
  text: string;
}

export interface ChunkHit {
  chunkId: number;
  documentId: string;
  name: string;
  page: number | null;
  tokens: number;
  text: string;
  bm25: number;
}

export interface StoredDocument extends DocumentInfo {
  sha256: string;
  mtimeMs: number | null;
}

/** A chunk with its document's name, as every chunk query below selects it (CHUNK_COLUMNS). */
// A type alias, not an interface: node:sqlite's rows (Record<string, …>) convert only to a type with an
// implicit index signature.
type ChunkRow = {
  chunk_id: number;
  document_id: string;
  name: string;
  page: number | null;
  tokens: number;
  text: string;
};
const CHUNK_COLUMNS = 'c.id AS chunk_id, c.document_id, d.name, c.page, c.tokens, c.text';

/** Integers may come back as bigints from a statement that reads them so; a chunk holds numbers. */
function chunkOf(r: ChunkRow): Omit<ChunkHit, 'bm25'> {
  return {
    chunkId: Number(r.chunk_id),
    documentId: r.document_id,
    name: r.name,
    page: r.page === null ? null : Number(r.page),
    tokens: Number(r.tokens),
    text: r.text,
  };
}

const info = (r: DocumentRow): StoredDocument => ({
  id: r.id,
  conversationId: r.conversation_id,
  name: r.name,
  kind: r.kind,
  path: r.path,
  bytes: Number(r.bytes),
  pages: r.pages === null ? null : Number(r.pages),
  tokens: Number(r.tokens),
  tokenBasis: r.token_basis,
  chunks: Number(r.chunks),
  addedAt: Number(r.created_at),
  sha256: r.sha256,
  mtimeMs: r.mtime_ms === null ? null : Number(r.mtime_ms),
});

const SELECT = `SELECT d.*, (SELECT COUNT(*) FROM document_chunks c WHERE c.document_id = d.id) AS chunks FROM documents d`;

export class DocumentStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Adds a document, or replaces one with the same id (a re-index), with its pages and chunks at once. */
  save(doc: NewDocument, pages: string[], chunks: NewChunk[]): StoredDocument {
    transaction(this.db, () => {
      this.db.prepare('DELETE FROM document_chunks WHERE document_id = ?').run(doc.id);
      this.db.prepare('DELETE FROM document_pages WHERE document_id = ?').run(doc.id);
      this.db
        .prepare(
          `INSERT INTO documents (id, conversation_id, name, kind, path, bytes, mtime_ms, sha256, pages, tokens, token_basis, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET bytes = excluded.bytes, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256,
             pages = excluded.pages, tokens = excluded.tokens, token_basis = excluded.token_basis, kind = excluded.kind`,
        )
        .run(
          doc.id,
          doc.conversationId,
          doc.name,
          doc.kind,
          doc.path,
          doc.bytes,
          doc.mtimeMs,
          doc.sha256,
          doc.pageCount,
          doc.tokens,
          doc.tokenBasis,
          Date.now(),
        );
      const addPage = this.db.prepare('INSERT INTO document_pages (document_id, page, text) VALUES (?, ?, ?)');
      pages.forEach((text, i) => addPage.run(doc.id, i + 1, text));
      const addChunk = this.db.prepare(
        'INSERT INTO document_chunks (document_id, seq, page, start, end, tokens, text) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      chunks.forEach((c, seq) => addChunk.run(doc.id, seq, c.page, c.start, c.end, c.tokens, c.text));
    });
    return this.get(doc.id);
  }

  get(id: string): StoredDocument {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
    if (!row) throw new RpcError('not_found', `No attached document ${id}`);
    return info(row);
  }

  list(conversationId: string): StoredDocument[] {
    const rows = this.db
      .prepare(`${SELECT} WHERE d.conversation_id = ? ORDER BY d.created_at, d.name`)
      .all(conversationId);
    return (rows as unknown as DocumentRow[]).map(info);
  }

  remove(id: string): void {
    this.get(id);
    this.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
  }

  /** Every page text of a document, in order (a file without pages has one). */
  pages(documentId: string): string[] {
    const rows = this.db
      .prepare('SELECT text FROM document_pages WHERE document_id = ? ORDER BY page')
      .all(documentId) as { text: string }[];
    return rows.map((r) => r.text);
  }

  chunk(chunkId: number): Omit<ChunkHit, 'bm25'> & { start: number; end: number } {
    const row = this.db
      .prepare(
        `SELECT ${CHUNK_COLUMNS}, c.start, c.end
           FROM document_chunks c JOIN documents d ON d.id = c.document_id
          WHERE c.id = ?`,
      )
      .get(chunkId) as (ChunkRow & { start: number; end: number }) | undefined;
    if (!row) throw new RpcError('not_found', `No passage ${chunkId}: its document was removed or re-indexed.`);
    return { ...chunkOf(row), start: Number(row.start), end: Number(row.end) };
  }

  /** The best chunks of a conversation's documents for an FTS5 query, ranked by bm25(). */
  bm25(conversationId: string, match: string, limit: number): ChunkHit[] {
    const rows = this.db
      .prepare(
        `SELECT ${CHUNK_COLUMNS}, bm25(document_chunks_fts) AS score
           FROM document_chunks_fts
           JOIN document_chunks c ON c.id = document_chunks_fts.rowid
           JOIN documents d ON d.id = c.document_id
          WHERE document_chunks_fts MATCH ? AND d.conversation_id = ?
          ORDER BY score
          LIMIT ?`,
      )
      .all(match, conversationId, limit) as (ChunkRow & { score: number })[];
    return rows.map((r) => ({ ...chunkOf(r), bm25: r.score }));
  }

  /** Chunks of a conversation with their stored embeddings (for the vector half of the ranking). */
  embedded(conversationId: string): { chunk: Omit<ChunkHit, 'bm25'>; vector: Float32Array }[] {
    const rows = this.db
      .prepare(
        `SELECT ${CHUNK_COLUMNS}, c.embedding
           FROM document_chunks c JOIN documents d ON d.id = c.document_id
          WHERE d.conversation_id = ? AND c.embedding IS NOT NULL`,
      )
      .all(conversationId) as (ChunkRow & { embedding: Uint8Array })[];
    return rows.map((r) => ({
      chunk: chunkOf(r),
      vector: new Float32Array(
        r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength),
      ),
    }));
  }

  /** Chunks of a document still without an embedding. */
  unembedded(documentId: string): { chunkId: number; text: string }[] {
    const rows = this.db
      .prepare('SELECT id, text FROM document_chunks WHERE document_id = ? AND embedding IS NULL ORDER BY seq')
      .all(documentId) as { id: number; text: string }[];
    return rows.map((r) => ({ chunkId: Number(r.id), text: r.text }));
  }

  /** Chunks of a conversation still without an embedding (attached before an embedding model was set up). */
  unembeddedIn(conversationId: string): { chunkId: number; text: string }[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.text FROM document_chunks c JOIN documents d ON d.id = c.document_id
          WHERE d.conversation_id = ? AND c.embedding IS NULL ORDER BY c.document_id, c.seq`,
      )
      .all(conversationId) as { id: number; text: string }[];
    return rows.map((r) => ({ chunkId: Number(r.id), text: r.text }));
  }

  /** Forgets every stored vector: another embedding model's vectors are not comparable with the new one's. */
  clearEmbeddings(): void {
    this.db.prepare('UPDATE document_chunks SET embedding = NULL WHERE embedding IS NOT NULL').run();
  }

  setEmbeddings(vectors: { chunkId: number; vector: Float32Array }[]): void {
    transaction(this.db, () => {
      const set = this.db.prepare('UPDATE document_chunks SET embedding = ? WHERE id = ?');
      for (const v of vectors)
        set.run(new Uint8Array(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength), v.chunkId);
    });
  }
}
