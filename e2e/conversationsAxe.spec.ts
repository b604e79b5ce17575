// axe-core on what issue 15 added (full-text search results, the preset bar, export/import controls, the
// shortcuts sheet), light and dark: 0 serious or critical violations. The other views' audit is left
// to the accessibility work (issue 15, item 6).
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;

test.beforeAll(async () => {
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
});

async function audit(page: Page, include: string) {
  const result = await new AxeBuilder({ page }).include(include).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    include,
  ).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`search results, presets, export/import and the shortcuts sheet pass axe (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(shell.url);
    await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
    await page.locator('button.primary', { hasText: 'New conversation' }).click();
    await page.getByLabel('Search all messages').fill('conversation');
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    await audit(page, 'nav.sidebar');

    await page.getByRole('button', { name: 'Settings' }).click();
    await audit(page, '[data-testid="preset-bar"]');
    await audit(page, 'section.chat .toolbar');

    await page.keyboard.press('Control+/');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await audit(page, 'dialog.shortcuts');
    await page.keyboard.press('Escape');
  });
}
