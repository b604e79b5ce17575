import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { startModelServer, type ModelServer } from '../tests/modelServer.ts';

test.describe.configure({ mode: 'serial' });

const stories = join('..', 'shared', 'models', 'stories260K.gguf');
let shell: Shell;
let server: ModelServer;
test.beforeAll(async () => {
  // An Ollama store as `ollama pull` leaves it, pointed at with OLLAMA_MODELS.
  const ollama = newDataDir();
  const digest = createHash('sha256').update(readFileSync(stories)).digest('hex');
  mkdirSync(join(ollama, 'blobs'));
  copyFileSync(stories, join(ollama, 'blobs', `sha256-${digest}`));
  mkdirSync(join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'stories'), { recursive: true });
  writeFileSync(
    join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'stories', '260k'),
    JSON.stringify({
      schemaVersion: 2,
      layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${digest}`, size: 1 }],
    }),
  );
  server = await startModelServer(join('..', 'shared', 'models', 'TinyStories-656K.f16.gguf'));
  shell = await startShell(newDataDir(), { OLLAMA_MODELS: ollama, HOME: newDataDir() });
});
test.afterAll(async () => {
  await shell?.stop();
  await server?.close();
});

test("the Models view lists Ollama's models in place, downloads a file with a verified hash, and manages it", async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Models' }).click();
  const ollamaRow = page.locator('[data-testid="local-model"][data-source="ollama"]');
  await expect(ollamaRow).toContainText('stories:260k');
  await expect(ollamaRow).toContainText('F32');
  await expect(ollamaRow.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  // Catalog rows carry a fit verdict for this machine and the QAT flag where it applies.
  await expect(
    page.locator('[data-testid="catalog-row"][data-model="qwen3-0.6b"] [data-testid="fit-badge"]'),
  ).toHaveText(/fits|tight|no/);

  await page.getByLabel('Model URL').fill(server.url('TinyStories-656K.f16.gguf'));
  await page.getByRole('button', { name: 'Download', exact: true }).first().click();
  const download = page.getByTestId('download').first();
  await expect(download).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(download).toContainText('sha256 verified against the server');
  const mine = page.locator('[data-testid="local-model"][data-source="library"]');
  await expect(mine).toContainText('TinyStories-656K.f16.gguf');
  await expect(mine).toContainText('F16');

  await mine.getByRole('button', { name: /Rename/ }).click();
  await page.getByLabel('New name').fill('Story teller F16');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(mine).toContainText('Story teller F16');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.screenshot({ path: 'docs/models.png', fullPage: true });

  await mine.getByRole('button', { name: 'Use in conversation' }).click();
  await expect(page.getByRole('tab', { name: 'Chat' })).toHaveAttribute('aria-selected', 'true');
  await page.getByLabel('Message', { exact: true }).fill('Once upon a time');
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await expect(page.getByTestId('stats').last()).toContainText('TinyStories-656K.f16.gguf', { timeout: 30_000 });

  await page.getByRole('tab', { name: 'Models' }).click();
  // While it is loaded, removing it is refused with the reason.
  page.once('dialog', (d) => void d.accept());
  await mine.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('notice')).toContainText('This model is loaded');
  const modelSelect = page.getByLabel('Model', { exact: true });
  await modelSelect.selectOption({ label: (await modelSelect.locator('option', { hasText: 'demo' }).textContent())! });
  // Once the demo model has replaced it, the delete goes through.
  await expect(async () => {
    page.once('dialog', (d) => void d.accept());
    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect(mine).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  expect(existsSync(join(shell.dataDir, 'models', 'TinyStories-656K.f16.gguf'))).toBe(false);
});
