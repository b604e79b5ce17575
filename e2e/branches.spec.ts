// Branches as a user meets them, in Chromium against `edgewise serve`: regenerate keeps the first answer
// (‹ 2 / 2 ›), go back to it, edit the question (a new branch), restart the server and find the chosen
// path and every version still there; move between versions from the keyboard; delete one.
import { test, expect, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let dataDir: string;
let shell: Shell;

// Made here, not when the file loads: Playwright's runner loads the file too, and would leave its folder.
test.beforeAll(async () => {
  dataDir = newDataDir();
  shell = await startShell(dataDir);
});
test.afterAll(async () => {
  await shell?.stop();
});

async function open(page: Page) {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
}
const answer = (page: Page) => page.getByTestId('message-assistant').last();
const question = (page: Page) => page.getByTestId('message-user').last();
const position = (message: ReturnType<typeof answer>) => message.getByTestId('branch-position');

test('regenerate and edit keep every version, and the chosen path survives a restart', async ({ page }) => {
  // Three answers and a restart of the server with its model.
  test.setTimeout(240_000);
  await open(page);
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('16');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByLabel('Message', { exact: true }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(answer(page)).toHaveAttribute('data-status', 'done');
  await expect(answer(page).getByTestId('branches')).toHaveCount(0);
  const first = await answer(page).getAttribute('data-message-id');

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(position(answer(page))).toHaveText('2 / 2');
  await expect(answer(page)).toHaveAttribute('data-status', 'done');
  const second = await answer(page).getAttribute('data-message-id');
  expect(second).not.toBe(first);
  await expect(answer(page).getByRole('button', { name: 'Next version of this answer' })).toBeDisabled();

  await answer(page).getByRole('button', { name: 'Previous version of this answer' }).click();
  await expect(position(answer(page))).toHaveText('1 / 2');
  await expect(answer(page)).toHaveAttribute('data-message-id', first!);

  await question(page).getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Edit message').fill('A dog ran to the park');
  await page.getByRole('button', { name: 'Save & resend' }).click();
  await expect(position(question(page))).toHaveText('2 / 2');
  await expect(question(page).getByTestId('message-text')).toHaveText('A dog ran to the park');
  await expect(answer(page)).toHaveAttribute('data-status', 'done');
  await expect(answer(page).getByTestId('branches')).toHaveCount(0);

  // Back to the first question: the answer chosen there (version 1 of 2) comes back with it.
  await question(page).getByRole('button', { name: 'Previous version of this message' }).click();
  await expect(question(page).getByTestId('message-text')).toHaveText('Once upon a time');
  await expect(position(question(page))).toHaveText('1 / 2');
  await expect(position(answer(page))).toHaveText('1 / 2');

  await shell.stop();
  shell = await startShell(dataDir);
  await open(page);
  await expect(question(page).getByTestId('message-text')).toHaveText('Once upon a time');
  await expect(position(question(page))).toHaveText('1 / 2');
  await expect(position(answer(page))).toHaveText('1 / 2');
  await expect(answer(page)).toHaveAttribute('data-message-id', first!);
  await question(page).getByRole('button', { name: 'Next version of this message' }).click();
  await expect(question(page).getByTestId('message-text')).toHaveText('A dog ran to the park');
  await question(page).getByRole('button', { name: 'Previous version of this message' }).click();
  await expect(position(answer(page))).toHaveText('1 / 2');
});

test('moves between versions from the keyboard and deletes the one shown', async ({ page }) => {
  await open(page);
  await expect(position(answer(page))).toHaveText('1 / 2');
  // Nothing focused: the keys act on the last message with versions, here the answer.
  await page.keyboard.press('Alt+Shift+ArrowRight');
  await expect(position(answer(page))).toHaveText('2 / 2');
  await page.keyboard.press('Alt+Shift+ArrowLeft');
  await expect(position(answer(page))).toHaveText('1 / 2');
  await page.keyboard.press('Control+/');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toContainText('Alt+Shift+→');
  await expect(sheet).toContainText('Next version of a message');
  await page.keyboard.press('Escape');

  const shown = await answer(page).getAttribute('data-message-id');
  page.once('dialog', (dialog) => void dialog.accept());
  await answer(page).getByRole('button', { name: 'Delete version 1 of this answer' }).click();
  await expect(page.getByTestId('branch-status')).toHaveText(
    'Deleted that version and what followed it (1 message(s)). Showing the one version left.',
  );
  await expect(answer(page)).not.toHaveAttribute('data-message-id', shown!);
  await expect(answer(page).getByTestId('branches')).toHaveCount(0);
  // The question's two versions are untouched.
  await expect(position(question(page))).toHaveText('1 / 2');
  await expect(question(page).getByTestId('message-text')).toHaveText('Once upon a time');
});
