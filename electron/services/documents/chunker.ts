// Splits page texts into overlapping windows of about CHUNK_TOKENS tokens for retrieval. A chunk never
// crosses a page, so every passage has one page number; borders fall on white space where there is some.
import { CHUNK_OVERLAP_TOKENS, CHUNK_TOKENS } from '../../../shared/documents.ts';

export interface Chunk {
  /** 1-based page, or null for a file without pages. */
  page: number | null;
  /** Character offsets into the page text. */
  start: number;
  end: number;
  text: string;
}

/** Characters per token of the estimate the windows are cut by when no tokenizer measured the file (see
 *  estimateTokens); with one, the file's own measured ratio is passed in. */
const CHARS_PER_TOKEN = 4;

function backToSpace(text: string, at: number, floor: number): number {
  if (at >= text.length) return text.length;
  for (let i = at; i > floor; i--) if (/\s/.test(text[i]!)) return i;
  return at;
}

export function chunkPages(
  pages: string[],
  paged: boolean,
  size = CHUNK_TOKENS,
  overlap = CHUNK_OVERLAP_TOKENS,
  charsPerToken = CHARS_PER_TOKEN,
): Chunk[] {
  const ratio = Math.min(16, Math.max(1, charsPerToken));
  const width = Math.round(size * ratio);
  const step = Math.round((size - overlap) * ratio);
  const chunks: Chunk[] = [];
  pages.forEach((text, index) => {
    const page = paged ? index + 1 : null;
    let start = 0;
    while (start < text.length) {
      const end = backToSpace(text, start + width, start + step / 2);
      const piece = text.slice(start, end).trim();
      if (piece) chunks.push({ page, start, end, text: piece });
      if (end >= text.length) break;
      // The next window starts `overlap` tokens back, at a word start.
      let next = backToSpace(text, Math.max(start + 1, end - Math.round(overlap * ratio)), start);
      while (next < end && /\s/.test(text[next]!)) next++;
      start = next > start ? next : end;
    }
  });
  return chunks;
}
