import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

let shell: Shell | null = null;
test.afterEach(async () => {
  await shell?.stop();
  shell = null;
});

test('a data folder whose database is not a database: the app starts, says so, and lists its backups', async ({
  page,
}) => {
  const dataDir = newDataDir();
  writeFileSync(join(dataDir, 'edgewise.db'), 'not a database, a page of text\n'.repeat(100));
  shell = await startShell(dataDir);
  expect(shell.output()).toMatch(/Warning: Edgewise’s database is not an SQLite database/);
  await page.goto(shell.url);
  const banner = page.getByTestId('data-health');
  await expect(banner).toContainText('is not an SQLite database');
  await expect(banner).toContainText('edgewise.db.damaged-');
  await expect(banner).toContainText('nothing was deleted');
  await banner.getByRole('button', { name: 'Backups…' }).click();
  await expect(page.getByRole('region', { name: 'Backups' })).toBeVisible();
  // The recovered database was backed up at once; another is made on request.
  await expect(page.getByTestId('backup-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-row')).toHaveCount(2);
});
