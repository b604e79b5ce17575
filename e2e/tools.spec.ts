// Tools in the app's own chat, in Chromium against `edgewise serve`: a real MCP server (the SDK's McpServer
// over stdio, tests/mcp/mcpTestServer.ts, which appends each tool run to a counter file) added in Settings,
// its tool turned on, and stories260K made to call it (the conversation's "Start with a tool call": function
// calling engaged from the first token, as tool_choice "required" in tests/toolCalling.test.ts). The counter
// proves that nothing runs before the user's answer, and that Deny and Stop run nothing.
import { test, expect, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
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

let shell: Shell;
let counter = '';
const stories = resolve('..', 'shared', 'models', 'stories260K.gguf');

const runs = () => toolRuns(counter);

test.beforeAll(async () => {
  const dataDir = newDataDir();
  counter = join(dataDir, 'tool-runs.txt');
  shell = await startShell(dataDir, {}, ['--model', stories]);
});
test.afterAll(async () => {
  await shell?.stop();
  endLeftoverServers(counter);
});

/** A new conversation that starts each answer with a call, greedy, with the echo tool on. */
async function echoConversation(page: Page, maxTokens: number) {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Max tokens').fill(String(maxTokens));
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Start with a tool call (when tools are on)').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await turnEchoOn(page);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
}

/** Answers every further request of this answer with Deny, so only the first answer decides what ran. */
async function denyTheRest(page: Page) {
  const answer = lastAnswer(page);
  for (;;) {
    const dialog = echoDialog(page);
    const state = await Promise.race([
      dialog.waitFor({ state: 'visible', timeout: 60_000 }).then(() => 'dialog' as const),
      expect(answer)
        .not.toHaveAttribute('data-status', 'streaming', { timeout: 60_000 })
        .then(() => 'done' as const),
    ]);
    if (state === 'done' && !(await dialog.isVisible())) return;
    await dialog.getByRole('button', { name: 'Deny' }).click();
  }
}

test('an MCP tool asks first: Deny runs nothing, Allow once runs it once, and it is in the trace', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Max tokens').fill('48');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Start with a tool call (when tools are on)').check();
  await page.getByRole('button', { name: 'Save settings' }).click();

  // Add the server in Settings: a command, its arguments and its environment.
  await addCounterServer(page, counter);
  const server = page.getByTestId('mcp-server').filter({ hasText: 'counter' });
  await expect(server).toContainText('connected, 3 tools');

  // Off until turned on: the tools are listed, none is on.
  const echo = page.getByRole('checkbox', { name: /echo — Echoes its text/ });
  await expect(echo).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /delete_everything/ })).not.toBeChecked();
  await echo.check();
  await expect(echo).toBeChecked();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();

  // Deny: the dialog shows the call, nothing has run, and nothing runs after.
  await send(page, 'Say hello');
  const dialog = echoDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('tool-consent-server')).toHaveText('MCP server "counter"');
  await expect(dialog.getByTestId('tool-consent-arguments')).toContainText('"text"');
  await expect(dialog.getByTestId('tool-consent-destination')).toHaveText(
    'the model on this device (nothing leaves it)',
  );
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  expect(runs()).toEqual([]);
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await denyTheRest(page);
  expect(runs()).toEqual([]);
  const denied = lastAnswer(page);
  await expect(denied).toHaveAttribute('data-status', 'done');
  await expect(denied.getByTestId('tool-step').first()).toHaveAttribute('data-consent', 'denied');
  await expect(denied.getByTestId('tool-step').first()).toContainText('Tool echo not run (denied)');

  // Allow once: the tool runs once, and the step is in the answer and in its trace.
  await send(page, 'Say hello again');
  await expect(echoDialog(page)).toBeVisible();
  expect(runs()).toEqual([]);
  await echoDialog(page).getByRole('button', { name: 'Allow once' }).click();
  await denyTheRest(page);
  expect(runs()).toEqual(['echo']);
  const allowed = lastAnswer(page);
  const step = allowed.getByTestId('tool-step').first();
  await expect(step).toHaveAttribute('data-consent', 'allowed once');
  await expect(step).toContainText('Used tool echo');
  await step.locator('summary').click();
  await expect(step.getByTestId('tool-result')).toBeVisible();
  await allowed.getByTestId('trace').locator('summary').click();
  const trace = allowed.getByTestId('tools-trace');
  await expect(trace).toContainText('echo');
  await expect(trace).toContainText('counter');
  await expect(trace).toContainText('allowed once');
  await expect(trace).toContainText(/\d+ bytes/);

  // The steps are stored with the message's trace: a reload shows them again.
  await page.reload();
  await expect(lastAnswer(page).getByTestId('tool-step').first()).toHaveAttribute('data-consent', 'allowed once');
});

test('"Allow for this conversation" asks no more; Stop while asking runs nothing', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  // A conversation of its own, with room for the call: continuing the first test's conversation, a longer
  // history made the forced call outgrow 48 tokens in the clean-clone run, so the second answer ran nothing.
  await echoConversation(page, 96);
  const before = runs().length;
  await send(page, 'Tell me a story');
  await expect(echoDialog(page)).toBeVisible();
  expect(runs().length).toBe(before);
  await echoDialog(page).getByRole('button', { name: 'Allow for this conversation' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const ranFirst = runs().length - before;
  expect(ranFirst).toBeGreaterThanOrEqual(1);
  await expect(lastAnswer(page).getByTestId('tool-step').first()).toHaveAttribute(
    'data-consent',
    'allowed for this conversation',
  );

  // Wait for the new answer to be in the page first: until it is, the last answer is the previous one, done.
  const answers = await page.getByTestId('message-assistant').count();
  await send(page, 'And another');
  await expect(page.getByTestId('message-assistant')).toHaveCount(answers + 1);
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(echoDialog(page)).toBeHidden();
  expect(runs().length).toBeGreaterThan(before + ranFirst);
  await expect(lastAnswer(page).getByTestId('tool-step').first()).toHaveAttribute(
    'data-consent',
    'remembered for this conversation',
  );

  // A new conversation asks again; Stop from another window while its dialog is open closes the dialog
  // everywhere and runs nothing.
  await echoConversation(page, 48);
  const ranBefore = runs().length;
  await send(page, 'Say hello');
  await expect(echoDialog(page)).toBeVisible();
  const other = await browser.newPage();
  try {
    await other.goto(shell.url);
    await expect(other.getByRole('button', { name: 'Stop' })).toBeVisible();
    await other.getByRole('button', { name: 'Stop' }).click();
    await expect(echoDialog(page)).toBeHidden();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'aborted');
  } finally {
    await other.close();
  }
  expect(runs().length).toBe(ranBefore);

  // A call cut off by the token limit is said, not shown as an empty answer.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Max tokens').fill('4');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await send(page, 'Say hello');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(lastAnswer(page).getByRole('alert')).toContainText('limit of 4 tokens while writing a tool call');
  expect(runs().length).toBe(ranBefore);
});
