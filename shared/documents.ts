// Attached documents as they cross the contract and live in a message's trace: what was attached, how
// many tokens each holds, and which passages an answer was given (the citations [1], [2] point at these).
import { z } from 'zod';

/** The caps, stated once: the UI, the CLI and the error messages all quote these. */
export const DOCUMENT_LIMITS = {
  /** One file, before any reading (a 500 MB PDF is refused from its size alone). */
  fileBytes: 25 * 1024 * 1024,
  /** Files attached to one conversation, and in one folder attached at once. */
  files: 1000,
  /** All attached bytes of one conversation together. */
  conversationBytes: 200 * 1024 * 1024,
  /** Text kept from one file after extraction (about 500,000 tokens). */
  textChars: 2_000_000,
  /** PDF pages read from one file. */
  pdfPages: 2000,
  /** A .docx unpacks to at most this much (a zip bomb declares far more). */
  docxUnpackedBytes: 100 * 1024 * 1024,
} as const;

/** Chunking for retrieval: token windows with an overlap, so a sentence cut at a border is whole in one. */
export const CHUNK_TOKENS = 200;
export const CHUNK_OVERLAP_TOKENS = 40;

export const documentKind = z.enum(['text', 'markdown', 'code', 'csv', 'json', 'pdf', 'docx']);
export type DocumentKind = z.infer<typeof documentKind>;

const byExtension: Record<string, DocumentKind> = {
  '.txt': 'text',
  '.text': 'text',
  '.log': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.jsonl': 'json',
  '.pdf': 'pdf',
  '.docx': 'docx',
};
const codeExtensions = new Set(
  (
    '.ts .tsx .js .jsx .mjs .cjs .py .rb .rs .go .java .kt .swift .c .h .cc .cpp .hpp .cs .php .sh .bash .zsh ' +
    '.ps1 .sql .css .scss .html .htm .xml .yaml .yml .toml .ini .cfg .conf .lua .r .m .scala .dart .vue .svelte'
  ).split(' '),
);

/** A document's kind from its name; null for a name that says nothing (a lone file is then read as text if
 *  its bytes are, and a folder's such files are skipped). */
export function documentKindOf(name: string): DocumentKind | null {
  const dot = name.lastIndexOf('.');
  const ext = dot > name.lastIndexOf('/') && dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (byExtension[ext]) return byExtension[ext];
  if (codeExtensions.has(ext)) return 'code';
  return null;
}

/** How a token count was made: the loaded model's tokenizer, or an estimate (4 characters per token). */
export const tokenBasis = z.enum(['tokenizer', 'estimate']);
export type TokenBasis = z.infer<typeof tokenBasis>;

export const documentInfo = z.object({
  id: z.string(),
  conversationId: z.string(),
  name: z.string(),
  kind: documentKind,
  /** The file on disk (attached by path); null when its bytes were uploaded from the window. */
  path: z.string().nullable(),
  bytes: z.number(),
  pages: z.number().nullable(),
  tokens: z.number(),
  tokenBasis,
  chunks: z.number(),
  addedAt: z.number(),
});
export type DocumentInfo = z.infer<typeof documentInfo>;

/** One passage given to the model: its number in the answer ([n]) and where it came from. */
export const citedPassage = z.object({
  n: z.number(),
  /** The chunk retrieved; null when a whole file (or PDF page) went in. */
  chunkId: z.number().nullable(),
  documentId: z.string(),
  name: z.string(),
  page: z.number().nullable(),
  tokens: z.number(),
  /** Reciprocal-rank-fused score; null when the whole document went in. */
  score: z.number().nullable(),
  bm25: z.number().nullable(),
  bm25Rank: z.number().nullable(),
  vectorRank: z.number().nullable(),
});
export type CitedPassage = z.infer<typeof citedPassage>;

/** What the documents added to one answer, kept in the message's routing trace. */
export const documentsTrace = z.object({
  mode: z.enum(['whole', 'retrieved']),
  /** Why this mode: the documents' tokens against the room the context leaves. */
  why: z.string(),
  budgetTokens: z.number(),
  documentTokens: z.number(),
  tokenBasis,
  files: z.array(z.object({ name: z.string(), tokens: z.number() })),
  passages: z.array(citedPassage),
  /** The rankings fused for retrieved passages: bm25 alone, or bm25 and cosine on embeddings (absent when whole). */
  rankings: z.array(z.enum(['bm25', 'vector'])).optional(),
  /** Embeddings took part in the ranking, or why not. */
  embeddings: z.string(),
});
export type DocumentsTrace = z.infer<typeof documentsTrace>;

export const passage = z.object({
  chunkId: z.number().nullable(),
  documentId: z.string(),
  name: z.string(),
  page: z.number().nullable(),
  /** The page (or file) text around the passage, with the passage itself between before and after. */
  before: z.string(),
  text: z.string(),
  after: z.string(),
});
export type Passage = z.infer<typeof passage>;

export const attachResult = z.object({
  attached: z.array(documentInfo),
  rejected: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type AttachResult = z.infer<typeof attachResult>;

/** A labelled estimate where no tokenizer is at hand: about 4 characters per token for English text and code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
