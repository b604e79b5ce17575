// Tools: the open conversation's tools with their on/off state, the MCP servers, and the tool calls waiting
// for the user's consent (asked from any view, so the app subscribes at start, like routing's consent).
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallArgs, CallResult } from '../../../shared/rpc.ts';
import type {
  ToolConsentAnswer,
  ToolConsentRequest,
  ToolInfo,
  TracedToolStep,
} from '../../../shared/contract/tools.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface ToolsState {
  conversationId: string | null;
  tools: ToolInfo[];
  servers: CallResult<AppContract, 'tools.servers'>;
  /** Listing connects to every server, which can take seconds; the panel says so meanwhile. */
  loading: boolean;
  /** Tool calls waiting for the user's answer, oldest first. */
  consents: ToolConsentRequest[];
  /** Steps of answers still being written, by message id (a finished answer has them in its trace). */
  live: Record<string, TracedToolStep[]>;
}

export const useToolsStore = create<ToolsState>(() => ({
  conversationId: null,
  tools: [],
  servers: [],
  loading: false,
  consents: [],
  live: {},
}));

const drop = (id: string) => useToolsStore.setState((s) => ({ consents: s.consents.filter((c) => c.id !== id) }));

const subscribe = subscribeOnce(() => {
  rpc().on('tools.consent', (request) => useToolsStore.setState((s) => ({ consents: [...s.consents, request] })));
  rpc().on('tools.consentClosed', ({ id }) => drop(id));
  rpc().on('tools.step', ({ messageId, step }) =>
    useToolsStore.setState((s) => ({ live: { ...s.live, [messageId]: [...(s.live[messageId] ?? []), step] } })),
  );
  // A finished answer carries its steps in its trace.
  rpc().on('chat.done', ({ message }) =>
    useToolsStore.setState((s) => {
      if (!(message.id in s.live)) return s;
      const live = { ...s.live };
      delete live[message.id];
      return { live };
    }),
  );
});

export const toolsActions = {
  /**
   * At start and on each reconnection: consent requests can arrive whatever view is open. Requests from
   * before a dropped connection were refused or are answered elsewhere, so none is kept.
   */
  listen() {
    subscribe();
    useToolsStore.setState({ consents: [] });
  },
  async load(conversationId: string) {
    subscribe();
    useToolsStore.setState({ conversationId, loading: true });
    const [tools, servers] = await Promise.all([
      guarded(() => rpc().call('tools.list', { conversationId })),
      guarded(() => rpc().call('tools.servers', {})),
    ]);
    if (useToolsStore.getState().conversationId !== conversationId) return;
    useToolsStore.setState({ tools: tools ?? [], servers: servers ?? [], loading: false });
  },
  /** Shown switched at once (a checkbox must follow the click), and switched back if the call fails. */
  async setEnabled(tool: ToolInfo, enabled: boolean) {
    const { conversationId } = useToolsStore.getState();
    if (!conversationId) return;
    const set = (on: boolean) =>
      useToolsStore.setState((s) => ({
        tools: s.tools.map((t) => (t.server === tool.server && t.name === tool.name ? { ...t, enabled: on } : t)),
      }));
    set(enabled);
    const done = await guarded(() =>
      rpc().call('tools.setEnabled', { conversationId, server: tool.server, tool: tool.name, enabled }),
    );
    if (!done) set(!enabled);
  },
  /** Adds a server; the error (a duplicate name, a bad URL) is returned for the form to show. */
  async addServer(input: CallArgs<AppContract, 'tools.addServer'>): Promise<string | null> {
    try {
      await rpc().call('tools.addServer', input);
    } catch (error) {
      return errorMessage(error);
    }
    const { conversationId } = useToolsStore.getState();
    if (conversationId) await toolsActions.load(conversationId);
    return null;
  },
  async removeServer(name: string) {
    await guarded(() => rpc().call('tools.removeServer', { name }));
    const { conversationId } = useToolsStore.getState();
    if (conversationId) await toolsActions.load(conversationId);
  },
  async answerConsent(id: string, answer: ToolConsentAnswer) {
    drop(id);
    await guarded(() => rpc().call('tools.consent', { id, answer }));
  },
};
