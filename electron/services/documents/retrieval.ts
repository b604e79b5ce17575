// Ranking a conversation's chunks for a query: FTS5 bm25() on the words, cosine similarity on embeddings
// when an embedding model is present, fused by reciprocal rank (Cormack et al., 2009: score = Σ 1/(k + rank),
// k = 60), which needs no calibration between the two scores' very different scales.
import type { ChunkHit, DocumentStore } from '../store/documentStore.ts';

export const RRF_K = 60;
const CANDIDATES = 50;
const MAX_TERMS = 32;

export interface RankedChunk extends Omit<ChunkHit, 'bm25'> {
  score: number;
  bm25: number | null;
  bm25Rank: number | null;
  vectorRank: number | null;
}

/** Any word of the query may match (OR), each quoted so FTS5 syntax in the text is inert. */
export function orQuery(text: string): string {
  const terms = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []).slice(0, MAX_TERMS))];
  return terms.map((t) => `"${t}"`).join(' OR ');
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Fuses ranked lists of ids (best first) into one score per id. */
export function reciprocalRankFusion(lists: number[][], k = RRF_K): Map<number, number> {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  return scores;
}

export function rankChunks(
  store: Pick<DocumentStore, 'bm25' | 'embedded'>,
  conversationId: string,
  query: string,
  queryVector: Float32Array | null,
): RankedChunk[] {
  const match = orQuery(query);
  const lexical = match ? store.bm25(conversationId, match, CANDIDATES) : [];
  const byId = new Map<number, Omit<ChunkHit, 'bm25'>>();
  lexical.forEach((h) => byId.set(h.chunkId, h));
  let semantic: number[] = [];
  if (queryVector) {
    const scored = store
      .embedded(conversationId)
      // Vectors of another length are another model's (the store forgets those when the model changes).
      .filter((e) => e.vector.length === queryVector.length)
      .map((e) => ({ ...e, similarity: cosine(queryVector, e.vector) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, CANDIDATES);
    scored.forEach((s) => byId.set(s.chunk.chunkId, s.chunk));
    semantic = scored.map((s) => s.chunk.chunkId);
  }
  const lexicalIds = lexical.map((h) => h.chunkId);
  const fused = reciprocalRankFusion([lexicalIds, semantic]);
  return [...fused.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([chunkId, score]) => {
      const rank = lexicalIds.indexOf(chunkId);
      const vectorRank = semantic.indexOf(chunkId);
      return {
        ...byId.get(chunkId)!,
        score,
        bm25: rank >= 0 ? lexical[rank]!.bm25 : null,
        bm25Rank: rank >= 0 ? rank + 1 : null,
        vectorRank: vectorRank >= 0 ? vectorRank + 1 : null,
      };
    });
}
