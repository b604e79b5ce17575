import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
});

const cell = (page: Page, tier: string, device: string) =>
  page.locator(`[data-testid="fit-cell"][data-tier="${tier}"][data-device="${device}"]`);

test('the fit matrix recolors when quantization, context or KV cache type change', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Fit' }).click();
  const air8b = cell(page, '3-8B', '16 GB MacBook Air');
  await expect(air8b).toHaveAttribute('data-verdict', 'fits');
  await expect(cell(page, '30B+', '4-6 GB phone (iPhone 17)')).toHaveAttribute('data-verdict', 'no');
  await expect(page.locator('[data-testid="fit-cell"][data-device^="This machine"]')).toHaveCount(6);

  await page.getByLabel('Context length').selectOption('131072');
  await expect(air8b).not.toHaveAttribute('data-verdict', 'fits');
  await page.getByLabel('KV cache type').selectOption('q8_0');
  await page.getByLabel('Context length').selectOption('8192');
  await page.getByLabel('Quantization').selectOption('F16');
  await expect(air8b).not.toHaveAttribute('data-verdict', 'fits');
  await page.getByLabel('Quantization').selectOption('Q4_K_M');
  await expect(air8b).toHaveAttribute('data-verdict', 'fits');
  await expect(page.getByTestId('best-fit')).toContainText('Best fit for this machine');
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.screenshot({ path: 'docs/fit.png', fullPage: true });
});

test('on first run, with only the demo model, a card recommends the best fit for this machine', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('button', { name: 'New conversation' }).click();
  // Which model and level depends on this machine's measured speed (under load the stress trial got BitNet
  // at TQ1_0): the card must name one, with its download and memory, whatever it is.
  await expect(page.getByTestId('first-run')).toContainText(
    /best fit for this machine is .+ at [A-Z0-9_]+: about [\d.]+ GB to download, [\d.]+ GB in memory/,
  );
});

test('a cell explains its models: weights, KV cache, buffers, total, budget and margin', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Fit' }).click();
  await cell(page, '3-8B', '8-12 GB phone (Pixel 11)').click();
  const detail = page.getByTestId('fit-detail');
  await expect(detail).toContainText('Budget 6.0 GB');
  await expect(detail.getByTestId('fit-model').filter({ hasText: 'Llama 3.1 8B' })).toContainText(/GB free|GB short/);
  await expect(detail).toContainText('half of RAM');
  await expect(detail.getByRole('columnheader', { name: 'KV cache' })).toBeVisible();
});

test('a device the user adds becomes a column, stays after a reload, and can be removed', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Fit' }).click();
  await page.getByLabel('Device name').fill('Gaming PC');
  await page.getByLabel('Device memory (GB)').fill('32');
  await page.getByLabel('Memory type').selectOption('discrete');
  await page.getByLabel('VRAM (GB)').fill('8');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(cell(page, 'under 1B', 'Gaming PC')).toHaveAttribute('data-verdict', 'fits');
  await page.reload();
  await page.getByRole('tab', { name: 'Fit' }).click();
  await expect(cell(page, '8-15B', 'Gaming PC')).toHaveAttribute('data-verdict', 'tight');
  await page.getByRole('button', { name: 'Remove Gaming PC' }).click();
  await expect(cell(page, 'under 1B', 'Gaming PC')).toHaveCount(0);
});

