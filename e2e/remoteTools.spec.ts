// Tools on a remote tier, in Chromium against `edgewise serve`: a loopback OpenAI-compatible server in the
// partner cloud's place (tests/remoteToolServer.ts, which keeps every request) asks for the `echo` tool of a
// real MCP server (tests/mcp/mcpTestServer.ts, which appends each run to a counter file) that the user added
// in Settings and turned on for the conversation. The partner's per-query consent comes first, then the
// tool's own consent; the request list and the counter prove that nothing was sent and nothing ran before
// each answer, and the second request shows what reached the partner: the tool's result or the refusal.
// The last test puts another such server in a private server's place: no partner consent, the same tool's.
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { remoteModel, toolResults, type RemoteModel } from '../tests/remoteToolServer.ts';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import {
  addCounterServer,
  echoDialog,
  endLeftoverServers,
  lastAnswer,
  send,
  toolRuns,
  turnEchoOn,
} from './mcpCounter.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell | undefined;
let partner: RemoteModel | undefined;
/** A private server in the same script's place, added in the last test. */
let home: RemoteModel | undefined;
let counter = '';
/** While set, the partner holds its answer after the tool open (before it ends) until this settles. */
let hold: Promise<unknown> | undefined;
let release: () => void = () => {};
const question = 'Prove that there are infinitely many primes.';

const runs = () => toolRuns(counter);

test.beforeAll(async () => {
  const dataDir = newDataDir();
  counter = join(dataDir, 'tool-runs.txt');
  // First request: call echo. Once a tool result comes back: say what it was.
  partner = await remoteModel('openai', (body) => {
    const results = toolResults('openai', body);
    if (results.length === 0) return { calls: [{ name: 'echo', args: '{"text":"hello from the partner"}' }] };
    return { text: `The tool said: ${results[0]!.content}`, hold };
  });
  // Each question (a request without this turn's tool result) calls echo once.
  home = await remoteModel('openai', (body) => {
    const last = (body.messages as { role: string; content: string }[]).at(-1)!;
    if (last.role !== 'tool') return { calls: [{ name: 'echo', args: '{"text":"hello from home"}' }] };
    return { text: `Home's tool said: ${last.content}` };
  });
  shell = await startShell(dataDir);
});
test.afterAll(async () => {
  release();
  await shell?.stop();
  await partner?.close();
  await home?.close();
  endLeftoverServers(counter);
});

/** A new conversation with the counter server's echo tool on (the server is added the first time). */
async function conversationWithEcho(page: Page) {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const server = page.getByTestId('mcp-server').filter({ hasText: 'counter' });
  await expect(page.getByTestId('tools-panel').getByRole('status')).toHaveCount(0);
  if ((await server.count()) === 0) await addCounterServer(page, counter);
  await expect(server).toContainText('connected, 3 tools');
  await turnEchoOn(page);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
}

/**
 * Sends the question and checks that nothing was sent or run before the partner's consent; says yes to it,
 * and checks the same before the tool's consent. Returns the tool's dialog.
 */
async function sendToPartner(page: Page, sentBefore: number, ranBefore: string[]) {
  await send(page, question);
  const consent = page.getByTestId('consent-dialog');
  await expect(consent).toContainText('Send this query to Test Cloud?');
  await expect(consent.getByTestId('consent-tools')).toContainText('echo (MCP server counter)');
  expect(partner!.requests).toHaveLength(sentBefore);
  expect(runs()).toEqual(ranBefore);
  await consent.getByRole('button', { name: 'Send this query' }).click();
  // The partner asks for the tool: its dialog shows the call, and still nothing has run.
  const dialog = echoDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('tool-consent-server')).toHaveText('MCP server "counter"');
  await expect(dialog.getByTestId('tool-consent-arguments')).toContainText('"hello from the partner"');
  await expect(dialog.getByTestId('tool-consent-destination')).toHaveText(
    `Test Cloud (${new URL(partner!.baseUrl).host})`,
  );
  expect(partner!.requests).toHaveLength(sentBefore + 1);
  const offered = (partner!.requests[sentBefore]!.tools as { function: { name: string } }[]).map(
    (t) => t.function.name,
  );
  expect(offered).toEqual(['echo']);
  expect(runs()).toEqual(ranBefore);
  return dialog;
}

