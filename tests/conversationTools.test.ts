// The app's side of tools, on real parts: a real SQLite file for each conversation's choices, a real MCP
// server over stdio (the SDK's McpServer, tests/mcp/mcpTestServer.ts, counting its runs in a file), the
// documents service's real search behind search_documents, and the ask that reaches the window as events.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../electron/services/store/database.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { DocumentStore } from '../electron/services/store/documentStore.ts';
import { DocumentService } from '../electron/services/documents/documentService.ts';
import { McpServerStore } from '../electron/services/store/mcpServerStore.ts';
import { McpService } from '../electron/services/toolUse/mcpService.ts';
import { ToolConsentGate } from '../electron/services/toolUse/toolConsentGate.ts';
import { ToolAsker } from '../electron/services/toolUse/toolAsker.ts';
import { ConversationTools, documentSearch } from '../electron/services/toolUse/conversationTools.ts';
import { callTool } from '../electron/services/toolUse/toolCall.ts';
import { defaultToolLimits } from '../electron/services/toolUse/toolTypes.ts';
import type { Tool } from '../electron/services/toolUse/toolTypes.ts';
import { repoRoot, tempDir } from './fixtures.ts';

const serverScript = join(repoRoot, 'tests', 'mcp', 'mcpTestServer.ts');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0).reverse()) await done();
});

interface Emitted {
  name: string;
  payload: { id: string; tool?: string };
}

function setUp(listening = () => true) {
  const dir = tempDir();
  const db: DatabaseSync = openDatabase(join(dir, 'edgewise.db'));
  const conversations = new ConversationStore(db);
  const documents = new DocumentService({ store: new DocumentStore(db), conversations });
  const store = new McpServerStore(db);
  const mcp = new McpService(store);
  const emitted: Emitted[] = [];
  const asker = new ToolAsker((name, payload) => emitted.push({ name, payload } as Emitted), listening);
  const gate = new ToolConsentGate();
  const tools = new ConversationTools({ mcp, store, gate, asker, documents: documentSearch(documents) });
  cleanup.push(async () => {
    await mcp.dispose();
    db.close();
  });
  return { dir, conversations, documents, mcp, asker, gate, tools, emitted };
}

const echoTool: Tool = {
  name: 'echo',
  server: 'test',
  description: 'Echoes',
  inputSchema: { type: 'object', properties: {} },
  needsConsent: true,
  run: async () => 'ran',
};
const context = (gate: ToolConsentGate, asker: ToolAsker, signal = new AbortController().signal) => ({
  conversationId: 'c1',
  gate,
  ask: asker.ask,
  limits: defaultToolLimits,
  signal,
});

describe('tools per conversation', () => {
  it('offers nothing until the user turns a tool on, per conversation', async () => {
    const { dir, conversations, mcp, tools } = setUp();
    const counter = join(dir, 'runs.txt');
    mcp.add({
      transport: 'stdio',
      name: 'counter',
      command: process.execPath,
      args: [serverScript],
      env: { MCP_MODE: 'good', MCP_COUNTER: counter, EDGEWISE_TEST_OWNER: process.env.EDGEWISE_TEST_OWNER ?? '' },
    });
    const c = conversations.create('tools', null);
    expect(await tools.runFor(c.id, () => {})).toEqual({ run: null, problems: [] });

    const listed = await tools.list(c.id);
    expect(listed.map((t) => `${t.server}/${t.name}`)).toEqual([
      'built-in/calculate',
      'built-in/current_datetime',
      'built-in/search_documents',
      'counter/add',
      'counter/echo',
      'counter/delete_everything',
    ]);
    expect(listed.every((t) => !t.enabled)).toBe(true);
    expect((await tools.servers())[0]).toMatchObject({ name: 'counter', connected: true, tools: 3, error: null });

    tools.setEnabled(c.id, 'built-in', 'calculate', true);
    tools.setEnabled(c.id, 'counter', 'echo', true);
    const { run } = await tools.runFor(c.id, () => {});
    expect(run?.tools.map((t) => `${t.server}/${t.name}`)).toEqual(['built-in/calculate', 'counter/echo']);
    expect(run?.tools.map((t) => t.needsConsent)).toEqual([false, true]);
    // Another conversation has its own choices: still nothing.
    expect((await tools.runFor(conversations.create('other', null).id, () => {})).run).toBeNull();
    expect(existsSync(counter)).toBe(false); // listing and offering ran no tool
  });

  it("search_documents searches this conversation's attached files through the documents service", async () => {
    const { dir, conversations, documents, tools } = setUp();
    const c = conversations.create('docs', null);
    const other = conversations.create('other', null);
    const path = join(dir, 'keeper.txt');
    writeFileSync(path, 'The lighthouse keeper counted 4,211 gulls in March.\n\nThe boat was painted blue.');
    expect((await documents.attachPaths(c.id, [path])).rejected).toEqual([]);
    tools.setEnabled(c.id, 'built-in', 'search_documents', true);
    const { run } = await tools.runFor(c.id, () => {});
    const search = run!.tools.find((t) => t.name === 'search_documents')!;
    const found = await search.run({ query: 'how many gulls' }, new AbortController().signal);
    expect(found).toContain('[1] keeper.txt');
    expect(found).toContain('4,211 gulls');
    // Another conversation's search does not see this conversation's file.
    tools.setEnabled(other.id, 'built-in', 'search_documents', true);
    const otherRun = (await tools.runFor(other.id, () => {})).run!;
    const otherSearch = otherRun.tools.find((t) => t.name === 'search_documents')!;
    expect(await otherSearch.run({ query: 'gulls' }, new AbortController().signal)).toBe(
      'No passage in the attached files matches.',
    );
  });
});

