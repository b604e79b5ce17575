// Keyboard-only use of the chat, in Chromium against `edgewise serve` (Ctrl here; Cmd on macOS).
import { test, expect, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;

test.beforeAll(async () => {
  // ignore-EOS (a test-only flag): the answers stopped with Esc cannot end before Esc lands
  shell = await startShell(newDataDir(), {}, ['--ignore-eos']);
});
test.afterAll(async () => {
  await shell?.stop();
});

const lastAnswer = (page: Page) => page.getByTestId('message-assistant').last();
const composer = (page: Page) => page.getByLabel('Message', { exact: true });

test('drives the chat from the keyboard and lists the shortcuts in a help sheet', async ({ page }) => {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');

  await page.keyboard.press('Control+/');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toContainText('Ctrl+Shift+O');
  await expect(sheet).toContainText('New conversation');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  await expect(composer(page)).toBeFocused();

  // A long greedy answer, stopped with Esc.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('4000');
  await page.getByLabel('Temperature').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.keyboard.press('Shift+Escape');
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type('Lily and Ben were friends');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('live-stats')).toContainText('tok');
  await page.keyboard.press('Escape');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'aborted');

  // Regenerate writes a new answer in its place (stopped again the same way).
  await page.keyboard.press('Control+Shift+G');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('live-stats')).toContainText('tok');
  await page.keyboard.press('Escape');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'aborted');
  await expect(page.getByTestId('message-assistant')).toHaveCount(1);

  await page.keyboard.press('Control+Shift+E');
  await expect(page.getByLabel('Edit message')).toBeFocused();
  await expect(page.getByLabel('Edit message')).toHaveValue('Lily and Ben were friends');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.keyboard.press('Control+K');
  await expect(page.getByLabel('Search all messages')).toBeFocused();

  // A second conversation, then back and forth between the two.
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('conversation')).toHaveCount(2);
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
});