test('each cell shows a labelled speed prediction, and the reading speed shades fitting cells that are too slow', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Fit' }).click();
  const air1b = cell(page, '1-3B', '16 GB MacBook Air');
  await expect(air1b).toHaveAttribute('data-verdict', 'fits');
  await expect(air1b.getByTestId('cell-speed')).toHaveText(/^predicted ~[\d.]+ tok\/s, first token ~[\d.]+ (s|ms)$/);
  await expect(air1b).toHaveAttribute('data-too-slow', 'false');

  // A reading speed no device reaches: every cell that fits is shaded, and says so in words.
  const speed = page.getByLabel('Reading speed (tokens per second)');
  await speed.fill('10000');
  await expect(air1b).toHaveAttribute('data-too-slow', 'true');
  await expect(air1b).toContainText('⏳ slower than your reading speed');
  await expect(page.getByTestId('best-fit')).toContainText('Best fit for this machine: none');
  // It is kept: after a reload the same threshold shades the same cell.
  await page.reload();
  await page.getByRole('tab', { name: 'Fit' }).click();
  await expect(page.getByLabel('Reading speed (tokens per second)')).toHaveValue('10000');
  await expect(cell(page, '1-3B', '16 GB MacBook Air')).toHaveAttribute('data-too-slow', 'true');

  await page.getByLabel('Reading speed (tokens per second)').fill('1');
  await expect(cell(page, '1-3B', '16 GB MacBook Air')).toHaveAttribute('data-too-slow', 'false');
  await expect(page.getByTestId('best-fit')).toContainText(/at or above your reading speed of 1 tok\/s/);
  await page.getByLabel('Reading speed (tokens per second)').fill('10');
  await expect(page.getByLabel('Reading speed (tokens per second)')).toHaveValue('10');
});

test('a cell explains its predicted speed: bytes per token over bandwidth, prompt FLOPs over compute', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Fit' }).click();
  await cell(page, '3-8B', '16 GB MacBook Air').click();
  const detail = page.getByTestId('fit-detail');
  await expect(detail.getByRole('columnheader', { name: 'Predicted decode' })).toBeVisible();
  const arithmetic = detail.getByTestId('speed-arithmetic');
  await expect(arithmetic).toContainText('a prediction, not a measurement');
  await expect(arithmetic).toContainText(/Peak bandwidth 120 GB\/s/);
  await expect(arithmetic.locator('li').filter({ hasText: 'Llama 3.1 8B' })).toContainText(
    /of KV cache = .* per token ≈ [\d.]+ tok\/s\. First token: 2 × active parameters × 100 tokens = [\d.]+ GFLOP/,
  );
});

test('the Models view shows a predicted speed next to each catalog entry that fits', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Models' }).click();
  const row = page.locator('[data-testid="catalog-row"][data-model="tinystories-656k"]');
  await expect(row.getByTestId('catalog-speed')).toHaveText(/~[\d.]+ tok\/s, first token ~[\d.]+ (s|ms)/);
  await expect(row.getByTestId('catalog-speed')).toHaveAttribute('title', /A prediction for this machine/);
});

test('before loading a model predicted under the reading speed, the app says so and what to choose instead', async ({
  page,
}) => {
  // A shell of its own with a second model in its models folder, so the other tests keep only the demo.
  const dataDir = newDataDir();
  mkdirSync(join(dataDir, 'models'), { recursive: true });
  copyFileSync(join('..', 'shared', 'models', 'stories260K.gguf'), join(dataDir, 'models', 'stories260K.gguf'));
  const second = await startShell(dataDir);
  try {
    await page.goto(second.url);
    await page.getByRole('tab', { name: 'Fit' }).click();
    await page.getByLabel('Reading speed (tokens per second)').fill('10000');
    await page.reload();
    await page.getByRole('tab', { name: 'Fit' }).click();
    await expect(page.getByLabel('Reading speed (tokens per second)')).toHaveValue('10000');
    const modelSelect = page.getByLabel('Model', { exact: true });
    const before = await modelSelect.inputValue();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await modelSelect.selectOption({
      label: (await modelSelect.locator('option', { hasText: /F32/ }).textContent())!,
    });
    await expect
      .poll(() => dialogs.join('\n'))
      .toMatch(
        /fits in memory but is predicted at ~[\d.]+ tok\/s here \(a prediction\), under your reading speed of 10000 tok\/s\. Choose .+ instead/,
      );
    expect(dialogs[0]).toContain('Load it anyway?');
    // Declined: nothing was loaded in its place.
    await expect(page.getByText(/Ready · cpu/)).not.toContainText('F32');
    expect(await modelSelect.inputValue()).toBe(before);
  } finally {
    await second.stop();
  }
});
