import { test, expect, type Page } from '@playwright/test';
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
  await expect(page.getByTestId('first-run')).toContainText(
    /best fit for this machine is .+ at (F16|Q8_0|Q6_K|Q5_K_M|Q4_K_M|Q4_0)/,
  );
  await expect(page.getByTestId('first-run')).toContainText(/GB to download/);
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
