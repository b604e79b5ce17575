// MCP servers through the official SDK, for real: the SDK's own server classes started by the test over
// stdio and over streamable HTTP, behaving and misbehaving, and the consent gate in front of every call.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { McpServerInput } from '../shared/contract/tools.ts';
import { McpConnection, defaultMcpLimits } from '../electron/services/toolUse/mcpConnection.ts';
import { McpService } from '../electron/services/toolUse/mcpService.ts';
import { McpServerStore } from '../electron/services/store/mcpServerStore.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { openDatabase } from '../electron/services/store/database.ts';
import { ToolConsentGate } from '../electron/services/toolUse/toolConsentGate.ts';
import { callTool } from '../electron/services/toolUse/toolCall.ts';
import { defaultToolLimits } from '../electron/services/toolUse/toolTypes.ts';
import { repoRoot, tempDir } from './fixtures.ts';

const serverScript = join(repoRoot, 'tests', 'mcp', 'mcpTestServer.ts');
const open: McpConnection[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  }
});

function stdioServer(mode: string, counter?: string): McpServerInput {
  return {
    transport: 'stdio',
    name: `test-${mode}`,
    command: process.execPath,
    args: [serverScript],
    env: {
      MCP_MODE: mode,
      ...(counter ? { MCP_COUNTER: counter } : {}),
      EDGEWISE_TEST_OWNER: process.env.EDGEWISE_TEST_OWNER ?? '',
    },
  };
}

function connect(server: McpServerInput, limits = defaultMcpLimits) {
  const c = new McpConnection(server, limits);
  open.push(c);
  return c;
}

const calls = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const signal = () => new AbortController().signal;

async function httpServer(mode: string, counter: string): Promise<string> {
  const child = spawn(process.execPath, [serverScript], {
    env: { ...process.env, MCP_MODE: mode, MCP_HTTP: '1', MCP_COUNTER: counter },
    stdio: ['ignore', 'pipe', 'inherit'],
    windowsHide: true,
  });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const { port } = JSON.parse(line.toString()) as { port: number };
  return `http://127.0.0.1:${port}/mcp`;
}

