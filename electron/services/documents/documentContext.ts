// What a conversation's documents add to one question. If all of them fit the room the context leaves
// (after the conversation and the answer's token limit), they go in whole, as LM Studio does; else the
// best-ranked passages that fit do. Either way each source is numbered, so the answer can cite [n].
import { estimateTokens, type CitedPassage, type DocumentsTrace, type TokenBasis } from '../../../shared/documents.ts';
import type { DocumentService } from './documentService.ts';

/** Estimated counts may run short of the real tokenizer's; whole documents must fit with this margin (an
 *  exact count by the loaded model's tokenizer needs none). */
const ESTIMATE_MARGIN = 1.25;
const MAX_PASSAGES = 8;

export interface DocumentContext {
  /** The text put before the user's question. */
  block: string;
  trace: DocumentsTrace;
}

/** The tokens documents may take: the context the model holds, less room for the answer (its token limit,
 *  at most a quarter of the context, so a 512-token model still takes some document) and the conversation. */
export function documentBudget(
  settings: { contextSize: number; sampling: { maxTokens: number } },
  modelContext: number | null,
  conversationTokens: number,
): number {
  const contextSize = Math.min(settings.contextSize, modelContext ?? Infinity);
  const answerRoom = Math.min(settings.sampling.maxTokens, Math.floor(contextSize / 4));
  return contextSize - answerRoom - conversationTokens - 32;
}

/** The question as sent: the documents' block first, then what the user asked. */
export function withDocuments(context: DocumentContext | null, question: string): string {
  return context?.block ? `${context.block}\n\nQuestion: ${question}` : question;
}

const header = 'Attached documents follow. Answer from them, and cite each numbered source you use like [1].';
const label = (name: string, page: number | null) => (page === null ? name : `${name}, page ${page}`);

export async function documentContext(
  documents: Pick<DocumentService, 'store' | 'rank' | 'refresh' | 'countTokens'>,
  conversationId: string,
  question: string,
  budgetTokens: number,
): Promise<DocumentContext | null> {
  await documents.refresh(conversationId);
  const docs = documents.store.list(conversationId);
  if (docs.length === 0) return null;
  const room = Math.max(0, budgetTokens - estimateTokens(header));
  let documentTokens = docs.reduce((n, d) => n + d.tokens, 0);
  let files = docs.map((d) => ({ name: d.name, tokens: d.tokens }));
  let basis: TokenBasis = docs.every((d) => d.tokenBasis === 'tokenizer') ? 'tokenizer' : 'estimate';
  let needed = Math.ceil(documentTokens * ESTIMATE_MARGIN);
  let counted =
    basis === 'tokenizer'
      ? `counted by a model's tokenizer when attached, ×${ESTIMATE_MARGIN} margin = ${needed}`
      : `estimate, ×${ESTIMATE_MARGIN} margin = ${needed}`;
  const sections: string[] = [];
  const passages: CitedPassage[] = [];

  // The documents as they would go in whole, counted by the loaded model's tokenizer when there is one:
  // worth doing only when they might fit (the estimate is at most twice the room).
  const pieces =
    documentTokens <= room * 2
      ? docs.flatMap((doc) =>
          documents.store
            .pages(doc.id)
            .map((text, i) => ({ doc, page: doc.pages === null ? null : i + 1, text }))
            .filter((p) => p.text.trim()),
        )
      : [];
  const wholeText = pieces.map((p, i) => `[${i + 1}] ${label(p.doc.name, p.page)}\n${p.text}`);
  // The texts themselves are counted (a label's brackets may be outside a tiny model's vocabulary); labels
  // and the blank lines between sections are a few tokens each, estimated.
  const exact = pieces.length > 0 ? await documents.countTokens(pieces.map((p) => p.text)) : null;
  if (exact) {
    basis = 'tokenizer';
    documentTokens = exact.reduce((n, c) => n + c, 0);
    files = docs.map((d) => ({
      name: d.name,
      tokens: pieces.reduce((n, p, i) => n + (p.doc.id === d.id ? exact[i]! : 0), 0),
    }));
    needed =
      documentTokens + wholeText.reduce((n, t, i) => n + estimateTokens(t.slice(0, -pieces[i]!.text.length)) + 2, 0);
    counted = "counted by the loaded model's tokenizer";
  }

  if (pieces.length > 0 && needed <= room) {
    pieces.forEach((piece, i) => {
      passages.push({
        n: i + 1,
        chunkId: null,
        documentId: piece.doc.id,
        name: piece.doc.name,
        page: piece.page,
        tokens: exact?.[i] ?? estimateTokens(piece.text),
        score: null,
        bm25: null,
        bm25Rank: null,
        vectorRank: null,
      });
      sections.push(wholeText[i]!);
    });
    return {
      block: [header, ...sections].join('\n\n'),
      trace: {
        mode: 'whole',
        why: `${documentTokens} tokens of documents (${counted}) fit the ${room} the context leaves after the conversation and the answer.`,
        budgetTokens: room,
        documentTokens,
        tokenBasis: basis,
        files,
        passages,
        embeddings: 'not needed: the documents went in whole',
      },
    };
  }

  const ranking = await documents.rank(conversationId, question, 50);
  const ranked = ranking.hits;
  // The passages' own tokens by the loaded model's tokenizer: stored counts may be another model's or estimates.
  const hitCounts = ranked.length > 0 ? await documents.countTokens(ranked.map((h) => h.text)) : null;
  let used = 0;
  ranked.forEach((hit, i) => {
    const tokens = hitCounts?.[i] ?? hit.tokens;
    if (passages.length >= MAX_PASSAGES || used + tokens > room) return;
    used += tokens;
    const n = passages.length + 1;
    passages.push({
      n,
      chunkId: hit.chunkId,
      documentId: hit.documentId,
      name: hit.name,
      page: hit.page,
      tokens,
      score: hit.score,
      bm25: hit.bm25,
      bm25Rank: hit.bm25Rank,
      vectorRank: hit.vectorRank,
    });
    sections.push(`[${n}] ${label(hit.name, hit.page)}\n${hit.text}`);
  });
  const why =
    `${documentTokens} tokens of documents (${counted}) exceed the ${room} the context leaves; ` +
    (passages.length > 0
      ? `${passages.length} of ${ranked.length} matching passages (${used} tokens) went in.`
      : ranked.length > 0
        ? `no matching passage fits the ${room} tokens left.`
        : 'no passage matched the question.');
  return {
    block: passages.length > 0 ? [header, ...sections].join('\n\n') : '',
    trace: {
      mode: 'retrieved',
      why,
      budgetTokens: room,
      documentTokens,
      tokenBasis: basis,
      files,
      passages,
      rankings: ranking.rankings,
      embeddings: ranking.embeddings,
    },
  };
}
