// Branches through the chat calls on the real engine and model: regenerate and edit keep the earlier
// versions with their own figures, and the model is sent the chosen path only. The engine is the real
// one; the test only records the history each generate() call was given on its way through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { defaultSettings } from '../shared/schemas.ts';
import { demoModel, tempDir } from './fixtures.ts';

let server: RunningServer;
/** The history (role: text) of every generate() call, in order. */
const sent: string[][] = [];

beforeAll(async () => {
  server = await startServer({
    dataDir: tempDir(),
    rendererDir: tempDir(),
    gpu: 'cpu',
    modelPath: demoModel,
    apiKey: 'branches-key-0123456789',
  });
  await server.app.start();
  const engine = server.app.engine;
  const generate = engine.generate.bind(engine);
  engine.generate = (request, ...rest) => {
    sent.push(request.history.map((t) => `${t.role}: ${t.text}`));
    return generate(request, ...rest);
  };
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('branches through chat.send, chat.regenerate and chat.edit', () => {
  it('keeps every version with its own figures and sends the model the chosen path only', async () => {
    const { handlers, chat, store } = server.app;
    const call = handlers as unknown as Record<string, (args: unknown) => any>;
    const conversation = await call['conversations.create']!({ title: 'branches' });
    const id = conversation.id as string;
    await call['conversations.update']!({
      id,
      settings: { ...defaultSettings, sampling: { ...defaultSettings.sampling, temperature: 0, maxTokens: 8 } },
    });
    const settle = async <T>(result: T) => {
      await chat.settled(id);
      return result;
    };
    const { userMessage: u1 } = await settle(call['chat.send']!({ conversationId: id, text: 'Once upon a time' }));
    const { userMessage: u2, assistantMessage: a2 } = await settle(
      call['chat.send']!({ conversationId: id, text: 'Then the dog' }),
    );
    const firstA2 = store.message(a2.id);
    expect(firstA2.stats?.outputTokens).toBeGreaterThan(0);

    const { assistantMessage: a2b } = await settle(call['chat.regenerate']!({ conversationId: id }));
    expect(sent.at(-1)).toEqual([
      'user: Once upon a time',
      `assistant: ${store.messages(id)[1]!.text}`,
      'user: Then the dog',
    ]);
    let view = call['conversations.get']!({ id });
    expect(view.messages.map((m: { id: string }) => m.id).slice(2)).toEqual([u2.id, a2b.id]);
    expect(view.branches.siblings[a2b.id]).toEqual([a2.id, a2b.id]);
    // The first version keeps its own text, figures and trace.
    expect(store.message(a2.id)).toEqual(firstA2);
    expect(store.message(a2b.id).stats).not.toBeNull();

    const edited = await settle(call['chat.edit']!({ conversationId: id, messageId: u1.id, text: 'A cat sat' }));
    expect(sent.at(-1)).toEqual(['user: A cat sat']);
    view = call['conversations.get']!({ id });
    expect(view.messages.map((m: { text: string }) => m.text)[0]).toBe('A cat sat');
    expect(view.branches.siblings[edited.userMessage.id]).toEqual([u1.id, edited.userMessage.id]);

    // Back to the first question: its newest branch (the regenerated answer) comes back, and the next
    // message follows it, not the first answer it replaced.
    view = call['conversations.showBranch']!({ conversationId: id, messageId: u1.id });
    expect(view.messages.map((m: { id: string }) => m.id).at(-1)).toBe(a2b.id);
    await settle(call['chat.send']!({ conversationId: id, text: 'The end' }));
    expect(sent.at(-1)).toEqual([
      'user: Once upon a time',
      `assistant: ${store.message(view.messages[1].id).text}`,
      'user: Then the dog',
      `assistant: ${store.message(a2b.id).text}`,
      'user: The end',
    ]);

    // While an answer is being written, its branch can be neither switched nor deleted.
    call['chat.regenerate']!({ conversationId: id });
    expect(() => call['conversations.deleteBranch']!({ conversationId: id, messageId: a2.id })).toThrow(
      /stop it first/,
    );
    expect(() => call['conversations.showBranch']!({ conversationId: id, messageId: a2.id })).toThrow(/stop it first/);
    await chat.settled(id);
    const deleted = call['conversations.deleteBranch']!({ conversationId: id, messageId: a2b.id });
    expect(deleted.shownId).toBe(a2.id);
    expect(deleted.deleted).toBe(4); // a2b, "The end" and its two answers, and nothing more
    expect(deleted.messages.map((m: { id: string }) => m.id)).toEqual([u1.id, view.messages[1].id, u2.id, a2.id]);
    expect(store.allMessages(id)).toHaveLength(4 + 2);
  });
});
