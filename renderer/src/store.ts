// UI state. Events from the back end arrive as deltas and are applied here; nothing polls.
import { create } from 'zustand';
import { RpcError, type Client, type EventPayload } from '../../shared/rpc.ts';
import type { AppContract } from '../../shared/contract.ts';
import type {
  Conversation,
  ConversationSettings,
  EngineStatus,
  Message,
  ModelInfo,
  TelemetrySample,
} from '../../shared/schemas.ts';
import { connect } from './transport.ts';

interface Live {
  outputTokens: number;
  tokensPerSec: number | null;
}

interface State {
  connected: boolean;
  dataDir: string;
  engine: EngineStatus | null;
  models: ModelInfo[];
  conversations: Conversation[];
  query: string;
  currentId: string | null;
  messages: Message[];
  live: Record<string, Live>;
  notice: string | null;
  view: 'chat' | 'fit' | 'models' | 'lab' | 'routing';
  /** Telemetry samples per answer (the streaming one and those of this session). */
  samples: Record<string, TelemetrySample[]>;
  /** When the user pressed send, and when the answer's first token was painted: TTFT on screen. */
  screenTtft: Record<string, number>;
  /** Partner dispatches waiting for the user's yes or no, oldest first. */
  consents: EventPayload<AppContract, 'route.consent'>[];
}

export const useApp = create<State>(() => ({
  connected: false,
  dataDir: '',
  engine: null,
  models: [],
  conversations: [],
  query: '',
  currentId: null,
  messages: [],
  live: {},
  notice: null,
  view: 'chat',
  consents: [],
  samples: {},
  screenTtft: {},
}));

let client: Client<AppContract>;
// Each switch of conversation takes a ticket; a slower, older load must not overwrite a newer choice.
let ticket = 0;
/** When the user last pressed send; cleared when that answer's first token arrives. */
let sentAt: number | null = null;

function report(error: unknown) {
  useApp.setState({ notice: error instanceof Error ? error.message : String(error) });
}

/** The contract client, for the stores of other views. */
export const rpc = () => client;

export async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    report(error);
    return undefined;
  }
}

