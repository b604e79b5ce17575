// One MCP server, through the official SDK's Client: over stdio (a command the user runs) or streamable
// HTTP (loopback or a URL the user typed). Every request has a timeout, a tool list is capped, and a
// result becomes plain text (images and other content are named, never rendered or run).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerInput } from '../../../shared/contract/tools.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { CappedStdioTransport } from './stdioTransport.ts';
import { cappedFetch } from './cappedFetch.ts';

export interface McpLimits {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Tools kept from one server; past this the rest are dropped and the listing says so. */
  maxTools: number;
  /** Bytes one message from the server may take. */
  maxMessageBytes: number;
}

export const defaultMcpLimits: McpLimits = {
  connectTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  maxTools: 128,
  maxMessageBytes: 8 * 1024 * 1024,
};

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpToolList {
  tools: McpTool[];
  /** How many the server declared beyond the cap (dropped). */
  dropped: number;
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class McpConnection {
  private client: Client | null = null;
  private transport: CappedStdioTransport | StreamableHTTPClientTransport | null = null;
  private lastError: string | null = null;

  readonly server: McpServerInput;
  private readonly limits: McpLimits;
  constructor(server: McpServerInput, limits: McpLimits = defaultMcpLimits) {
    this.server = server;
    this.limits = limits;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** What the server wrote on stderr last (stdio only): shown with a failure. */
  private detail(): string {
    const tail = this.transport instanceof CappedStdioTransport ? this.transport.stderr.trim() : '';
    const parts = [this.lastError, tail ? `stderr: ${tail.slice(-500)}` : null].filter(Boolean);
    return parts.length ? ` (${parts.join('; ')})` : '';
  }

  async connect(): Promise<void> {
    if (this.client) return;
    const transport: CappedStdioTransport | StreamableHTTPClientTransport =
      this.server.transport === 'stdio'
        ? new CappedStdioTransport({
            command: this.server.command,
            args: this.server.args,
            env: this.server.env,
            maxMessageBytes: this.limits.maxMessageBytes,
          })
        : new StreamableHTTPClientTransport(new URL(this.server.url), {
            // The SDK only reports a broken stream; closing the connection fails the waiting call now
            // instead of at its timeout.
            fetch: cappedFetch(this.limits.maxMessageBytes, (error) => {
              this.lastError = error.message;
              void this.close();
            }),
          });
    this.transport = transport;
    const client = new Client({ name: 'edgewise', version: '0.1.0' }, { capabilities: {} });
    client.onerror = (error: Error) => {
      this.lastError = errorMessage(error);
    };
    client.onclose = () => {
      if (this.client === client) this.client = null;
    };
    try {
      await client.connect(transport as Transport, { timeout: this.limits.connectTimeoutMs });
    } catch (error) {
      const detail = this.detail();
      await client.close().catch(() => {});
      await transport.close().catch(() => {});
      throw new Error(`Could not start MCP server "${this.server.name}": ${errorMessage(error)}${detail}`);
    }
    this.client = client;
  }

  async listTools(): Promise<McpToolList> {
    await this.connect();
    const tools: McpTool[] = [];
    let dropped = 0;
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.client!.listTools(cursor ? { cursor } : undefined, {
        timeout: this.limits.requestTimeoutMs,
      });
      for (const t of result.tools) {
        if (tools.length >= this.limits.maxTools || !TOOL_NAME.test(t.name)) dropped++;
        else
          tools.push({
            name: t.name,
            description: (t.description ?? '').slice(0, 1000),
            inputSchema: t.inputSchema as Record<string, unknown>,
          });
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return { tools, dropped };
  }

  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    await this.connect();
    try {
      const result = await this.client!.callTool({ name, arguments: args }, undefined, {
        timeout: this.limits.requestTimeoutMs,
        signal,
      });
      const text = resultText(result.content as unknown[] | undefined);
      return result.isError ? `The tool reported an error: ${text}` : text;
    } catch (error) {
      const message = `${errorMessage(error)}${this.detail()}`;
      // A server that timed out or broke its stream is restarted on the next call rather than trusted.
      await this.close();
      throw new Error(message);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = null;
    this.transport = null;
    await client?.close().catch(() => {});
    await transport?.close().catch(() => {});
  }
}

/** Text parts as they are; anything else only named, so nothing a server returns is rendered or run. */
export function resultText(content: unknown[] | undefined): string {
  if (!Array.isArray(content) || content.length === 0) return '(no content)';
  return content
    .map((part) => {
      const p = part as { type?: string; text?: unknown; resource?: { uri?: string; text?: unknown } };
      if (p.type === 'text' && typeof p.text === 'string') return p.text;
      if (p.type === 'resource' && typeof p.resource?.text === 'string') return p.resource.text;
      return `[${String(p.type ?? 'unknown')} content not shown]`;
    })
    .join('\n');
}
