// The app's tools per conversation: which are on (stored per conversation, off until the user turns one
// on, so nothing runs unasked), the MCP servers as Settings shows them, and the one seam every answer path
// uses: runFor() builds the ToolRun (the tools on for this conversation and the ask that reaches the
// window) for the on-device loop and the remote tiers alike.
import type { McpServer, McpServerStatus, ToolInfo, ToolStep } from '../../../shared/contract/tools.ts';
import type { DocumentService } from '../documents/documentService.ts';
import { searchDocuments } from '../documents/documentService.ts';
import type { McpServerStore } from '../store/mcpServerStore.ts';
import { builtinTools, type DocumentSearch } from './builtins.ts';
import type { McpService } from './mcpService.ts';
import type { ToolAsker } from './toolAsker.ts';
import type { ToolConsentGate } from './toolConsentGate.ts';
import type { ToolRun } from './toolLoop.ts';

const BUILT_IN = 'built-in';

/** The documents service as the search_documents built-in sees it: the best passages of a conversation. */
export function documentSearch(documents: DocumentService): DocumentSearch {
  return {
    search: async (conversationId, query, limit) =>
      (await searchDocuments(documents, conversationId, query, limit)).map((h) => ({
        file: h.name,
        text: h.text,
        page: h.page,
      })),
  };
}

function target(server: McpServer): string {
  return server.transport === 'http' ? server.url : [server.command, ...server.args].join(' ');
}

export class ConversationTools {
  private readonly options: {
    mcp: McpService;
    store: McpServerStore;
    gate: ToolConsentGate;
    asker: ToolAsker;
    documents: DocumentSearch | null;
  };

  constructor(options: ConversationTools['options']) {
    this.options = options;
  }

  private builtins(conversationId: string) {
    return builtinTools({ conversationId, documents: this.options.documents });
  }

  /** Built-ins first, then each server's tools; a tool is on only where this conversation turned it on. */
  async list(conversationId: string): Promise<ToolInfo[]> {
    const choices = this.options.store.choices(conversationId);
    const builtins = this.builtins(conversationId).map((t) => ({
      name: t.name,
      server: BUILT_IN,
      description: t.description,
      enabled: choices.get(`${BUILT_IN}\u0000${t.name}`) ?? false,
    }));
    return [...builtins, ...(await this.options.mcp.toolInfo(conversationId, false))];
  }

  setEnabled(conversationId: string, server: string, tool: string, enabled: boolean): void {
    this.options.store.setEnabled(conversationId, server, tool, enabled);
  }

  async servers(): Promise<McpServerStatus[]> {
    return (await this.options.mcp.listAll()).map(({ server, tools, error }) => ({
      name: server.name,
      transport: server.transport,
      target: target(server),
      connected: error === null,
      tools: tools.length,
      error,
    }));
  }

  /**
   * The ToolRun for one answer in this conversation, or null when it has no tool on (then no MCP server
   * is started either). `problems` are servers that could not list their tools, for the trace.
   */
  async runFor(
    conversationId: string,
    onStep?: (step: ToolStep, result: string) => void,
  ): Promise<{ run: ToolRun | null; problems: string[] }> {
    const choices = this.options.store.choices(conversationId);
    const on = (server: string, name: string) => choices.get(`${server}\u0000${name}`) === true;
    const builtins = this.builtins(conversationId).filter((t) => on(BUILT_IN, t.name));
    const anyMcp = [...choices].some(([key, enabled]) => enabled && !key.startsWith(`${BUILT_IN}\u0000`));
    const mcp = anyMcp
      ? await this.options.mcp.toolsFor(conversationId, new Set(builtins.map((t) => t.name)), false)
      : { tools: [], problems: [] };
    const tools = [...builtins, ...mcp.tools];
    if (tools.length === 0) return { run: null, problems: mcp.problems };
    const { gate, asker } = this.options;
    return { run: { tools, conversationId, gate, ask: asker.ask, onStep }, problems: mcp.problems };
  }

  /** A deleted conversation takes its "Allow for this conversation" answers with it. */
  forget(conversationId: string): void {
    this.options.gate.forget(conversationId);
  }
}
