// The user's MCP servers as tools: one connection per server, started on first use and kept; their tools
// listed per server and offered to the model under consent. A server that fails to start or list is
// reported and left out; it never fails the answer.
import type { McpServer, McpServerInput, ToolInfo } from '../../../shared/contract/tools.ts';
import { errorMessage } from '../../../shared/errors.ts';
import type { McpServerStore } from '../store/mcpServerStore.ts';
import { defaultMcpLimits, McpConnection, type McpLimits, type McpTool } from './mcpConnection.ts';
import type { Tool } from './toolTypes.ts';

export interface ServerTools {
  server: McpServer;
  tools: McpTool[];
  dropped: number;
  error: string | null;
}

export class McpService {
  private readonly connections = new Map<string, McpConnection>();

  private readonly store: McpServerStore;
  private readonly limits: McpLimits;
  constructor(store: McpServerStore, limits: McpLimits = defaultMcpLimits) {
    this.store = store;
    this.limits = limits;
  }

  servers(): McpServer[] {
    return this.store.list();
  }

  add(input: McpServerInput): McpServer {
    return this.store.add(input);
  }

  async remove(name: string): Promise<boolean> {
    const server = this.store.byName(name);
    if (server) await this.drop(server.name);
    return this.store.remove(name);
  }

  private connection(server: McpServer): McpConnection {
    let connection = this.connections.get(server.name);
    if (!connection) {
      connection = new McpConnection(server, this.limits);
      this.connections.set(server.name, connection);
    }
    return connection;
  }

  private async drop(name: string) {
    await this.connections.get(name)?.close();
    this.connections.delete(name);
  }

  /** Each server's tools (connecting as needed), or why they could not be listed. */
  async listAll(): Promise<ServerTools[]> {
    return Promise.all(
      this.store.list().map(async (server) => {
        try {
          const { tools, dropped } = await this.connection(server).listTools();
          return { server, tools, dropped, error: null };
        } catch (error) {
          await this.drop(server.name);
          return { server, tools: [], dropped: 0, error: errorMessage(error) };
        }
      }),
    );
  }

  /**
   * Every server's tools with their on/off state for a conversation, for the tools panel. `unsetIsOn`:
   * whether a tool the conversation never chose about is on (the CLI's default) or off (the app's).
   */
  async toolInfo(conversationId: string, unsetIsOn = true): Promise<ToolInfo[]> {
    const choices = this.store.choices(conversationId);
    return (await this.listAll()).flatMap(({ server, tools }) =>
      tools.map((t) => ({
        name: t.name,
        server: server.name,
        description: t.description,
        enabled: choices.get(`${server.name}\u0000${t.name}`) ?? unsetIsOn,
      })),
    );
  }

  /**
   * The tools to offer in one answer: those the conversation has on. A name two servers share is offered
   * as "server.tool" so the model's call says which one it means.
   */
  async toolsFor(
    conversationId: string,
    taken: Set<string>,
    unsetIsOn = true,
  ): Promise<{ tools: Tool[]; problems: string[] }> {
    const choices = this.store.choices(conversationId);
    const listed = await this.listAll();
    const tools: Tool[] = [];
    const problems: string[] = [];
    const names = new Set(taken);
    for (const { server, tools: serverTools, dropped, error } of listed) {
      if (error) problems.push(error);
      if (dropped > 0)
        problems.push(
          `MCP server "${server.name}" declared ${dropped} more tools than the ${this.limits.maxTools} kept (or with unusable names); those were left out.`,
        );
      for (const t of serverTools) {
        if (!(choices.get(`${server.name}\u0000${t.name}`) ?? unsetIsOn)) continue;
        const name = names.has(t.name) ? `${server.name}.${t.name}`.slice(0, 64) : t.name;
        names.add(name);
        const connection = this.connection(server);
        tools.push({
          name,
          server: server.name,
          description: t.description,
          inputSchema: t.inputSchema,
          needsConsent: true,
          run: (args, signal) => connection.callTool(t.name, args, signal),
        });
      }
    }
    return { tools, problems };
  }

  setEnabled(conversationId: string, server: string, tool: string, enabled: boolean): void {
    this.store.setEnabled(conversationId, server, tool, enabled);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    this.connections.clear();
  }
}
