// Conversations and the open one's messages. Answers arrive as deltas and are applied here; nothing polls.
import { create } from 'zustand';
import type { Conversation, ConversationSettings, Message } from '../../../shared/schemas.ts';
import type { BranchView } from '../../../shared/branches.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface Live {
  outputTokens: number;
  tokensPerSec: number | null;
}

interface ChatState {
  conversations: Conversation[];
  query: string;
  currentId: string | null;
  /** The chosen path of the open conversation. */
  messages: Message[];
  /** The versions of each message on the path that has several (‹ 2 / 3 ›). */
  branches: BranchView;
  /** What the last branch deletion did, said once in the chat's status line. */
  branchStatus: string | null;
  live: Record<string, Live>;
  /** When the user pressed send, and when the answer's first token was painted: TTFT on screen. */
  screenTtft: Record<string, number>;
}

export const useChatStore = create<ChatState>(() => ({
  conversations: [],
  query: '',
  currentId: null,
  messages: [],
  branches: { leafId: null, siblings: {} },
  branchStatus: null,
  live: {},
  screenTtft: {},
}));

const noBranches: BranchView = { leafId: null, siblings: {} };

/** The conversation being made by `create`, if any; `settled` waits for it. */
let creating: Promise<void> | null = null;
const settled = () => creating ?? Promise.resolve();

// Each switch of conversation takes a ticket; a slower, older load must not overwrite a newer choice.
let ticket = 0;
/** When the user last pressed send; cleared when that answer's first token arrives. */
let sentAt: number | null = null;

/**
 * Deltas received since the last frame, applied together in the next one: one store update, so one render
 * of the growing answer, per frame however many deltas arrived. On a loaded machine the back end's
 * per-frame batches reach the page in bursts, and each applied alone is a render of its own.
 */
const pending = new Map<string, { conversationId: string; text: string; thought: string; live: Live }>();
let frame = 0;

function applyPending() {
  frame = 0;
  if (!pending.size) return;
  const state = useChatStore.getState();
  const live = { ...state.live };
  let applied = false;
  const messages = state.messages.map((m) => {
    const batch = pending.get(m.id);
    if (!batch) return m;
    pending.delete(m.id);
    applied = true;
    live[m.id] = batch.live;
    return {
      ...m,
      text: m.text + batch.text,
      ...(batch.thought ? { thoughts: (m.thoughts ?? '') + batch.thought } : {}),
    };
  });
  // A first token can come before chat.send's reply has added its message: it waits for it (frame by
  // frame). Deltas of a conversation no longer open are dropped, as they are when they arrive after.
  for (const [id, batch] of pending) if (batch.conversationId !== state.currentId) pending.delete(id);
  if (pending.size) frame = requestAnimationFrame(applyPending);
  if (applied) useChatStore.setState({ messages, live });
}

const subscribe = subscribeOnce(() => {
  rpc().on('chat.delta', ({ conversationId, messageId, delta, thought, outputTokens, tokensPerSec }) => {
    const state = useChatStore.getState();
    if (conversationId !== state.currentId) return;
    const batch = pending.get(messageId);
    if (batch) {
      batch.text += delta;
      batch.thought += thought ?? '';
      batch.live = { outputTokens, tokensPerSec };
    } else
      pending.set(messageId, {
        conversationId,
        text: delta,
        thought: thought ?? '',
        live: { outputTokens, tokensPerSec },
      });
    // The answer's first token is shown at once (its render is small, and it is time to first token on
    // screen); the rest wait for the frame.
    const shown = state.messages.find((m) => m.id === messageId);
    if (shown && !shown.text && !shown.thoughts) applyPending();
    else frame ||= requestAnimationFrame(applyPending);
    if (sentAt !== null && state.screenTtft[messageId] === undefined) {
      const pressed = sentAt;
      sentAt = null;
      // After the next paint (this frame callback runs after the one that applies the delta), the first
      // token is on screen.
      requestAnimationFrame(() =>
        useChatStore.setState((s) => ({ screenTtft: { ...s.screenTtft, [messageId]: performance.now() - pressed } })),
      );
    }
  });
  rpc().on('chat.done', ({ conversationId, message }) => {
    // The finished message holds every delta; one still waiting for its frame must not be added again.
    pending.delete(message.id);
    const state = useChatStore.getState();
    if (conversationId === state.currentId) {
      const { [message.id]: _, ...live } = state.live;
      useChatStore.setState({ messages: state.messages.map((m) => (m.id === message.id ? message : m)), live });
    }
  });
  rpc().on('conversations.changed', () => void chatActions.refreshConversations());
});

