// One answer at a time per conversation: store the user's turn, then hand the answer to an AnswerRun,
// which routes it, streams it and saves it. Regenerate, edit and escalate add a new version beside the
// old one (a branch, shared/branches.ts) and never delete it; the model is sent the chosen path only.
import { RpcError } from '../../../shared/rpc.ts';
import type { Message } from '../../../shared/schemas.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import { AnswerRun, type AnswerRunDeps } from './answerRun.ts';
import type { Turn } from './onDeviceAnswer.ts';

/** What each answer needs, plus the whole conversation store for the turns around it. */
export interface ChatServiceOptions extends AnswerRunDeps {
  store: ConversationStore;
}

export class ChatService {
  private readonly options: ChatServiceOptions;
  private active = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(options: ChatServiceOptions) {
    this.options = options;
  }

  private assertIdle(conversationId: string) {
    if (this.active.has(conversationId)) {
      throw new RpcError('busy', 'An answer is still being written in this conversation: stop it first.');
    }
  }

  send(conversationId: string, text: string): { userMessage: Message; assistantMessage: Message } {
    const { store } = this.options;
    store.get(conversationId);
    this.assertIdle(conversationId);
    const userMessage = store.addMessage(conversationId, 'user', text, 'done');
    if (store.messages(conversationId).length === 1 && store.get(conversationId).title === 'New conversation') {
      store.update(conversationId, { title: text.trim().replace(/\s+/g, ' ').slice(0, 60) });
    }
    return { userMessage, assistantMessage: this.startAnswer(conversationId) };
  }

  regenerate(conversationId: string): { assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const messages = store.messages(conversationId);
    const lastUser = messages.findLast((m) => m.role === 'user');
    if (!lastUser) throw new RpcError('bad_input', 'There is nothing to regenerate: send a message first.');
    return { assistantMessage: this.startAnswer(conversationId, lastUser.id) };
  }

  edit(conversationId: string, messageId: string, text: string): { userMessage: Message; assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const target = store.message(messageId);
    if (target.conversationId !== conversationId)
      throw new RpcError('not_found', 'That message is not in this conversation');
    if (target.role !== 'user') throw new RpcError('bad_input', 'Only your own messages can be edited');
    // The edited text is a new version beside the old one: same parent, and the old answer stays with the old text.
    const userMessage = store.addMessage(conversationId, 'user', text, 'done', target.parentId ?? null);
    return { userMessage, assistantMessage: this.startAnswer(conversationId, userMessage.id) };
  }

  /** Shows another version of a message; not while an answer is being written (it would vanish mid-stream). */
  showBranch(conversationId: string, messageId: string): void {
    const { store } = this.options;
    store.get(conversationId);
    if (store.onPath(conversationId, messageId)) return;
    this.assertIdle(conversationId);
    store.showBranch(conversationId, messageId);
  }

  deleteBranch(conversationId: string, messageId: string): { deleted: number; shownId: string | null } {
    this.options.store.get(conversationId);
    this.assertIdle(conversationId);
    return this.options.store.deleteBranch(conversationId, messageId);
  }

  stop(conversationId: string): void {
    this.active.get(conversationId)?.controller.abort();
  }

  /** Resolves when the conversation's current answer (if any) has finished and been saved. */
  async settled(conversationId: string): Promise<void> {
    await this.active.get(conversationId)?.done;
  }

  async stopAll(): Promise<void> {
    for (const { controller } of this.active.values()) controller.abort();
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Asks a higher tier again after a local answer the model itself was unsure of. */
  escalate(conversationId: string): { assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const messages = store.messages(conversationId);
    const last = messages.at(-1);
    const lastUser = messages.findLast((m) => m.role === 'user');
    const offered = last?.role === 'assistant' ? last.trace?.offerEscalation : null;
    if (!last || !lastUser || !offered || offered === 'device')
      throw new RpcError('bad_input', 'The last answer did not offer to ask a higher tier.');
    const reason = `The on-device answer had a mean token confidence of ${last.trace?.confidence?.toFixed(2)}, below your threshold; you asked the ${offered === 'private' ? 'private server' : 'partner cloud'} instead.`;
    return { assistantMessage: this.startAnswer(conversationId, lastUser.id, { tier: offered, reason }) };
  }

  /**
   * Starts an answer to `after` (a user message; by default the chosen path's last message). A new
   * answer to a message that already had one is a new version of it, shown in its place.
   */
  private startAnswer(
    conversationId: string,
    after?: string,
    forced?: { tier: 'private' | 'partner'; reason: string },
  ): Message {
    const { store } = this.options;
    const assistant = store.addMessage(conversationId, 'assistant', '', 'streaming', after);
    // The chosen path (which now ends in the new answer) is all the model sees: no other branch's turns.
    const history = store
      .messages(conversationId)
      .filter((m) => m.id !== assistant.id && m.text.length > 0)
      .map((m) => ({ role: m.role, text: m.text, ...(m.thoughts ? { thoughts: m.thoughts } : {}) }));
    const controller = new AbortController();
    const done = this.run(conversationId, assistant.id, history, controller.signal, forced).finally(() =>
      this.active.delete(conversationId),
    );
    this.active.set(conversationId, { controller, done });
    return assistant;
  }

  private run(
    conversationId: string,
    messageId: string,
    history: Turn[],
    signal: AbortSignal,
    forced?: { tier: 'private' | 'partner'; reason: string },
  ): Promise<void> {
    const conversation = this.options.store.get(conversationId);
    return new AnswerRun(this.options, { conversation, messageId, history, signal, forced }).execute();
  }
}
