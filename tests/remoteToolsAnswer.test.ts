// An answer from the partner tier with tools, through AnswerRun on real stores and a real loopback
// partner: the partner's per-query consent comes first (0 requests before it), then each tool call asks
// its own consent (0 runs before it), and the tool's result reaches the partner and the saved answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { AnswerRun } from '../electron/services/chat/answerRun.ts';
import { ConsentGate } from '../electron/services/router/consentGate.ts';
import { RoutingService } from '../electron/services/router/routingService.ts';
import { SecretStore } from '../electron/services/router/secretStore.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { openDatabase } from '../electron/services/store/database.ts';
import { SettingsStore } from '../electron/services/store/settingsStore.ts';
import { ToolConsentGate } from '../electron/services/toolUse/toolConsentGate.ts';
import type { Tool } from '../electron/services/toolUse/toolTypes.ts';
import type { ToolConsentRequest, ToolStep } from '../shared/contract/tools.ts';
import { tempDir } from './fixtures.ts';
import { remoteModel, toolResults, type RemoteModel } from './remoteToolServer.ts';

let db: DatabaseSync;
let partner: RemoteModel;

beforeAll(async () => {
  db = openDatabase(join(tempDir(), 'edgewise.db'));
  partner = await remoteModel('openai', (body) => {
    const results = toolResults('openai', body);
    return results.length === 0
      ? { calls: [{ name: 'lookup', args: '{"word":"gnu"}' }] }
      : { text: `A gnu: ${results[0]!.content}.` };
  });
});
afterAll(async () => {
  await partner?.close();
  db?.close();
});

/** Resolves on the first call; the test answers through `answer`. */
function waiter<T, A>() {
  let seen: (value: T) => void = () => {};
  const arrived = new Promise<T>((resolve) => (seen = resolve));
  let answer: (a: A) => void = () => {};
  const answered = new Promise<A>((resolve) => (answer = resolve));
  return { arrived, answered, seen, answer };
}

describe('AnswerRun on a remote tier with tools', () => {
  it('asks the partner consent first, then the tool consent, and only then runs the tool', async () => {
    const store = new ConversationStore(db);
    const secrets = new SecretStore(tempDir());
    const routing = new RoutingService({
      settings: new SettingsStore(db),
      secrets,
      online: () => true,
      battery: async () => ({ percent: null, charging: null }),
    });
    routing.update({
      partner: {
        name: 'Partner Cloud',
        kind: 'openai',
        baseUrl: partner.baseUrl,
        model: 'scripted',
        apiKey: 'sk-test',
        inputPricePerMTok: 3,
        outputPricePerMTok: 15,
      },
    });
    const consent = new ConsentGate();
    const conversation = store.create('tools', null);
    const user = store.addMessage(conversation.id, 'user', 'What is a gnu?', 'done');
    const assistant = store.addMessage(conversation.id, 'assistant', '', 'streaming', user.id);
    const events: { name: string; payload: any }[] = [];
    const partnerAsked = waiter<any, never>();
    const toolAsked = waiter<ToolConsentRequest, 'once'>();
    const runs: unknown[] = [];
    const steps: ToolStep[] = [];
    const lookup: Tool = {
      name: 'lookup',
      server: 'test-mcp',
      description: 'Looks a word up',
      inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
      needsConsent: true,
      run: async (args) => (runs.push(args), `an antelope (${String(args.word)})`),
    };
    const done = new AnswerRun(
      {
        store,
        emit: ((name: string, payload: any) => {
          events.push({ name, payload });
          if (name === 'route.consent') partnerAsked.seen(payload);
        }) as never,
        // A remote answer never touches the engine: these fail the test if it does.
        engine: {
          generate: () => Promise.reject(new Error('the device must not answer here')),
          status: { backend: null },
        } as never,
        telemetry: { start: () => Promise.reject(new Error('the device must not answer here')) } as never,
        ensureModel: () => Promise.reject(new Error('the device must not answer here')),
        routing,
        consent,
        tools: {
          runFor: async (conversationId) => ({
            run: {
              tools: [lookup],
              conversationId,
              gate: new ToolConsentGate(),
              ask: (request) => {
                toolAsked.seen(request);
                return toolAsked.answered;
              },
              onStep: (s) => steps.push(s),
            },
            problems: [],
          }),
        },
      },
      {
        conversation,
        messageId: assistant.id,
        history: [{ role: 'user', text: 'What is a gnu?' }],
        signal: new AbortController().signal,
        forced: { tier: 'partner', reason: 'the user asked the partner' },
      },
    ).execute();

    // The partner's consent names the tools that would be offered with the query.
    expect((await partnerAsked.arrived).tools).toEqual([{ name: 'lookup', server: 'test-mcp' }]);
    expect(partner.requests).toHaveLength(0);
    expect(runs).toHaveLength(0);
    consent.answer(assistant.id, 'yes');

    const request = await toolAsked.arrived;
    expect(request).toMatchObject({ tool: 'lookup', server: 'test-mcp', conversationId: conversation.id });
    expect(partner.requests).toHaveLength(1);
    expect(runs).toHaveLength(0);
    toolAsked.answer('once');

    await done;
    expect(runs).toEqual([{ word: 'gnu' }]);
    expect(partner.requests).toHaveLength(2);
    expect(toolResults('openai', partner.requests[1]!)[0]!.content).toBe('an antelope (gnu)');
    const finished = events.find((e) => e.name === 'chat.done')!.payload;
    expect(finished.message).toMatchObject({ status: 'done', text: 'A gnu: an antelope (gnu).' });
    expect(finished.message.trace).toMatchObject({ consent: 'yes', answeredBy: { tier: 'partner' } });
    expect(steps.map((s) => s.consent)).toEqual(['allowed once']);
  });
});
