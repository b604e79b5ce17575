// Conversations as the user's data: full-text search over every message, export to a file and import
// from one. The chat store still owns the conversation list and the open conversation.
import { create } from 'zustand';
import type { SearchHit } from '../../../shared/search.ts';
import type { ExportFormatName } from '../../../shared/exportFormat.ts';
import { MAX_UI_IMPORT_CHARS } from '../../../shared/contract/conversations.ts';
import { rpc } from '../rpc/client.ts';
import { guarded, useAppStore } from './appStore.ts';
import { chatActions } from './chatStore.ts';

interface ConversationsState {
  query: string;
  hits: SearchHit[];
  /** The message a search result opened: the chat view scrolls to it and marks it. */
  focusMessageId: string | null;
  /** What the last import did, for the sidebar's status line. */
  status: string | null;
}

export const useConversations = create<ConversationsState>(() => ({
  query: '',
  hits: [],
  focusMessageId: null,
  status: null,
}));

// A slower answer to an older query must not replace a newer one's.
let searchTicket = 0;

function download(fileName: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const conversationsActions = {
  async search(query: string) {
    const mine = ++searchTicket;
    useConversations.setState({ query });
    if (!query.trim()) {
      useConversations.setState({ hits: [] });
      return;
    }
    const hits = await guarded(() => rpc().call('conversations.search', { query }));
    if (mine === searchTicket && hits) useConversations.setState({ hits });
  },

  async open(hit: SearchHit) {
    useAppStore.setState({ view: 'chat' });
    useConversations.setState({ focusMessageId: hit.messageId });
    // A hit on another branch switches to it; one on the path shown leaves the path as it is.
    if (hit.messageId) await chatActions.showVersion(hit.conversationId, hit.messageId);
    else await chatActions.select(hit.conversationId);
  },

  /** Called by the chat view once it has scrolled to the message. */
  focused() {
    useConversations.setState({ focusMessageId: null });
  },

  async exportTo(id: string | undefined, format: ExportFormatName) {
    const result = await guarded(() => rpc().call('conversations.export', { id, format }));
    if (!result) return;
    download(result.fileName, result.content, format === 'json' ? 'application/json' : 'text/markdown');
    useConversations.setState({ status: `Exported ${result.conversations} conversation(s) to ${result.fileName}.` });
  },

  async importFile(file: File) {
    if (file.size > MAX_UI_IMPORT_CHARS) {
      useAppStore.setState({
        notice: `Nothing was imported: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB and the window takes files up to 0.9 MB. Import it with \`edgewise import FILE\` (up to 64 MiB).`,
      });
      return;
    }
    const content = await file.text();
    const result = await guarded(() => rpc().call('conversations.import', { content }));
    if (!result) return;
    useConversations.setState({
      status: `Imported ${result.conversations} conversation(s), ${result.messages} message(s)${result.remappedIds ? `; ${result.remappedIds} id(s) already present were given new ones` : ''}.`,
    });
    await chatActions.refreshConversations();
    if (result.ids[0]) await chatActions.select(result.ids[0]);
  },
};
