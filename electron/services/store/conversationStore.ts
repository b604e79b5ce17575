// Conversations and their messages. One transaction per write. Messages form a tree (parent_id; seq is
// creation order, so a parent always comes before its children) and each conversation stores the last
// message of the path the user chose (leaf_id); shared/branches.ts has the tree's pure rules.
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
import { chosenPath, leafUnder, siblingsOf, type BranchView, type TreeNode } from '../../../shared/branches.ts';

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
  parent_id: string | null;
  role: 'user' | 'assistant';
  text: string;
  thoughts: string | null;
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
    parentId: row.parent_id,
    role: row.role,
    text: row.text,
    ...(row.thoughts !== null ? { thoughts: row.thoughts } : {}),
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

  /** The chosen path, first message first: what the user sees and what the model is sent. */
  messages(conversationId: string): Message[] {
    const leaf = this.leafOf(conversationId);
    if (!leaf) return [];
    const rows = this.db
      .prepare(
        `WITH RECURSIVE path(id, depth) AS (
           SELECT ?, 0
           UNION ALL
           SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id
            WHERE m.parent_id IS NOT NULL AND path.depth < 1000000)
         SELECT m.* FROM path JOIN messages m ON m.id = path.id
          WHERE m.conversation_id = ? ORDER BY path.depth DESC`,
      )
      .all(leaf, conversationId);
    return (rows as unknown as MessageRow[]).map(toMessage);
  }

  /** Every message on every branch, in creation order (parents before children). */
  allMessages(conversationId: string): Message[] {
    const rows = this.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq').all(conversationId);
    return (rows as unknown as MessageRow[]).map(toMessage);
  }

  private nodes(conversationId: string): TreeNode[] {
    const rows = this.db
      .prepare('SELECT id, parent_id, chosen_child FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId) as { id: string; parent_id: string | null; chosen_child: string | null }[];
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id, chosenChild: r.chosen_child }));
  }

  /** Makes `leaf` the end of the chosen path, and each message on it remember the version shown below it. */
  private setLeaf(conversationId: string, leaf: string, nodes = this.nodes(conversationId)): void {
    const path = chosenPath(nodes, leaf);
    const remember = this.db.prepare('UPDATE messages SET chosen_child = ? WHERE id = ? AND chosen_child IS NOT ?');
    for (let i = 1; i < path.length; i++) remember.run(path[i]!.id, path[i - 1]!.id, path[i]!.id);
    this.db.prepare('UPDATE conversations SET leaf_id = ? WHERE id = ?').run(leaf, conversationId);
  }

  /**
   * The chosen path's last message. A leaf that no longer exists (a salvaged database can lose rows)
   * falls back to the newest message, so the conversation still shows something rather than nothing.
   */
  leafOf(conversationId: string): string | null {
    const row = this.db
      .prepare(
        `SELECT m.id FROM conversations c JOIN messages m ON m.id = c.leaf_id AND m.conversation_id = c.id
          WHERE c.id = ?`,
      )
      .get(conversationId) as { id: string } | undefined;
    if (row) return row.id;
    const newest = this.db
      .prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1')
      .get(conversationId) as { id: string } | undefined;
    return newest?.id ?? null;
  }

  /** The leaf and, for each message with other versions, all of them: what the ‹ 2 / 3 › switchers need. */
  branchView(conversationId: string): BranchView {
    return { leafId: this.leafOf(conversationId), siblings: siblingsOf(this.nodes(conversationId)) };
  }

  /** Whether `messageId` is on the chosen path. */
  onPath(conversationId: string, messageId: string): boolean {
    this.assertIn(conversationId, messageId);
    return chosenPath(this.nodes(conversationId), this.leafOf(conversationId)).some((n) => n.id === messageId);
  }

  /**
   * Shows the version `messageId` (and below it the versions last shown there): the path now runs
   * through it. A message already on the path leaves the path as it is, the choices below it included.
   */
  showBranch(conversationId: string, messageId: string): void {
    if (this.onPath(conversationId, messageId)) return;
    transaction(this.db, () => {
      const nodes = this.nodes(conversationId);
      this.setLeaf(conversationId, leafUnder(nodes, messageId), nodes);
    });
  }

  /**
   * Deletes one version of a message and everything that followed it. The last remaining version is
   * refused: that would be deleting the conversation's turn itself, not a branch. When the deleted
   * version was on the chosen path, the next version (or the one before) is shown instead.
   */
  deleteBranch(conversationId: string, messageId: string): { deleted: number; shownId: string | null } {
    this.assertIn(conversationId, messageId);
    return transaction(this.db, () => {
      const nodes = this.nodes(conversationId);
      const target = nodes.find((n) => n.id === messageId)!;
      const versions = nodes.filter((n) => n.parentId === target.parentId);
      if (versions.length < 2)
        throw new RpcError(
          'bad_input',
          'This is the only version of this message, so there is no branch to delete; nothing was deleted.',
        );
      const onPath = chosenPath(nodes, this.leafOf(conversationId)).some((n) => n.id === messageId);
      const result = this.db
        .prepare(
          `DELETE FROM messages WHERE id IN (
             WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id)
             SELECT id FROM sub)`,
        )
        .run(messageId);
      let shownId: string | null = null;
      if (onPath) {
        const at = versions.findIndex((n) => n.id === messageId);
        shownId = (versions[at + 1] ?? versions[at - 1])!.id;
        const left = this.nodes(conversationId);
        this.setLeaf(conversationId, leafUnder(left, shownId), left);
      }
      this.db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(Date.now(), conversationId);
      return { deleted: Number(result.changes), shownId };
    });
  }

  private assertIn(conversationId: string, messageId: string): void {
    if (this.message(messageId).conversationId !== conversationId)
      throw new RpcError('not_found', `Message ${messageId} is not in this conversation`);
  }

  message(id: string): Message {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    if (!row) throw new RpcError('not_found', `No message ${id}`);
    return toMessage(row);
  }

  /**
   * Adds a message after `parentId` (by default after the chosen path's last message; null starts a new
   * first message) and makes it the end of the chosen path.
   */
  addMessage(
    conversationId: string,
    role: Message['role'],
    text: string,
    status: Message['status'],
    parentId?: string | null,
  ): Message {
    const id = randomUUID();
    transaction(this.db, () => {
      const parent = parentId === undefined ? this.leafOf(conversationId) : parentId;
      if (parent) this.assertIn(conversationId, parent);
      const now = Date.now();
      const { next } = this.db
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE conversation_id = ?')
        .get(conversationId) as { next: number };
      this.db
        .prepare(
          `INSERT INTO messages (id, conversation_id, parent_id, seq, role, text, status, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, conversationId, parent, next, role, text, status, now, now);
      if (parent) this.db.prepare('UPDATE messages SET chosen_child = ? WHERE id = ?').run(id, parent);
      this.db.prepare('UPDATE conversations SET leaf_id = ?, updated_at = ? WHERE id = ?').run(id, now, conversationId);
    });
    return this.message(id);
  }

  /** Saves a streaming answer as it grows. */
  saveText(id: string, text: string, thoughts: string | null = null): void {
    this.db
      .prepare('UPDATE messages SET text = ?, thoughts = ?, updated_at = ? WHERE id = ?')
      .run(text, thoughts, Date.now(), id);
  }

  finish(
    id: string,
    text: string,
    status: Message['status'],
    stats: MessageStats | null,
    error: string | null,
    trace: RouteTrace | null = null,
    thoughts: string | null = null,
  ): Message {
    this.db
      .prepare(
        'UPDATE messages SET text = ?, thoughts = ?, status = ?, stats = ?, error = ?, trace = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        text,
        thoughts,
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
