// Conversations and their messages. One transaction per write; messages are ordered by seq.
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import {
  conversationSettings,
  defaultSettings,
  messageStats,
  type Conversation,
  type ConversationSettings,
  type Message,
  type MessageStats,
} from '../../../shared/schemas.ts';
import { RpcError } from '../../../shared/rpc.ts';
import { routeTrace, type RouteTrace } from '../../../shared/router/schemas.ts';
import { transaction } from './database.ts';

interface ConversationRow {
  id: string;
  title: string;
  model_id: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
}
interface MessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  text: string;
  status: Message['status'];
  stats: string | null;
  error: string | null;
  trace: string | null;
  created_at: number;
}

function toConversation(row: ConversationRow): Conversation {
  const parsed = conversationSettings.safeParse(JSON.parse(row.settings));
  return {
    id: row.id,
    title: row.title,
    modelId: row.model_id,
    settings: parsed.success ? parsed.data : defaultSettings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMessage(row: MessageRow): Message {
  const stats = row.stats ? messageStats.safeParse(JSON.parse(row.stats)) : null;
  const trace = row.trace ? routeTrace.safeParse(JSON.parse(row.trace)) : null;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    text: row.text,
    status: row.status,
    stats: stats?.success ? stats.data : null,
    error: row.error,
    trace: trace?.success ? trace.data : null,
    createdAt: row.created_at,
  };
}

export class ConversationStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  list(query?: string): Conversation[] {
    const rows = query
      ? this.db
          .prepare(`SELECT * FROM conversations WHERE title LIKE ? ESCAPE '\\' ORDER BY updated_at DESC`)
          .all(`%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : this.db.prepare('SELECT * FROM conversations ORDER BY updated_at DESC').all();
    return (rows as unknown as ConversationRow[]).map(toConversation);
  }

  get(id: string): Conversation {
    const row = this.db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    if (!row) throw new RpcError('not_found', `No conversation ${id}`);
    return toConversation(row);
  }

  create(title: string, modelId: string | null, settings: ConversationSettings = defaultSettings): Conversation {
    const now = Date.now();
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO conversations (id, title, model_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, title, modelId, JSON.stringify(settings), now, now);
    return this.get(id);
  }

  update(id: string, change: { title?: string; modelId?: string; settings?: ConversationSettings }): Conversation {
    const current = this.get(id);
    this.db
      .prepare('UPDATE conversations SET title = ?, model_id = ?, settings = ?, updated_at = ? WHERE id = ?')
      .run(
        change.title ?? current.title,
        change.modelId ?? current.modelId,
        JSON.stringify(change.settings ?? current.settings),
        Date.now(),
        id,
      );
    return this.get(id);
  }

  delete(id: string): void {
    this.get(id);
    this.db.prepare('DELETE FROM conversations WHERE id = ?').run(id);
  }

  messages(conversationId: string): Message[] {
    const rows = this.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq').all(conversationId);
    return (rows as unknown as MessageRow[]).map(toMessage);
  }

  message(id: string): Message {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    if (!row) throw new RpcError('not_found', `No message ${id}`);
    return toMessage(row);
  }

  addMessage(conversationId: string, role: Message['role'], text: string, status: Message['status']): Message {
    const id = randomUUID();
    transaction(this.db, () => {
      const now = Date.now();
      const { next } = this.db
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE conversation_id = ?')
        .get(conversationId) as { next: number };
      this.db
        .prepare(
          `INSERT INTO messages (id, conversation_id, seq, role, text, status, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, conversationId, next, role, text, status, now, now);
      this.db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(now, conversationId);
    });
    return this.message(id);
  }

  /** Saves a streaming answer as it grows. */
  saveText(id: string, text: string): void {
    this.db.prepare('UPDATE messages SET text = ?, updated_at = ? WHERE id = ?').run(text, Date.now(), id);
  }

  finish(
    id: string,
    text: string,
    status: Message['status'],
    stats: MessageStats | null,
    error: string | null,
    trace: RouteTrace | null = null,
  ): Message {
    this.db
      .prepare('UPDATE messages SET text = ?, status = ?, stats = ?, error = ?, trace = ?, updated_at = ? WHERE id = ?')
      .run(
        text,
        status,
        stats ? JSON.stringify(stats) : null,
        error,
        trace ? JSON.stringify(trace) : null,
        Date.now(),
        id,
      );
    return this.message(id);
  }

  /** Keeps the routing trace as it grows (consent asked, dispatched), so a crash does not lose it. */
  saveTrace(id: string, trace: RouteTrace): void {
    this.db.prepare('UPDATE messages SET trace = ? WHERE id = ?').run(JSON.stringify(trace), id);
  }

  /** The figures of every finished answer, for the telemetry summary. */
  answerStats(): MessageStats[] {
    const rows = this.db.prepare(`SELECT stats FROM messages WHERE role = 'assistant' AND stats IS NOT NULL`).all() as {
      stats: string;
    }[];
    return rows.flatMap((r) => {
      const p = messageStats.safeParse(JSON.parse(r.stats));
      return p.success ? [p.data] : [];
    });
  }

  /** How many answers each tier gave, for the routing history. */
  tierCounts(): Record<string, number> {
    const rows = this.db
      .prepare(
        `SELECT json_extract(trace, '$.answeredBy.tier') AS tier, COUNT(*) AS n FROM messages WHERE trace IS NOT NULL AND json_extract(trace, '$.answeredBy.tier') IS NOT NULL GROUP BY tier`,
      )
      .all() as { tier: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.tier, Number(r.n)]));
  }

  /** Removes every message after the given one (for regenerate and edit). */
  truncateAfter(conversationId: string, messageId: string, inclusive: boolean): void {
    const target = this.message(messageId);
    if (target.conversationId !== conversationId)
      throw new RpcError('not_found', `Message ${messageId} is not in this conversation`);
    const { seq } = this.db.prepare('SELECT seq FROM messages WHERE id = ?').get(messageId) as { seq: number };
    this.db
      .prepare(`DELETE FROM messages WHERE conversation_id = ? AND seq ${inclusive ? '>=' : '>'} ?`)
      .run(conversationId, seq);
  }

  /** Answers that were streaming when the app died keep their text and are marked interrupted. */
  markInterrupted(): number {
    const result = this.db
      .prepare(
        `UPDATE messages SET status = 'interrupted', error = 'Edgewise stopped while this answer was being written; the text up to that moment was kept.' WHERE status = 'streaming'`,
      )
      .run();
    return Number(result.changes);
  }
}
