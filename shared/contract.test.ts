import { describe, expect, it } from 'vitest';
import { appContract } from './contract.ts';
import { createClient, createDispatcher, type Handlers, type RpcMessage, type Transport } from './rpc.ts';
import type { AppContract } from './contract.ts';
import { mergeContracts } from './contract/merge.ts';
import { chatContract } from './contract/chat.ts';
import { engineContract } from './contract/engine.ts';

function pair(handlers: Partial<Handlers<AppContract>>) {
  const dispatch = createDispatcher(appContract, handlers as Handlers<AppContract>);
  const listeners = new Set<(m: RpcMessage) => void>();
  const transport: Transport = {
    send: (m) =>
      void dispatch(structuredClone(m), (reply) => {
        for (const l of listeners) l(reply);
      }),
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return createClient<AppContract>(transport);
}

describe('the contract refuses payloads that break its schema', () => {
  const seen: unknown[] = [];
  const client = pair({
    'chat.send': (args) => {
      seen.push(args);
      throw new Error('handler should not run');
    },
    'conversations.rename': (args) => {
      seen.push(args);
      return { id: args.id, title: args.title, modelId: null, settings: {} as never, createdAt: 0, updatedAt: 0 };
    },
  });
  const bad: [string, unknown][] = [
    ['wrong type', { conversationId: 42, text: 'hi' }],
    ['empty text', { conversationId: 'c1', text: '   ' }],
    ['huge text', { conversationId: 'c1', text: 'x'.repeat(100_001) }],
    ['extra field', { conversationId: 'c1', text: 'hi', admin: true }],
    ['path in id', { conversationId: '../../etc/passwd', text: 'hi' }],
    ['null', null],
    ['array', ['c1', 'hi']],
  ];
  it.each(bad)('%s', async (_name, args) => {
    await expect(client.call('chat.send', args as never)).rejects.toMatchObject({ code: 'bad_input' });
    expect(seen).toHaveLength(0);
  });

  it('unknown calls are refused, valid ones reach the handler parsed', async () => {
    await expect(client.call('app.shutdown' as never, {} as never)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(client.call('__proto__' as never, {} as never)).rejects.toMatchObject({ code: 'bad_input' });
    const result = await client.call('conversations.rename', { id: 'c1', title: '  Trip  ' });
    expect(result.title).toBe('Trip');
  });
});

describe('every call refuses payloads outside its schema', () => {
  const reached: string[] = [];
  const handlers = Object.fromEntries(
    Object.keys(appContract.calls).map((name) => [
      name,
      () => {
        reached.push(name);
        throw new Error('handler should not run');
      },
    ]),
  );
  const client = pair(handlers as never);
  const payloads: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['a string', 'x'],
    ['an array', []],
    ['an unknown field', { unexpected: true }],
    ['a huge unknown field', { unexpected: 'x'.repeat(200_000) }],
    ['a prototype key', JSON.parse('{"__proto__": {"admin": true}, "constructor": 1}')],
  ];
  it.each(Object.keys(appContract.calls))('%s', async (name) => {
    for (const [what, args] of payloads) {
      await expect(client.call(name as never, args as never), `${name} with ${what}`).rejects.toMatchObject({
        code: 'bad_input',
      });
    }
    expect(reached).toEqual([]);
  });
});

describe('the contract is merged from one file per domain', () => {
  it('keeps every call and event of every domain', () => {
    for (const domain of [chatContract, engineContract]) {
      for (const name of Object.keys(domain.calls)) expect(appContract.calls).toHaveProperty([name]);
      for (const name of Object.keys(domain.events)) expect(appContract.events).toHaveProperty([name]);
    }
  });
  it('refuses a call or an event that two domains declare', () => {
    const again = { calls: { 'chat.stop': chatContract.calls['chat.stop'] }, events: {} };
    expect(() => mergeContracts([chatContract, again])).toThrow('The call "chat.stop" is declared by two domains');
    const event = { calls: {}, events: { 'engine.status': engineContract.events['engine.status'] } };
    expect(() => mergeContracts([engineContract, event])).toThrow(
      'The event "engine.status" is declared by two domains',
    );
    expect(Object.keys(mergeContracts([chatContract, engineContract]).calls)).toHaveLength(
      Object.keys(chatContract.calls).length + Object.keys(engineContract.calls).length,
    );
  });
});
