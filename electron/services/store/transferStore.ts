// Reading conversations out whole for export, and writing an import in one transaction. Ids already in
// the database (or repeated inside the file) get new ones: an import never overwrites anything.
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import type { ExportedConversation, ImportResult } from '../../../shared/exportFormat.ts';
import { RpcError } from '../../../shared/rpc.ts';
import { ConversationStore } from './conversationStore.ts';
import { transaction } from './database.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { chosenPath } from '../../../shared/branches.ts';

export class TransferStore {
  private readonly db: DatabaseSync;
  private readonly conversations: ConversationStore;
  constructor(db: DatabaseSync) {
    this.db = db;
    this.conversations = new ConversationStore(db);
  }

  /** One conversation, or all of them (most recent first), with every branch's messages in creation order. */
  read(conversationId?: string): ExportedConversation[] {
    const list = conversationId ? [this.conversations.get(conversationId)] : this.conversations.list();
    const updated = this.db.prepare('SELECT id, updated_at FROM messages WHERE conversation_id = ?');
    return list.map((c) => {
      const times = new Map(
        (updated.all(c.id) as { id: string; updated_at: number }[]).map((r) => [r.id, Number(r.updated_at)]),
      );
      return {
        ...c,
        leafId: this.conversations.leafOf(c.id),
        messages: this.conversations.allMessages(c.id).map(({ conversationId: _, parentId, ...m }) => ({
          ...m,
          parentId: parentId ?? null,
          updatedAt: times.get(m.id) ?? m.createdAt,
          ...(m.thoughts && m.stats?.thoughtTokens != null ? { thoughtTokens: m.stats.thoughtTokens } : {}),
        })),
      };
    });
  }

  write(conversations: ExportedConversation[]): ImportResult {
    const taken = new Set<string>();
    let remappedIds = 0;
    const conversationExists = this.db.prepare('SELECT 1 FROM conversations WHERE id = ?');
    const messageExists = this.db.prepare('SELECT 1 FROM messages WHERE id = ?');
    const fresh = (id: string, exists: ReturnType<DatabaseSync['prepare']>) => {
      if (!taken.has(id) && !exists.get(id)) {
        taken.add(id);
        return id;
      }
      remappedIds++;
      const next = randomUUID();
      taken.add(next);
      return next;
    };
    const insertConversation = this.db.prepare(
      'INSERT INTO conversations (id, title, model_id, settings, created_at, updated_at, leaf_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertMessage = this.db.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, seq, role, text, thoughts, status, stats, error, trace, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const setLeaf = this.db.prepare('UPDATE conversations SET leaf_id = ? WHERE id = ?');
    const remember = this.db.prepare('UPDATE messages SET chosen_child = ? WHERE id = ?');
    let messages = 0;
    const ids: string[] = [];
    try {
      transaction(this.db, () => {
        for (const c of conversations) {
          const cid = fresh(c.id, conversationExists);
          ids.push(cid);
          insertConversation.run(cid, c.title, c.modelId, JSON.stringify(c.settings), c.createdAt, c.updatedAt, null);
          // The file's ids to the ones saved here (a taken id gets a new one): parents and the leaf follow them.
          const saved = new Map<string, string>();
          c.messages.forEach((m, index) => {
            const mid = fresh(m.id, messageExists);
            insertMessage.run(
              mid,
              cid,
              m.parentId === null ? null : (saved.get(m.parentId) ?? null),
              index + 1,
              m.role,
              m.text,
              m.thoughts ?? null,
              // An answer that was streaming in the exporting app will never finish here.
              m.status === 'streaming' ? 'interrupted' : m.status,
              m.stats ? JSON.stringify(m.stats) : null,
              m.error,
              m.trace ? JSON.stringify(m.trace) : null,
              m.createdAt,
              m.updatedAt ?? m.createdAt,
            );
            saved.set(m.id, mid);
            messages++;
          });
          if (c.leafId !== null) setLeaf.run(saved.get(c.leafId) ?? null, cid);
          // Each message on the chosen path remembers the version shown below it, as in the app it came from.
          const path = chosenPath(c.messages, c.leafId).map((m) => saved.get(m.id)!);
          for (let i = 1; i < path.length; i++) remember.run(path[i]!, path[i - 1]!);
        }
      });
    } catch (error) {
      throw new RpcError('internal', `The import was rolled back, nothing was saved: ${errorMessage(error)}`);
    }
    return { conversations: conversations.length, messages, remappedIds, ids };
  }
}
