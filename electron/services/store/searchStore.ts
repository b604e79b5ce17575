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
        `SELECT r.conversation_id, r.message_id, c.title, m.role, m.created_at,
                c.created_at AS conversation_created_at,
                snippet(search_index, 0, '${MARK_START}', '${MARK_END}', '…', 16) AS snip
           FROM search_index
           JOIN search_rows r ON r.rowid = search_index.rowid
           JOIN conversations c ON c.id = r.conversation_id
           LEFT JOIN messages m ON m.id = r.message_id
          WHERE search_index MATCH ?
          ORDER BY search_index.rowid DESC
          LIMIT ?`,
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
