// MCP servers the user added, and each conversation's choice of tools (table conversation_tools).
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { mcpServerInput, type McpServer, type McpServerInput } from '../../../shared/contract/tools.ts';
import { RpcError } from '../../../shared/rpc.ts';

interface ServerRow {
  id: string;
  name: string;
  config: string;
  created_at: number;
}

function toServer(row: ServerRow): McpServer | null {
  const parsed = mcpServerInput.safeParse({ ...(JSON.parse(row.config) as object), name: row.name });
  return parsed.success ? { ...parsed.data, id: row.id, createdAt: row.created_at } : null;
}

export class McpServerStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  list(): McpServer[] {
    const rows = this.db
      .prepare('SELECT * FROM mcp_servers ORDER BY name COLLATE NOCASE')
      .all() as unknown as ServerRow[];
    return rows.flatMap((r) => toServer(r) ?? []);
  }

  byName(name: string): McpServer | null {
    const row = this.db.prepare('SELECT * FROM mcp_servers WHERE name = ? COLLATE NOCASE').get(name.trim()) as
      ServerRow | undefined;
    return row ? toServer(row) : null;
  }

  add(input: McpServerInput): McpServer {
    const server = mcpServerInput.parse(input);
    if (server.name.toLowerCase() === 'built-in')
      throw new RpcError('bad_input', '"built-in" names Edgewise\'s own tools; choose another name.');
    if (this.byName(server.name))
      throw new RpcError(
        'bad_input',
        `An MCP server named "${server.name}" already exists; remove it first or choose another name.`,
      );
    const { name, ...config } = server;
    const id = randomUUID();
    const createdAt = Date.now();
    this.db
      .prepare('INSERT INTO mcp_servers (id, name, config, created_at) VALUES (?, ?, ?, ?)')
      .run(id, name, JSON.stringify(config), createdAt);
    return { ...server, id, createdAt };
  }

  /** Removes it and every conversation's choices about its tools; false when there was none. */
  remove(name: string): boolean {
    const server = this.byName(name);
    if (!server) return false;
    this.db.prepare('DELETE FROM conversation_tools WHERE server = ?').run(server.name);
    this.db.prepare('DELETE FROM mcp_servers WHERE id = ?').run(server.id);
    return true;
  }

  /** The tools a conversation has set, as "server\u0000tool" → on/off; a tool not listed is on. */
  choices(conversationId: string): Map<string, boolean> {
    const rows = this.db
      .prepare('SELECT server, tool, enabled FROM conversation_tools WHERE conversation_id = ?')
      .all(conversationId) as unknown as { server: string; tool: string; enabled: number }[];
    return new Map(rows.map((r) => [`${r.server}\u0000${r.tool}`, r.enabled === 1]));
  }

  setEnabled(conversationId: string, server: string, tool: string, enabled: boolean): void {
    this.db
      .prepare(
        `INSERT INTO conversation_tools (conversation_id, server, tool, enabled) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id, server, tool) DO UPDATE SET enabled = excluded.enabled`,
      )
      .run(conversationId, server, tool, enabled ? 1 : 0);
  }
}
