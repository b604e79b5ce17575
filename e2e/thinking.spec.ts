// A reasoning model through the real engine, as a user sees it: `edgewise serve` runs the crafted
// Qwen3-style thinking model (bench make-model --thinking), node-llama-cpp parses its <think> segment,
// and the page shows a Thinking block above the answer that folds when the answer starts, keeps the
// thought after a restart, turns off with the conversation's switch and says so when only thinking came.
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { tempDir } from '../tests/fixtures.ts';
import { thinkingModelText, writeThinkingModel } from '../electron/services/quant/thinkingModel.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
let modelPath = '';
let dataDir = '';
const start = () => startShell(dataDir, {}, ['--model', modelPath, '--threads', '1']);

test.beforeAll(async () => {
  modelPath = join(tempDir('edgewise-thinking-'), 'thinking.gguf');
  await writeThinkingModel(modelPath);
  dataDir = newDataDir();
  shell = await start();
});
test.afterAll(async () => {
  await shell?.stop();
});

const lastAnswer = (page: Page) => page.getByTestId('message-assistant').last();

async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(lastAnswer(page)).not.toHaveAttribute('data-status', 'streaming');
}

async function settings(page: Page, change: (page: Page) => Promise<void>) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await change(page);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
}

test('the thought streams into a Thinking block that folds when the answer starts, and survives a restart', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.locator('button.primary', { hasText: 'New conversation' }).click();
  await send(page, 'Hello there');
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-text')).toHaveText(thinkingModelText.answer);
  const block = answer.getByTestId('thinking');
  // Folded once the answer started, with the thought's own time and token count.
  await expect(block).not.toHaveAttribute('open');
  await expect(block.locator('summary')).toHaveText(/^Thought for \d+(\.\d)? s, 10 tokens$/);
  await expect(answer.getByTestId('stats')).toContainText('10 thinking tok, first answer token after');
  await block.locator('summary').click();
  await expect(block).toHaveAttribute('open');
  await expect(block.getByTestId('thoughts')).toHaveText(thinkingModelText.thought);
  // The thought is not part of the answer's text.
  await expect(answer.getByTestId('message-text')).not.toContainText('greets');

  // Stored with the message: a restarted shell on the same data folder shows it again.
  await shell.stop();
  shell = await start();
  await page.goto(shell.url);
  const restored = lastAnswer(page);
  await expect(restored.getByTestId('message-text')).toHaveText(thinkingModelText.answer);
  await restored.getByTestId('thinking').locator('summary').click();
  await expect(restored.getByTestId('thoughts')).toHaveText(thinkingModelText.thought);

  // A second question sends the first answer back with its thought as a segment; the model answers again.
  await send(page, 'And again');
  await expect(lastAnswer(page).getByTestId('message-text')).toHaveText(thinkingModelText.answer);
});

test("the conversation's switch turns thinking off through the model's template", async ({ page }) => {
  await page.goto(shell.url);
  await page.locator('button.primary', { hasText: 'New conversation' }).click();
  await settings(page, (p) => p.getByLabel('Thinking').uncheck());
  await send(page, 'Hello there');
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('message-text')).toHaveText(thinkingModelText.answer);
  await expect(answer.getByTestId('thinking')).toHaveCount(0);
  await expect(answer.getByTestId('stats')).toContainText("thinking off (by the model's template)");
});

test('a model that only thinks (cut by the token limit) keeps its thought and says why there is no answer', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.locator('button.primary', { hasText: 'New conversation' }).click();
  await settings(page, (p) => p.getByLabel('Max tokens').fill('6'));
  await send(page, 'Hello there');
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-text')).toHaveText('');
  await expect(answer.getByTestId('thinking-note')).toContainText('reached the answer’s token limit while thinking');
  await answer.getByTestId('thinking').locator('summary').click();
  const thought = (await answer.getByTestId('thoughts').textContent()) ?? '';
  expect(thought.length).toBeGreaterThan(0);
  expect(thinkingModelText.thought.startsWith(thought)).toBe(true);
});
