// Full-text search over messages and titles (FTS5; the index and its triggers are in migrations.ts).
import type { DatabaseSync } from 'node:sqlite';
import { MARK_END, MARK_START, ftsQuery, splitSnippet, type SearchHit } from '../../../shared/search.ts';

interface HitRow {
  conversation_id: string;
  message_id: string | null;
  snip: string;
  title: string;
  role: 'user' | 'assistant' | null;
  created_at: number | null;
  conversation_created_at: number;
}

export class SearchStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Newest first: FTS5 walks its rowids backwards and stops at the limit, so a common word stays fast. */
  search(text: string, limit = 50): SearchHit[] {
    const match = ftsQuery(text);
    if (!match) return [];
    const rows = this.db
      .prepare(
        // The hits are picked and cut to the limit inside FTS5 first; joined afterwards, so the planner
        // never joins every match of a common word before sorting.
        `SELECT r.conversation_id, r.message_id, c.title, m.role, m.created_at,
                c.created_at AS conversation_created_at, hits.snip
           FROM (SELECT rowid, snippet(search_index, 0, '${MARK_START}', '${MARK_END}', '…', 16) AS snip
                   FROM search_index
                  WHERE search_index MATCH ?
                  ORDER BY rowid DESC
                  LIMIT ?) AS hits
           JOIN search_rows r ON r.rowid = hits.rowid
           JOIN conversations c ON c.id = r.conversation_id
           LEFT JOIN messages m ON m.id = r.message_id
          ORDER BY hits.rowid DESC`,
      )
      .all(match, limit) as unknown as HitRow[];
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      conversationTitle: r.title,
      messageId: r.message_id,
      role: r.role,
      snippet: splitSnippet(r.snip),
      createdAt: Number(r.created_at ?? r.conversation_created_at),
    }));
  }
}
