// What a conversation's documents add to one question. If all of them fit the room the context leaves
// (after the conversation and the answer's token limit), they go in whole, as LM Studio does; else the
// best-ranked passages that fit do. Either way each source is numbered, so the answer can cite [n].
import { estimateTokens, type CitedPassage, type DocumentsTrace } from '../../../shared/documents.ts';
import type { DocumentService } from './documentService.ts';

/** Estimated counts may run short of the real tokenizer's; whole documents must fit with this margin. */
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
  documents: Pick<DocumentService, 'store' | 'search' | 'refresh' | 'embeddingStatus'>,
  conversationId: string,
  question: string,
  budgetTokens: number,
): Promise<DocumentContext | null> {
  await documents.refresh(conversationId);
  const docs = documents.store.list(conversationId);
  if (docs.length === 0) return null;
  const documentTokens = docs.reduce((n, d) => n + d.tokens, 0);
  const files = docs.map((d) => ({ name: d.name, tokens: d.tokens }));
  const room = Math.max(0, budgetTokens - estimateTokens(header));
  const needed = Math.ceil(documentTokens * ESTIMATE_MARGIN);
  const sections: string[] = [];
  const passages: CitedPassage[] = [];

  if (needed <= room) {
    for (const doc of docs) {
      const pages = documents.store.pages(doc.id);
      pages.forEach((text, i) => {
        const page = doc.pages === null ? null : i + 1;
        if (!text.trim()) return;
        const n = passages.length + 1;
        passages.push({
          n,
          chunkId: null,
          documentId: doc.id,
          name: doc.name,
          page,
          tokens: estimateTokens(text),
          score: null,
          bm25: null,
          bm25Rank: null,
          vectorRank: null,
        });
        sections.push(`[${n}] ${label(doc.name, page)}\n${text}`);
      });
    }
    return {
      block: [header, ...sections].join('\n\n'),
      trace: {
        mode: 'whole',
        why: `${documentTokens} tokens of documents (estimate, ×${ESTIMATE_MARGIN} margin = ${needed}) fit the ${room} the context leaves after the conversation and the answer.`,
        budgetTokens: room,
        documentTokens,
        tokenBasis: 'estimate',
        files,
        passages,
        embeddings: 'not needed: the documents went in whole',
      },
    };
  }

  const ranked = await documents.search(conversationId, question, 50);
  let used = 0;
  for (const hit of ranked) {
    if (passages.length >= MAX_PASSAGES) break;
    if (used + hit.tokens > room) continue;
    used += hit.tokens;
    const n = passages.length + 1;
    passages.push({
      n,
      chunkId: hit.chunkId,
      documentId: hit.documentId,
      name: hit.name,
      page: hit.page,
      tokens: hit.tokens,
      score: hit.score,
      bm25: hit.bm25,
      bm25Rank: hit.bm25Rank,
      vectorRank: hit.vectorRank,
    });
    sections.push(`[${n}] ${label(hit.name, hit.page)}\n${hit.text}`);
  }
  const why =
    `${documentTokens} tokens of documents (estimate, ×${ESTIMATE_MARGIN} margin = ${needed}) exceed the ${room} the context leaves; ` +
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
      tokenBasis: 'estimate',
      files,
      passages,
      embeddings: documents.embeddingStatus(),
    },
  };
}