export const chatActions = {
  /**
   * The conversation list, and the open conversation (the first one when none is open yet). That first pick
   * is made only if nobody chose meanwhile: New conversation pressed while the list was on its way must not
   * be taken back, or the message typed next goes to the conversation open before (seen in a stress run).
   */
  async load() {
    subscribe();
    const asked = ticket;
    await chatActions.refreshConversations();
    if (ticket !== asked) return;
    const { currentId, conversations } = useChatStore.getState();
    const pick = currentId ?? conversations[0]?.id ?? null;
    if (pick) await chatActions.select(pick);
  },

  async refreshConversations() {
    const conversations = await guarded(() =>
      rpc().call('conversations.list', { query: useChatStore.getState().query || undefined }),
    );
    if (conversations) useChatStore.setState({ conversations });
  },

  async search(query: string) {
    useChatStore.setState({ query });
    await chatActions.refreshConversations();
  },

  async select(id: string) {
    const mine = ++ticket;
    const result = await guarded(() => rpc().call('conversations.get', { id }));
    if (mine !== ticket) return;
    if (result)
      useChatStore.setState({
        currentId: id,
        messages: result.messages,
        branches: result.branches,
        branchStatus: null,
      });
    else useChatStore.setState({ currentId: null, messages: [], branches: noBranches, branchStatus: null });
  },

  /**
   * Opens a conversation with `messageId` on the path shown: a message on another branch (a search hit,
   * a version picked with ‹ ›) switches to that branch, and the choice is stored.
   */
  async showVersion(conversationId: string, messageId: string) {
    const mine = ++ticket;
    const result = await guarded(() => rpc().call('conversations.showBranch', { conversationId, messageId }));
    if (mine !== ticket || !result) return;
    useChatStore.setState({
      currentId: conversationId,
      messages: result.messages,
      branches: result.branches,
      branchStatus: null,
    });
  },

  /** Shows the previous (-1) or next (+1) version of a message on the path; resolves to the version shown. */
  async stepVersion(messageId: string, step: -1 | 1): Promise<string | null> {
    const { currentId, branches } = useChatStore.getState();
    const versions = branches.siblings[messageId];
    if (!currentId || !versions) return null;
    const to = versions[versions.indexOf(messageId) + step];
    if (!to) return null;
    await chatActions.showVersion(currentId, to);
    return useChatStore.getState().messages.some((m) => m.id === to) ? to : null;
  },

  async deleteVersion(messageId: string) {
    const conversationId = useChatStore.getState().currentId;
    if (!conversationId) return;
    const mine = ++ticket;
    const result = await guarded(() => rpc().call('conversations.deleteBranch', { conversationId, messageId }));
    if (mine !== ticket || !result) return;
    const shown = result.shownId ? result.branches.siblings[result.shownId] : undefined;
    const where = !result.shownId
      ? ''
      : shown
        ? ` Showing version ${shown.indexOf(result.shownId) + 1} of ${shown.length}.`
        : ' Showing the one version left.';
    useChatStore.setState({
      messages: result.messages,
      branches: result.branches,
      branchStatus: `Deleted that version and what followed it (${result.deleted} message(s)).${where}`,
    });
  },

  /**
   * Opens a new conversation. It joins the list in the same update that makes it current, so whatever reads
   * the current conversation (Settings, the model picker) finds it at once; a model chosen or a message sent
   * while it is being made waits for it (`settled`) and goes to it, not to the conversation open before.
   */
  async create() {
    const made = (async () => {
      const mine = ++ticket;
      const conversation = await guarded(() => rpc().call('conversations.create', {}));
      if (!conversation || mine !== ticket) return;
      useChatStore.setState((s) => ({
        conversations: [conversation, ...s.conversations.filter((c) => c.id !== conversation.id)],
        currentId: conversation.id,
        messages: [],
        branches: noBranches,
        branchStatus: null,
      }));
    })();
    creating = made;
    try {
      await made;
    } finally {
      if (creating === made) creating = null;
    }
    await chatActions.refreshConversations();
  },

  async rename(id: string, title: string) {
    await guarded(() => rpc().call('conversations.rename', { id, title }));
    await chatActions.refreshConversations();
  },

  async remove(id: string) {
    await guarded(() => rpc().call('conversations.delete', { id }));
    if (useChatStore.getState().currentId === id)
      useChatStore.setState({ currentId: null, messages: [], branches: noBranches, branchStatus: null });
    await chatActions.refreshConversations();
  },

  async send(text: string) {
    sentAt = performance.now();
    await settled();
    let id = useChatStore.getState().currentId;
    if (!id) {
      await chatActions.create();
      id = useChatStore.getState().currentId;
      if (!id) return;
    }
    const conversationId = id;
    const result = await guarded(() => rpc().call('chat.send', { conversationId, text }));
    if (result && useChatStore.getState().currentId === conversationId) {
      useChatStore.setState((s) => ({ messages: [...s.messages, result.userMessage, result.assistantMessage] }));
    }
  },

  async stop() {
    const conversationId = useChatStore.getState().currentId;
    if (conversationId) await guarded(() => rpc().call('chat.stop', { conversationId }));
  },

  async regenerate() {
    const conversationId = useChatStore.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => rpc().call('chat.regenerate', { conversationId }));
    if (result) await chatActions.select(conversationId);
  },

  async escalate() {
    const conversationId = useChatStore.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => rpc().call('chat.escalate', { conversationId }));
    if (result) await chatActions.select(conversationId);
  },

  async edit(messageId: string, text: string) {
    const conversationId = useChatStore.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => rpc().call('chat.edit', { conversationId, messageId, text }));
    if (result) await chatActions.select(conversationId);
  },

  async updateSettings(settings: ConversationSettings) {
    const id = useChatStore.getState().currentId;
    if (!id) return;
    await guarded(() => rpc().call('conversations.update', { id, settings }));
    await chatActions.refreshConversations();
  },

  /** Makes a model the open conversation's (when one is open) and loads it into the engine. */
  async setModel(modelId: string) {
    await settled();
    const id = useChatStore.getState().currentId;
    // Warn first: a model predicted under the reading speed, or a context that will not fit, and what instead.
    const check = await guarded(() => rpc().call('fit.loadCheck', { modelId }));
    if (check?.warning && !window.confirm(`${check.warning}\n\nLoad it anyway?`)) return;
    await guarded(async () => {
      if (id) await rpc().call('conversations.update', { id, modelId });
      await rpc().call('engine.load', { modelId });
    });
    await chatActions.refreshConversations();
  },
};
