// Conversations and chat: the store keeps them, ChatService runs the answers.
import type { Handlers } from '../../../shared/rpc.ts';
import type { chatContract } from '../../../shared/contract/chat.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import type { ChatService } from './chatService.ts';
import type { PresetStore } from '../store/presetStore.ts';
import type { ConversationTools } from '../toolUse/conversationTools.ts';
import { presetSettings } from '../../../shared/presets.ts';

export function chatHandlers(deps: {
  store: ConversationStore;
  chat: Pick<
    ChatService,
    'send' | 'stop' | 'settled' | 'regenerate' | 'escalate' | 'edit' | 'showBranch' | 'deleteBranch'
  >;
  library: Pick<ModelLibrary, 'get'>;
  engine: Pick<EngineHost, 'loadedModel'>;
  /** A model's default preset: new conversations with it start from its settings. */
  presets?: Pick<PresetStore, 'forModel'>;
  /** Its "Allow for this conversation" answers go with a deleted conversation. */
  tools?: Pick<ConversationTools, 'forget'>;
}): Handlers<typeof chatContract> {
  const { store, chat, library, engine, presets, tools } = deps;
  const view = (id: string) => ({
    conversation: store.get(id),
    messages: store.messages(id),
    branches: store.branchView(id),
  });
  return {
    'conversations.list': ({ query }) => store.list(query),
    'conversations.create': async ({ title, modelId }) => {
      if (modelId) await library.get(modelId);
      const model = modelId ?? engine.loadedModel?.id ?? null;
      const preset = presets?.forModel(model);
      return store.create(title ?? 'New conversation', model, preset ? presetSettings(preset) : undefined);
    },
    'conversations.get': ({ id }) => view(id),
    'conversations.showBranch': ({ conversationId, messageId }) => {
      chat.showBranch(conversationId, messageId);
      return view(conversationId);
    },
    'conversations.deleteBranch': ({ conversationId, messageId }) => ({
      ...chat.deleteBranch(conversationId, messageId),
      ...view(conversationId),
    }),
    'conversations.rename': ({ id, title }) => store.update(id, { title }),
    'conversations.update': async ({ id, modelId, settings }) => {
      if (modelId) await library.get(modelId);
      return store.update(id, { modelId, settings });
    },
    'conversations.delete': async ({ id }) => {
      chat.stop(id);
      await chat.settled(id);
      store.delete(id);
      tools?.forget(id);
      return { ok: true as const };
    },
    'chat.send': ({ conversationId, text }) => chat.send(conversationId, text),
    'chat.stop': ({ conversationId }) => {
      chat.stop(conversationId);
      return { ok: true as const };
    },
    'chat.regenerate': ({ conversationId }) => chat.regenerate(conversationId),
    'chat.escalate': ({ conversationId }) => chat.escalate(conversationId),
    'chat.edit': ({ conversationId, messageId, text }) => chat.edit(conversationId, messageId, text),
  };
}
