import { test, expect, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell | null = null;
let dataDir: string;
test.beforeAll(() => {
  // made here, not at load: Playwright also loads this file in its runner, which runs no test
  dataDir = newDataDir();
});
test.afterAll(async () => {
  await shell?.stop();
});

async function open(page: Page) {
  await page.goto(shell!.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
}

test('flash attention set in the engine bar reloads the model, answers, and is kept across restarts', async ({
  page,
}) => {
  shell = await startShell(dataDir);
  await open(page);
  const select = page.getByLabel('Flash attention');
  await expect(select).toHaveValue('auto');
  await select.selectOption('off');
  // The model is loaded again with the new contexts; the status the engine sends back says which it used.
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await expect(select).toHaveValue('off');
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByLabel('Message', { exact: true }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('message-assistant').last()).not.toBeEmpty();

  await shell.stop();
  shell = await startShell(dataDir);
  await open(page);
  await expect(page.getByLabel('Flash attention')).toHaveValue('off');

  // A --flash-attention flag wins over the setting for that run.
  await shell.stop();
  shell = await startShell(dataDir, {}, ['--flash-attention', 'on']);
  await open(page);
  await expect(page.getByLabel('Flash attention')).toHaveValue('on');
});
