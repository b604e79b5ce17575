// One answer at a time per conversation: store the user's turn, stream the model's answer as batched
// deltas, save the growing answer at least twice a second, and keep whatever was shown when it stops,
// fails or the engine dies.
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../../shared/rpc.ts';
import type { Message, MessageStats, ModelInfo, StopReason } from '../../../shared/schemas.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { AppEmit } from '../events.ts';

const DELTA_BATCH_MS = 16;
const SAVE_EVERY_MS = 500;

export interface ChatServiceOptions {
  store: ConversationStore;
  engine: EngineHost;
  emit: AppEmit;
  /** Loads the conversation's model when the engine holds another one. */
  ensureModel: (modelId: string | null) => Promise<ModelInfo>;
}

export class ChatService {
  private readonly options: ChatServiceOptions;
  private active = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(options: ChatServiceOptions) {
    this.options = options;
  }

  isBusy(conversationId: string): boolean {
    return this.active.has(conversationId);
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
    store.truncateAfter(conversationId, lastUser.id, false);
    return { assistantMessage: this.startAnswer(conversationId) };
  }

  edit(conversationId: string, messageId: string, text: string): { userMessage: Message; assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const target = store.message(messageId);
    if (target.conversationId !== conversationId) throw new RpcError('not_found', 'That message is not in this conversation');
    if (target.role !== 'user') throw new RpcError('bad_input', 'Only your own messages can be edited');
    store.truncateAfter(conversationId, messageId, true);
    const userMessage = store.addMessage(conversationId, 'user', text, 'done');
    return { userMessage, assistantMessage: this.startAnswer(conversationId) };
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

  private startAnswer(conversationId: string): Message {
    const { store } = this.options;
    const history = store.messages(conversationId)
      .filter((m) => m.text.length > 0)
      .map((m) => ({ role: m.role, text: m.text }));
    const assistant = store.addMessage(conversationId, 'assistant', '', 'streaming');
    const controller = new AbortController();
    const done = this.run(conversationId, assistant.id, history, controller.signal)
      .finally(() => this.active.delete(conversationId));
    this.active.set(conversationId, { controller, done });
    return assistant;
  }

  private async run(conversationId: string, messageId: string, history: { role: 'user' | 'assistant'; text: string }[], signal: AbortSignal) {
    const { store, engine, emit } = this.options;
    const conversation = store.get(conversationId);
    let text = '';
    let pending = '';
    let outputTokens = 0;
    let firstAt = 0;
    let batchTimer: NodeJS.Timeout | null = null;
    let lastSave = Date.now();
    const flush = () => {
      batchTimer = null;
      if (!pending) return;
      const elapsed = (performance.now() - firstAt) / 1000;
      emit('chat.delta', {
        conversationId, messageId, delta: pending, outputTokens,
        tokensPerSec: elapsed > 0.05 && outputTokens > 1 ? (outputTokens - 1) / elapsed : null,
      });
      pending = '';
    };
    const finish = (status: Message['status'], stats: MessageStats | null, error: string | null, stopReason: StopReason) => {
      if (batchTimer) clearTimeout(batchTimer);
      flush();
      const message = store.finish(messageId, text, status, stats, error);
      emit('chat.done', { conversationId, message, stopReason });
      emit('conversations.changed', { id: conversationId });
    };
    let model: ModelInfo | null = null;
    try {
      model = await this.options.ensureModel(conversation.modelId);
      const result = await engine.generate({
        requestId: randomUUID(), mode: 'chat', systemPrompt: conversation.settings.systemPrompt, history,
        sampling: conversation.settings.sampling, contextSize: conversation.settings.contextSize,
      }, (delta, tokens) => {
        if (!firstAt) firstAt = performance.now();
        text += delta;
        pending += delta;
        outputTokens = tokens;
        batchTimer ??= setTimeout(flush, DELTA_BATCH_MS);
        if (Date.now() - lastSave >= SAVE_EVERY_MS) {
          store.saveText(messageId, text);
          lastSave = Date.now();
        }
      }, signal);
      text = result.text;
      const stats: MessageStats = {
        modelFile: basename(model.path), quantization: model.quantization, backend: engine.status.backend ?? 'cpu',
        ttftMs: result.ttftMs, promptTokens: result.promptTokens, prefillTokensPerSec: result.prefillTokensPerSec,
        outputTokens: result.outputTokens, decodeTokensPerSec: result.decodeTokensPerSec, stopReason: result.stopReason,
        contextShifted: result.contextShifted,
      };
      finish(result.stopReason === 'aborted' ? 'aborted' : 'done', stats, null, result.stopReason);
    } catch (error) {
      const code = error instanceof RpcError ? error.code : 'internal';
      const message = error instanceof Error ? error.message : String(error);
      if (code === 'aborted') finish('aborted', null, null, 'aborted');
      else finish('error', null, message, code === 'engine_crashed' ? 'crashed' : 'error');
    }
  }
}
