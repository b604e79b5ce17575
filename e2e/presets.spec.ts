// Presets in the UI, in Chromium against `edgewise serve`: apply a shipped one, save one's own, refuse an
// impossible value, and start new conversations with a model's default preset, also after a restart.
import { test, expect, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
let dataDir: string;

test.beforeAll(async () => {
  // made here, not at load: Playwright also loads this file in its runner, which runs no test
  dataDir = newDataDir();
  shell = await startShell(dataDir);
});
test.afterAll(async () => {
  await shell?.stop();
});

async function newConversationSettings(page: Page, before: number) {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('conversation')).toHaveCount(before);
  await page.locator('button.primary', { hasText: 'New conversation' }).click();
  await expect(page.getByTestId('conversation')).toHaveCount(before + 1);
  await page.getByRole('button', { name: 'Settings' }).click();
}

test('applies a shipped preset, saves its own, refuses an impossible one, and sets a model default', async ({
  page,
}) => {
  await newConversationSettings(page, 0);
  await expect(page.getByLabel('Temperature')).toHaveValue('0.7');
  await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'Creative (shipped)' });
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await expect(page.getByLabel('Temperature')).toHaveValue('1');
  await expect(page.getByRole('button', { name: 'Delete preset' })).toBeDisabled();

  await page.getByLabel('Temperature').fill('0.4');
  await page.getByLabel('System prompt').fill('Tell it like a pirate.');
  // Saved with the preset: its thinking switch (off) and the thought budget.
  await page.getByLabel('Thinking', { exact: true }).uncheck();
  await page.getByLabel('Thought budget (tokens; blank: none)').fill('64');
  await page.getByLabel('Save these settings as').fill('Pirate');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await expect(page.getByLabel('Preset', { exact: true })).toContainText('Pirate');

  await page.getByLabel('Temperature').fill('7');
  await page.getByLabel('Save these settings as').fill('Too hot');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await expect(page.getByTestId('notice')).toContainText('The preset was not saved: settings.sampling.temperature');
  await expect(page.getByLabel('Preset', { exact: true })).not.toContainText('Too hot');

  await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'Pirate' });
  await page.getByRole('button', { name: 'Default for this model' }).click();
  await expect(page.getByRole('button', { name: 'Stop using as model default' })).toBeVisible();
});

test('a new conversation with that model starts from its default preset, after a restart too', async ({ page }) => {
  await shell.stop();
  shell = await startShell(dataDir);
  await newConversationSettings(page, 1);
  await expect(page.getByLabel('Temperature')).toHaveValue('0.4');
  await expect(page.getByLabel('System prompt')).toHaveValue('Tell it like a pirate.');
  await expect(page.getByLabel('Thinking', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Thought budget (tokens; blank: none)')).toHaveValue('64');
});

test("choosing a preset sets the conversation's thinking switch and thought budget, and they are kept", async ({
  page,
}) => {
  await newConversationSettings(page, 2);
  const thinking = page.getByLabel('Thinking', { exact: true });
  const budget = page.getByLabel('Thought budget (tokens; blank: none)');
  await expect(thinking).not.toBeChecked(); // the model's default preset, Pirate
  await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'Balanced (shipped)' });
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await expect(thinking).toBeChecked();
  await expect(budget).toHaveValue('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(thinking).toBeChecked();
  await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'Pirate · default for this model' });
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await expect(thinking).not.toBeChecked();
  await expect(budget).toHaveValue('64');
});