describe('asking the window', () => {
  it('sends the request as an event, runs nothing before the answer, and closes the dialog after it', async () => {
    const { gate, asker, emitted } = setUp();
    let runs = 0;
    const tool = { ...echoTool, run: async () => `ran ${++runs}` };
    const pending = callTool(tool, 'echo', { text: 'hi' }, context(gate, asker));
    await expect.poll(() => asker.pending().length).toBe(1);
    expect(emitted[0]).toMatchObject({ name: 'tools.consent', payload: { tool: 'echo' } });
    expect(runs).toBe(0);
    expect(asker.answer('not-a-request', 'once')).toBe(false);
    expect(asker.answer(emitted[0]!.payload.id, 'once')).toBe(true);
    const outcome = await pending;
    expect(outcome).toMatchObject({ result: 'ran 1', step: { consent: 'allowed once' } });
    expect(emitted[1]).toEqual({ name: 'tools.consentClosed', payload: { id: emitted[0]!.payload.id } });
    expect(asker.answer(emitted[0]!.payload.id, 'once')).toBe(false); // answered once only
  });

  it('Stop while asking refuses the call and closes the dialog', async () => {
    const { gate, asker, emitted } = setUp();
    let runs = 0;
    const stop = new AbortController();
    const pending = callTool(
      { ...echoTool, run: async () => `ran ${++runs}` },
      'echo',
      {},
      context(gate, asker, stop.signal),
    );
    await expect.poll(() => asker.pending().length).toBe(1);
    stop.abort();
    expect((await pending).step.consent).toBe('denied');
    expect(runs).toBe(0);
    expect(emitted.map((e) => e.name)).toEqual(['tools.consent', 'tools.consentClosed']);
  });

  it('with no window, or when the last one closes while asking: "refused: no one to ask"', async () => {
    let windows = 0;
    const { gate, asker, emitted } = setUp(() => windows > 0);
    let runs = 0;
    const tool = { ...echoTool, run: async () => `ran ${++runs}` };
    const none = await callTool(tool, 'echo', {}, context(gate, asker));
    expect(none.step.consent).toBe('refused: no one to ask');
    expect(emitted).toEqual([]);

    windows = 1;
    const pending = callTool(tool, 'echo', {}, context(gate, asker));
    await expect.poll(() => asker.pending().length).toBe(1);
    windows = 0;
    asker.noOneLeft();
    expect((await pending).step.consent).toBe('refused: no one to ask');
    expect(runs).toBe(0);
    expect(asker.pending()).toEqual([]);
  });

  it('"Allow for this conversation" is remembered for that conversation only', async () => {
    const { gate, asker, emitted } = setUp();
    const first = callTool(echoTool, 'echo', {}, context(gate, asker));
    await expect.poll(() => asker.pending().length).toBe(1);
    asker.answer(emitted[0]!.payload.id, 'conversation');
    expect((await first).step.consent).toBe('allowed for this conversation');
    expect((await callTool(echoTool, 'echo', {}, context(gate, asker))).step.consent).toBe(
      'remembered for this conversation',
    );
    const elsewhere = callTool(echoTool, 'echo', {}, { ...context(gate, asker), conversationId: 'c2' });
    await expect.poll(() => asker.pending().length).toBe(1);
    asker.answer(asker.pending()[0]!, 'deny');
    expect((await elsewhere).step.consent).toBe('denied');
  });
});