test('the partner asks for a tool: its consent, then the tool consent; Allow sends the result back', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(shell!.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByLabel('Partner name').fill('Test Cloud');
  await page.getByLabel('Partner URL').fill(partner!.baseUrl);
  await page.getByLabel('Partner model').fill('scripted');
  await page.getByLabel('Partner API key').fill('sk-test-never-shown-0002');
  await page.getByRole('button', { name: 'Save partner' }).click();
  await expect(page.getByRole('form', { name: 'Partner cloud' })).toContainText('key set');
  await page.getByRole('tab', { name: 'Chat' }).click();
  await conversationWithEcho(page);

  const dialog = await sendToPartner(page, 0, []);
  // The README's picture of tools: the call, its server, where its result would go, and the three answers.
  await page.screenshot({ path: 'docs/tools.png' });
  // The partner's answer after the tool is held open, so the step is seen while the answer still streams.
  hold = new Promise<void>((r) => (release = r));
  try {
    await dialog.getByRole('button', { name: 'Allow once' }).click();
    const answer = lastAnswer(page);
    const step = answer.getByTestId('tool-step');
    await expect(step).toHaveAttribute('data-consent', 'allowed once');
    await expect(step).toContainText('Used tool echo');
    await expect(answer.getByTestId('message-text')).toHaveText('The tool said: hello from the partner');
    await expect(answer).toHaveAttribute('data-status', 'streaming');
    await expect(answer.getByTestId('live-stats')).toBeVisible();
    expect(runs()).toEqual(['echo']);
    expect(partner!.requests).toHaveLength(2);
    expect(toolResults('openai', partner!.requests[1]!).map((r) => r.content)).toEqual(['hello from the partner']);
  } finally {
    release();
    hold = undefined;
  }

  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-text')).toHaveText('The tool said: hello from the partner');
  await expect(answer.getByTestId('tool-step')).toHaveCount(1);
  const trace = answer.getByTestId('trace');
  await expect(trace).toHaveAttribute('data-tier', 'partner');
  await trace.locator('summary').click();
  await expect(trace).toContainText('consent: yes');
  const tools = answer.getByTestId('tools-trace');
  await expect(tools).toContainText('echo');
  await expect(tools).toContainText('counter');
  await expect(tools).toContainText('allowed once');
  await answer.getByTestId('tool-step').locator('summary').click();
  await expect(answer.getByTestId('tool-result')).toHaveText('hello from the partner');
  expect(runs()).toEqual(['echo']);
  expect(partner!.requests).toHaveLength(2);
});

test('Deny: the tool never runs, and the refusal is what reaches the partner', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(shell!.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await conversationWithEcho(page);
  const before = runs();
  expect(before).toEqual(['echo']);
  const sent = partner!.requests.length;

  // The counter holds only the first test's run.
  const dialog = await sendToPartner(page, sent, before);
  await dialog.getByRole('button', { name: 'Deny' }).click();
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  expect(runs()).toEqual(before);
  expect(partner!.requests).toHaveLength(sent + 2);
  const refusal = toolResults('openai', partner!.requests[sent + 1]!);
  expect(refusal).toHaveLength(1);
  expect(refusal[0]!.content).toMatch(/^The user denied this call\./);
  await expect(answer.getByTestId('message-text')).toContainText('The tool said: The user denied this call.');
  const step = answer.getByTestId('tool-step');
  await expect(step).toHaveAttribute('data-consent', 'denied');
  await expect(step).toContainText('Tool echo not run (denied)');
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'partner');
});

test('a private server asks for a tool: no partner consent, the tool consent names the server', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(shell!.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByLabel('Private server name').fill('Home Server');
  await page.getByLabel('Private server URL').fill(home!.baseUrl);
  await page.getByLabel('Private server model').fill('scripted');
  await page.getByRole('button', { name: 'Save private server' }).click();
  await expect(page.getByRole('form', { name: 'Private server' })).toContainText('Home Server');
  await page.getByRole('tab', { name: 'Chat' }).click();
  await conversationWithEcho(page);
  const ranBefore = runs();
  const partnerSent = partner!.requests.length;

  // A demanding query goes to the private server when it is reachable: no partner consent is asked.
  await send(page, question);
  const dialog = echoDialog(page);
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
  await expect(dialog.getByTestId('tool-consent-destination')).toHaveText(
    `Home Server (${new URL(home!.baseUrl).host})`,
  );
  expect(home!.requests).toHaveLength(1);
  expect(runs()).toEqual(ranBefore);
  await dialog.getByRole('button', { name: 'Allow for this conversation' }).click();
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-text')).toHaveText("Home's tool said: hello from home");
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'private');
  await expect(answer.getByTestId('tool-step')).toHaveAttribute('data-consent', 'allowed for this conversation');
  expect(runs()).toEqual([...ranBefore, 'echo']);
  expect(toolResults('openai', home!.requests[1]!).map((r) => r.content)).toEqual(['hello from home']);

  // The next question in this conversation runs the tool without asking, and the partner got nothing.
  await send(page, question);
  const next = lastAnswer(page);
  await expect(next.getByTestId('message-text')).toHaveText("Home's tool said: hello from home");
  await expect(next).toHaveAttribute('data-status', 'done');
  await expect(dialog).toBeHidden();
  await expect(next.getByTestId('tool-step')).toHaveAttribute('data-consent', 'remembered for this conversation');
  expect(runs()).toEqual([...ranBefore, 'echo', 'echo']);
  expect(home!.requests).toHaveLength(4);
  expect(partner!.requests).toHaveLength(partnerSent);
});
