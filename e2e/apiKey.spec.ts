import { test, expect } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

// The /v1 key in Settings: masked, copied whole, rotated only after a confirmation; the old key stops
// working against the running API at once, and the new one is the one kept across a restart.
let shell: Shell | null = null;
test.afterAll(async () => {
  await shell?.stop();
});

async function status(key: string): Promise<number> {
  const response = await fetch(new URL('/v1/models', shell!.url), { headers: { authorization: `Bearer ${key}` } });
  await response.body?.cancel();
  return response.status;
}

test('shows the key masked, copies it, and a confirmed rotation turns the old key off at once', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000); // two shell starts, each loading the demo model
  const dataDir = newDataDir();
  shell = await startShell(dataDir);
  const original = shell.apiKey;
  expect(original).toMatch(/^ew-/);
  expect(await status(original)).toBe(200);

  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(shell.url).origin });
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Routing' }).click();
  const masked = page.getByTestId('api-key-masked');
  await expect(masked).toHaveText(new RegExp(`^ew-•+${original.slice(-4)}$`));
  expect(await page.content()).not.toContain(original);

  await page.getByRole('button', { name: 'Copy key' }).click();
  await expect(page.getByText('Key copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(original);

  // Dismissing the confirmation changes nothing.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Rotate key' }).click();
  await expect(masked).toHaveText(new RegExp(`${original.slice(-4)}$`));
  expect(await status(original)).toBe(200);

  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Rotate key' }).click();
  await expect(page.getByText('New key made. The old key no longer works.')).toBeVisible();
  expect(question).toMatch(/stops working at once/);
  expect(await status(original)).toBe(401);

  await page.getByRole('button', { name: 'Copy key' }).click();
  const rotated = await page.evaluate(() => navigator.clipboard.readText());
  expect(rotated).toMatch(/^ew-/);
  expect(rotated).not.toBe(original);
  await expect(masked).toHaveText(new RegExp(`${rotated.slice(-4)}$`));
  expect(await status(rotated)).toBe(200);

  // The new key is the one kept: after a restart it still works and the old one still does not.
  await shell.stop();
  shell = await startShell(dataDir);
  expect(shell.apiKey).toBe(rotated);
  expect(await status(rotated)).toBe(200);
  expect(await status(original)).toBe(401);
});
