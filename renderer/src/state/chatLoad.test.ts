// The chat store's first load picks the most recent conversation only when nobody has chosen one meanwhile.
// A stress run found New conversation pressed while the list was on its way taken back by that pick, so the
// message typed next went to the conversation open before. The client here is the renderer's own, over the
// preload bridge path, answered by the contract's real dispatcher; the list's answer is held back until the
// test lets it go, which is the slow moment of a loaded machine made certain.
import { beforeAll, expect, it } from 'vitest';
import { appContract, type AppContract } from '../../../shared/contract.ts';
import type { Handlers } from '../../../shared/rpc.ts';
import { defaultSettings, type Conversation } from '../../../shared/schemas.ts';
import { chatActions, useChatStore } from './chatStore.ts';
import { connectTestBridge } from './testBridge.ts';

const conversation = (id: string, title: string, at: number): Conversation =>
  appContract.calls['conversations.create'].result.parse({
    id,
    title,
    modelId: null,
    settings: defaultSettings,
    createdAt: at,
    updatedAt: at,
  });
const older = conversation('older', 'Send the wide table.', 1);
const made: Conversation[] = [];
/** List calls held back, each answered when the test lets them go. */
const waiting: (() => void)[] = [];

const handlers = {
  'conversations.list': async () => {
    await new Promise<void>((resolve) => waiting.push(resolve));
    return [...made, older];
  },
  'conversations.create': () => {
    const c = conversation(`new-${made.length + 1}`, 'New conversation', 2);
    made.unshift(c);
    return c;
  },
  'conversations.get': ({ id }) => ({
    conversation: [...made, older].find((c) => c.id === id)!,
    messages: [],
    branches: { leafId: null, siblings: {} },
  }),
} as Partial<Handlers<AppContract>>;

beforeAll(async () => {
  await connectTestBridge(handlers);
});

/** Lets go of every list call waiting, until `done` settles. */
async function answerLists(done: Promise<unknown>) {
  let settled = false;
  void done.finally(() => (settled = true));
  while (!settled) {
    for (const release of waiting.splice(0)) release();
    await new Promise((r) => setTimeout(r, 1));
  }
}

it('New conversation pressed while the first list is on its way stays the open one', async () => {
  const loading = chatActions.load(); // the window opens: the list is asked for, and held back
  while (waiting.length === 0) await new Promise((r) => setTimeout(r, 1));
  const creating = chatActions.create(); // the user presses New conversation before the list comes
  await answerLists(Promise.all([loading, creating]));
  expect(made.map((c) => c.id)).toEqual(['new-1']);
  expect(useChatStore.getState().currentId).toBe('new-1');
  expect(useChatStore.getState().conversations.map((c) => c.id)).toEqual(['new-1', 'older']);
});

it('with nobody choosing meanwhile, the first load opens the most recent conversation', async () => {
  useChatStore.setState({ currentId: null, conversations: [], messages: [] });
  await answerLists(chatActions.load());
  expect(useChatStore.getState().currentId).toBe('new-1');
});
