// Full-text search over every message and title: the hit as it crosses the contract, and the one way
// user text becomes an FTS5 query. Only letters and digits survive, each term quoted, so `"`, `*`,
// `NEAR`, `-`, `(` or an unbalanced quote are searched as text and never reach FTS5 as syntax.
import { z } from 'zod';
import { id } from './schemas.ts';

export const snippetPart = z.object({ text: z.string(), mark: z.boolean() });
export type SnippetPart = z.infer<typeof snippetPart>;

export const searchHit = z.object({
  conversationId: id,
  conversationTitle: z.string(),
  /** null when the title matched. */
  messageId: id.nullable(),
  role: z.enum(['user', 'assistant']).nullable(),
  /** The matching passage, the matched words marked. */
  snippet: z.array(snippetPart),
  createdAt: z.number(),
});
export type SearchHit = z.infer<typeof searchHit>;

const MAX_TERMS = 16;

/** "" when the text has nothing to search for. The last term matches as a prefix (search as you type). */
export function ftsQuery(text: string): string {
  const terms = (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** Marks that FTS5's snippet() puts around matches: private-use characters no one types. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const piece of snippet.split(MARK_START)) {
    const end = piece.indexOf(MARK_END);
    if (end < 0) {
      if (piece) parts.push({ text: piece, mark: false });
      continue;
    }
    parts.push({ text: piece.slice(0, end), mark: true });
    if (end + 1 < piece.length) parts.push({ text: piece.slice(end + 1), mark: false });
  }
  return parts;
}
