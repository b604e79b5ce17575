import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { newDataDir, startShell, workerPid, type Shell } from './headlessShell.ts';
import { physicalCores } from '../electron/services/engine/cpuInfo.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
let dataDir: string;

test.beforeAll(async () => {
  // made here, not at load: Playwright also loads this file in its runner, which runs no test
  dataDir = newDataDir();
  shell = await startChatShell();
});
test.afterAll(async () => {
  await shell?.stop();
});

// Every physical core, not the measured default: at 1 thread the demo model finishes a story here before
// Stop can be pressed or the worker killed, and these tests act on answers mid-stream.
const startChatShell = () => startShell(dataDir, {}, ['--threads', String(physicalCores())]);

async function open(page: Page, url = shell.url) {
  await page.goto(url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
}

async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

const lastAnswer = (page: Page) => page.getByTestId('message-assistant').last();

test('sends a message and watches the answer stream in with live speed, then keeps its figures', async ({ page }) => {
  await open(page);
  await send(page, 'Once upon a time');
  await expect(page.getByTestId('message-user')).toHaveText(/Once upon a time/);
  await expect(page.getByTestId('live-stats')).toContainText('tok');
  await expect(lastAnswer(page)).not.toHaveAttribute('data-status', 'streaming');
  await expect(lastAnswer(page).getByTestId('stats')).toContainText(/TTFT \d+ ms/);
  await expect(lastAnswer(page).getByTestId('stats')).toContainText('TinyStories-656K-Q8_0.gguf');
  expect((await lastAnswer(page).getByTestId('message-text').innerText()).length).toBeGreaterThan(20);
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  mkdirSync('docs', { recursive: true });
  await page.setViewportSize({ width: 1200, height: 760 });
  await page.screenshot({ path: 'docs/screenshot.png' });
});

test('stops an answer mid-stream and keeps what was written', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('4000');
  await page.getByLabel('Temperature').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  // This story ends on its own after about 200 tokens, which an idle machine writes in a fraction of a second:
  // when the answer finished before Stop landed, it is regenerated (same length, greedy) and stopped again.
  await send(page, 'Lily and Ben were friends');
  let status = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt > 0) await page.getByRole('button', { name: 'Regenerate' }).click();
    await page
      .getByRole('button', { name: 'Stop' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await expect(lastAnswer(page)).not.toHaveAttribute('data-status', 'streaming');
    status = (await lastAnswer(page).getAttribute('data-status')) ?? '';
    if (status === 'aborted') break;
    expect(status).toBe('done'); // finished first: kept whole
  }
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'aborted');
  await expect(lastAnswer(page).getByTestId('stats')).toContainText('stop: aborted');
  expect((await lastAnswer(page).getByTestId('message-text').innerText()).length).toBeGreaterThan(0);
});

test('regenerates the last answer and edits a message to resend it', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', /done|aborted/, { timeout: 60_000 });
  await page
    .getByRole('button', { name: 'Stop' })
    .click({ timeout: 1000 })
    .catch(() => undefined);
  await expect(lastAnswer(page)).not.toHaveAttribute('data-status', 'streaming');
  await page.getByRole('button', { name: 'Edit' }).last().click();
  await page.getByLabel('Edit message').fill('Once upon a time there was a cat');
  await page.getByRole('button', { name: 'Save & resend' }).click();
  await expect(page.getByTestId('message-user').last()).toHaveText(/there was a cat/);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(lastAnswer(page)).not.toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('message-user')).toHaveCount(2);
});

test('finds the conversation again after a reload and after a server restart', async ({ page }) => {
  await open(page);
  const texts = page.getByTestId('message-text');
  const before = await texts.allTextContents();
  expect(before.length).toBe(4);
  await page.reload();
  await expect(texts).toHaveText(before);
  await shell.stop();
  shell = await startChatShell();
  await open(page, shell.url);
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  await expect(page.getByTestId('message-user').last()).toHaveText(/there was a cat/);
});

test('the engine worker is killed mid-answer; the app says so, recovers, and the user carries on', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'New conversation' }).click();
  await send(page, 'Once upon a time there was a big tree');
  await expect(page.getByTestId('live-stats')).toContainText('tok');
  process.kill(workerPid(shell), 'SIGKILL');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'error');
  await expect(lastAnswer(page)).toContainText(/engine process was stopped by SIGKILL/);
  expect((await lastAnswer(page).getByTestId('message-text').innerText()).length).toBeGreaterThan(0);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await send(page, 'Once upon a time');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', /done|aborted/);
  await expect(page.getByTestId('conversation')).toHaveCount(2);
});

test('text the model cannot read is refused with a clear message and nothing is lost', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await send(page, '### not a story #');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'error');
  await expect(lastAnswer(page).getByRole('alert')).toContainText('no token for "#" (U+0023)');
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
});