export const actions = {
  async init() {
    client = connect((up) => {
      useApp.setState({ connected: up });
      if (up) void actions.refreshAll();
      else client?.failPending(new RpcError('internal', 'Lost the connection to Edgewise; reconnecting…'));
    });
    client.on('engine.status', (engine) => useApp.setState({ engine }));
    client.on('telemetry.samples', (batch) => {
      useApp.setState((s) => {
        const samples = { ...s.samples };
        for (const sample of batch) samples[sample.messageId] = [...(samples[sample.messageId] ?? []), sample];
        return { samples };
      });
    });
    client.on('chat.delta', ({ conversationId, messageId, delta, outputTokens, tokensPerSec }) => {
      const state = useApp.getState();
      if (conversationId !== state.currentId) return;
      if (sentAt !== null && state.screenTtft[messageId] === undefined) {
        const pressed = sentAt;
        sentAt = null;
        // After the next paint, the first token is on screen.
        requestAnimationFrame(() =>
          useApp.setState((s) => ({ screenTtft: { ...s.screenTtft, [messageId]: performance.now() - pressed } })),
        );
      }
      useApp.setState({
        messages: state.messages.map((m) => (m.id === messageId ? { ...m, text: m.text + delta } : m)),
        live: { ...state.live, [messageId]: { outputTokens, tokensPerSec } },
      });
    });
    client.on('chat.done', ({ conversationId, message }) => {
      const state = useApp.getState();
      if (conversationId === state.currentId) {
        const { [message.id]: _, ...live } = state.live;
        useApp.setState({ messages: state.messages.map((m) => (m.id === message.id ? message : m)), live });
      }
    });
    client.on('conversations.changed', () => void actions.refreshConversations());
    // A model was made, downloaded, renamed or removed, here or by another window.
    client.on('models.changed', () => void actions.refreshModels());
    client.on('route.consent', (request) => useApp.setState((s) => ({ consents: [...s.consents, request] })));
  },

  async refreshAll() {
    await guarded(async () => {
      const [info, engine, models] = await Promise.all([
        client.call('app.info', {}),
        client.call('engine.status', {}),
        client.call('models.list', {}),
      ]);
      useApp.setState({ dataDir: info.dataDir, engine, models });
      await actions.refreshConversations();
      const { currentId, conversations } = useApp.getState();
      const pick = currentId ?? conversations[0]?.id ?? null;
      if (pick) await actions.select(pick);
    });
  },

  async refreshConversations() {
    const conversations = await guarded(() =>
      client.call('conversations.list', { query: useApp.getState().query || undefined }),
    );
    if (conversations) useApp.setState({ conversations });
  },

  async search(query: string) {
    useApp.setState({ query });
    await actions.refreshConversations();
  },

  async select(id: string) {
    const mine = ++ticket;
    const result = await guarded(() => client.call('conversations.get', { id }));
    if (mine !== ticket) return;
    if (result) useApp.setState({ currentId: id, messages: result.messages });
    else useApp.setState({ currentId: null, messages: [] });
  },

  async create() {
    const mine = ++ticket;
    const conversation = await guarded(() => client.call('conversations.create', {}));
    if (!conversation || mine !== ticket) return;
    useApp.setState({ currentId: conversation.id, messages: [] });
    await actions.refreshConversations();
  },

  async rename(id: string, title: string) {
    await guarded(() => client.call('conversations.rename', { id, title }));
    await actions.refreshConversations();
  },

  async remove(id: string) {
    await guarded(() => client.call('conversations.delete', { id }));
    if (useApp.getState().currentId === id) useApp.setState({ currentId: null, messages: [] });
    await actions.refreshConversations();
  },

  async send(text: string) {
    sentAt = performance.now();
    let id = useApp.getState().currentId;
    if (!id) {
      await actions.create();
      id = useApp.getState().currentId;
      if (!id) return;
    }
    const conversationId = id;
    const result = await guarded(() => client.call('chat.send', { conversationId, text }));
    if (result && useApp.getState().currentId === conversationId) {
      useApp.setState((s) => ({ messages: [...s.messages, result.userMessage, result.assistantMessage] }));
    }
  },

  async stop() {
    const conversationId = useApp.getState().currentId;
    if (conversationId) await guarded(() => client.call('chat.stop', { conversationId }));
  },

  async regenerate() {
    const conversationId = useApp.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => client.call('chat.regenerate', { conversationId }));
    if (result) await actions.select(conversationId);
  },

  async escalate() {
    const conversationId = useApp.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => client.call('chat.escalate', { conversationId }));
    if (result) await actions.select(conversationId);
  },

  async edit(messageId: string, text: string) {
    const conversationId = useApp.getState().currentId;
    if (!conversationId) return;
    const result = await guarded(() => client.call('chat.edit', { conversationId, messageId, text }));
    if (result) await actions.select(conversationId);
  },

  async updateSettings(settings: ConversationSettings) {
    const id = useApp.getState().currentId;
    if (!id) return;
    await guarded(() => client.call('conversations.update', { id, settings }));
    await actions.refreshConversations();
  },

  async setModel(modelId: string) {
    const id = useApp.getState().currentId;
    await guarded(async () => {
      if (id) await client.call('conversations.update', { id, modelId });
      await client.call('engine.load', { modelId });
    });
    await actions.refreshConversations();
  },

  async addModel(path: string) {
    const model = await guarded(() => client.call('models.add', { path }));
    if (model) await actions.refreshModels();
  },

  async refreshModels() {
    const models = await guarded(() => client.call('models.list', {}));
    if (models) useApp.setState({ models });
  },

  async answerConsent(messageId: string, answer: 'yes' | 'yes for this conversation' | 'no') {
    useApp.setState((s) => ({ consents: s.consents.filter((c) => c.messageId !== messageId) }));
    await guarded(() => client.call('route.consent', { messageId, answer }));
  },

  show(view: State['view']) {
    useApp.setState({ view });
  },

  dismiss() {
    useApp.setState({ notice: null });
  },
};
