import { test, expect } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

// The embedding model picker against the real headless shell: the library's models (embedding models
// first, chat models apart), the catalog's embedding GGUFs to download, what is in use, and a choice
// that the shell keeps (a reload asks it again).
let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
});

test('lists the models usable for embeddings, offers the catalog ones, and keeps the choice', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Models' }).click();
  const picker = page.getByLabel('Embedding model', { exact: true });
  const inUse = page.getByTestId('embedding-in-use');
  await expect(inUse).toHaveText('In use: none; no embedding model is set up: ranked by bm25 alone');
  await expect(picker).toHaveValue('');

  // The bundled demo model is a decoder: usable, listed with the chat models.
  const demo = picker.locator('optgroup[label="Chat models (usable, weaker embeddings)"] option');
  await expect(demo).toHaveCount(1);
  const demoName = (await demo.textContent())!.replace(/ \([^()]*\)$/, '');
  expect(await picker.locator('optgroup[label="Embedding models"]').count()).toBe(0);

  // The catalog's two embedding GGUFs, neither in the library yet.
  const offers = page.getByRole('list', { name: 'Embedding models to download' });
  await expect(offers.getByRole('button', { name: 'Download nomic-embed-text v1.5' })).toBeVisible();
  await expect(offers.getByRole('button', { name: 'Download BGE small en v1.5' })).toBeVisible();

  await picker.selectOption({ label: (await demo.textContent())! });
  await expect(inUse).toHaveText(
    `In use: ${demoName}; embedded by ${demoName}: cosine similarity fused with bm25 by reciprocal rank`,
  );

  // Kept by the shell, not the page: a reload asks it and shows the same choice.
  await page.reload();
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(inUse).toContainText(`In use: ${demoName}; embedded by ${demoName}:`);
  await expect(picker).not.toHaveValue('');

  await picker.selectOption('');
  await expect(inUse).toHaveText('In use: none; no embedding model is set up: ranked by bm25 alone');
});