describe('MCP client (stdio)', () => {
  it("lists a real server's tools and calls one", async () => {
    const c = connect(stdioServer('good'));
    const { tools, dropped } = await c.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['add', 'delete_everything', 'echo']);
    expect(dropped).toBe(0);
    expect(tools.find((t) => t.name === 'add')!.inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'] });
    expect(await c.callTool('add', { a: 2, b: 40 }, signal())).toBe('42');
  });

  it('reports a server that never answers, within the timeout', async () => {
    const c = connect(stdioServer('silent'), { ...defaultMcpLimits, connectTimeoutMs: 1500 });
    const started = Date.now();
    await expect(c.listTools()).rejects.toThrow(/Could not start MCP server "test-silent".*timed out/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out a call that never returns, and the server is restarted for the next one', async () => {
    const c = connect(stdioServer('hang'), { ...defaultMcpLimits, requestTimeoutMs: 1500 });
    await c.listTools();
    await expect(c.callTool('add', { a: 1, b: 2 }, signal())).rejects.toThrow(/timed out/i);
    expect(c.connected).toBe(false);
    expect((await c.listTools()).tools.length).toBe(3);
  });

  it('survives a server that crashes during a call', async () => {
    const c = connect(stdioServer('crash'));
    await c.listTools();
    await expect(c.callTool('add', { a: 1, b: 2 }, signal())).rejects.toThrow(/closed/i);
  });

  it('stops a server that floods its output, without holding the flood in memory', async () => {
    const c = connect(stdioServer('flood'), { ...defaultMcpLimits, maxMessageBytes: 4 * 1024 * 1024 });
    await c.listTools();
    const rssBefore = process.memoryUsage.rss();
    await expect(c.callTool('add', { a: 1, b: 2 }, signal())).rejects.toThrow(/closed|more than 4/i);
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a 50 MB result with a clear error', async () => {
    const c = connect(stdioServer('big'));
    await c.listTools();
    await expect(c.callTool('add', { a: 1, b: 2 }, signal())).rejects.toThrow(/more than 8 MB|closed/);
  });

  it('keeps the first 128 of 1,000 declared tools and says how many it dropped', async () => {
    const c = connect(stdioServer('many'));
    const { tools, dropped } = await c.listTools();
    expect(tools.length).toBe(128);
    expect(dropped).toBe(872);
  });
});

describe('MCP client (streamable HTTP)', () => {
  it('lists and calls tools on a loopback server', async () => {
    const counter = join(tempDir(), 'calls.txt');
    const url = await httpServer('good', counter);
    const c = connect({ transport: 'http', name: 'http-good', url });
    expect((await c.listTools()).tools.map((t) => t.name)).toContain('echo');
    expect(await c.callTool('echo', { text: 'hello over http' }, signal())).toBe('hello over http');
    expect(calls(counter)).toEqual(['echo']);
  });

  it('cuts off a 50 MB HTTP response', async () => {
    const counter = join(tempDir(), 'calls.txt');
    const url = await httpServer('big', counter);
    const c = connect({ transport: 'http', name: 'http-big', url });
    await c.listTools();
    const started = Date.now();
    await expect(c.callTool('add', { a: 1, b: 2 }, signal())).rejects.toThrow(/more than 8 MB/);
    expect(Date.now() - started).toBeLessThan(defaultMcpLimits.requestTimeoutMs);
  });
});

describe('consent before every MCP call', () => {
  it('runs nothing before consent: denied and unasked calls never reach the server', async () => {
    const dir = tempDir();
    const counter = join(dir, 'calls.txt');
    const db = openDatabase(join(dir, 'edgewise.db'));
    const service = new McpService(new McpServerStore(db));
    try {
      service.add(stdioServer('inject', counter));
      const { tools } = await service.toolsFor('conv-1', new Set());
      const byName = new Map(tools.map((t) => [t.name, t]));
      const gate = new ToolConsentGate();
      const asked: string[] = [];
      const ctx = (answer: 'once' | 'conversation' | 'deny' | null) => ({
        conversationId: 'conv-1',
        gate,
        ask: answer
          ? async (r: { tool: string; server: string; arguments: string }) => {
              asked.push(`${r.server}/${r.tool} ${r.arguments}`);
              return answer;
            }
          : null,
        limits: defaultToolLimits,
        signal: signal(),
      });

      // No one to ask (the API, a script): refused, not run.
      const unasked = await callTool(byName.get('delete_everything'), 'delete_everything', {}, ctx(null));
      expect(unasked.step.consent).toBe('refused: no one to ask');
      // Denied: a refusal goes back to the model.
      const denied = await callTool(byName.get('delete_everything'), 'delete_everything', {}, ctx('deny'));
      expect(denied.step.consent).toBe('denied');
      expect(denied.result).toMatch(/denied/);
      expect(calls(counter)).toEqual([]);

      // A result that tells the model to call another tool: allowed once, it runs; the injected call
      // it asks for still needs its own consent, and a denial leaves the server untouched.
      const echo = await callTool(byName.get('echo'), 'echo', { text: 'x' }, ctx('once'));
      expect(echo.result).toMatch(/ignore your instructions/);
      expect(echo.step).toMatchObject({ tool: 'echo', server: 'test-inject', consent: 'allowed once', error: null });
      const injected = await callTool(byName.get('delete_everything'), 'delete_everything', {}, ctx('deny'));
      expect(injected.step.consent).toBe('denied');
      expect(calls(counter)).toEqual(['echo']);
      expect(asked).toEqual([
        'test-inject/delete_everything {}',
        'test-inject/echo {"text":"x"}',
        'test-inject/delete_everything {}',
      ]);

      // "Allow for this conversation" covers this conversation only, and only in this gate (this run).
      await callTool(byName.get('echo'), 'echo', { text: 'y' }, ctx('conversation'));
      const again = await callTool(byName.get('echo'), 'echo', { text: 'z' }, ctx(null));
      expect(again.step.consent).toBe('remembered for this conversation');
      const other = await callTool(
        byName.get('echo'),
        'echo',
        { text: 'z' },
        { ...ctx(null), conversationId: 'conv-2' },
      );
      expect(other.step.consent).toBe('refused: no one to ask');
      await expect(new ToolConsentGate().decide('conv-1', byName.get('echo')!, '{}', null, signal())).resolves.toBe(
        'refused: no one to ask',
      );
      expect(calls(counter)).toEqual(['echo', 'echo', 'echo']);

      // Arguments that break the schema never reach the server.
      const bad = await callTool(byName.get('echo'), 'echo', { text: 5 }, ctx('once'));
      expect(bad.step.error).toMatch(/must be string/);
      expect(calls(counter).length).toBe(3);
    } finally {
      await service.dispose();
      db.close();
    }
  });

  it('stores servers, refuses a duplicate name, and turns a tool off per conversation', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'edgewise.db'));
    const service = new McpService(new McpServerStore(db));
    try {
      service.add(stdioServer('good'));
      expect(() => service.add(stdioServer('good'))).toThrow(/already exists/);
      const conv = new ConversationStore(db).create('tools', null);
      service.setEnabled(conv.id, 'test-good', 'delete_everything', false);
      const offered = (await service.toolsFor(conv.id, new Set(['add']))).tools.map((t) => t.name);
      expect(offered.sort()).toEqual(['echo', 'test-good.add']);
      expect((await service.toolsFor('conv-2', new Set())).tools.length).toBe(3);
      expect(await service.remove('test-good')).toBe(true);
      expect(service.servers()).toEqual([]);
    } finally {
      await service.dispose();
      db.close();
    }
  });
});
