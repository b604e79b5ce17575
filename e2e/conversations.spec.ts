// Export, import and full-text search in the UI, in Chromium against `edgewise serve`.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;

test.beforeAll(async () => {
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
});

async function open(page: Page) {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
}

const settings = {
  systemPrompt: 'Answer in one line.',
  sampling: { temperature: 0.3, topK: 40, topP: 0.9, minP: 0.05, repeatPenalty: 1.1, seed: 7, maxTokens: 256 },
  contextSize: 2048,
};
const message = (i: number, text: string) => ({
  id: `m${i}`,
  role: i % 2 === 0 ? 'user' : 'assistant',
  text,
  status: 'done',
  stats: null,
  error: null,
  trace: null,
  createdAt: 1_700_000_000_000 + i * 1000,
  updatedAt: 1_700_000_000_000 + i * 1000,
});
// A long conversation with one rare word near its start, so opening the hit has to scroll up to it.
const file = {
  format: 'edgewise.conversations',
  version: 1,
  exportedAt: 1_700_000_100_000,
  app: { name: 'Edgewise', version: '0.1.0' },
  conversations: [
    {
      id: 'birds',
      title: 'Birds of the marsh',
      modelId: null,
      settings,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_090_000,
      messages: Array.from({ length: 80 }, (_, i) =>
        message(i, i === 5 ? 'The zebrafinch sings at dawn near the reeds.' : `Line ${i} about herons and water.`),
      ),
    },
    { id: 'empty', title: 'Nothing yet', modelId: null, settings, createdAt: 1, updatedAt: 2, messages: [] },
  ],
};
/** The same file as Edgewise writes it now (format version 2): each version 1 conversation is one path. */
const asVersion2 = {
  ...file,
  version: 2,
  conversations: file.conversations.map((c) => ({
    ...c,
    leafId: c.messages.at(-1)?.id ?? null,
    messages: c.messages.map((m, i) => ({ ...m, parentId: i ? c.messages[i - 1]!.id : null })),
  })),
};
const withoutIds = (text: string) =>
  (JSON.parse(text) as typeof file).conversations
    .map(({ id: _, messages, ...c }) => ({ ...c, messages: messages.map(({ id: __, ...m }) => m) }))
    .sort((a, b) => a.title.localeCompare(b.title));

test('imports a file, finds a word in it and opens the conversation at that message, exports it back', async ({
  page,
}) => {
  await open(page);
  await page.getByTestId('import-file').setInputFiles({
    name: 'birds.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByTestId('transfer-status')).toHaveText('Imported 2 conversation(s), 80 message(s).');
  await expect(page.getByTestId('conversation')).toHaveCount(2);

  await page.getByLabel('Search all messages').fill('zebrafin');
  const hit = page.getByTestId('search-hit');
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark')).toHaveText('zebrafinch');
  await hit.click();
  const found = page.locator('[data-found]');
  await expect(found).toContainText('The zebrafinch sings at dawn');
  await expect(found).toBeInViewport();

  // FTS5 syntax is searched as text: no error, no notice.
  for (const query of ['"zebrafinch', 'NEAR(', '-herons *', '"', 'a OR "b']) {
    await page.getByLabel('Search all messages').fill(query);
    await expect(page.getByTestId('search-results').getByRole('status')).toBeVisible();
  }
  await expect(page.getByTestId('notice')).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('edgewise-conversations.json');
  expect(withoutIds(readFileSync(await download.path(), 'utf8'))).toEqual(withoutIds(JSON.stringify(asVersion2)));

  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  expect(markdown.suggestedFilename()).toBe('birds-of-the-marsh.md');
  const md = readFileSync(await markdown.path(), 'utf8');
  expect(md).toMatch(/^# Birds of the marsh\n/);
  expect(md).toContain('temperature 0.3');
});

test('refuses a file that is not an export, says why, and keeps everything', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('conversation')).toHaveCount(2);
  await page.getByTestId('import-file').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "edgewise.conversations", "version": 1, "conversations": ['),
  });
  await expect(page.getByTestId('notice')).toContainText('Nothing was imported');
  await expect(page.getByTestId('notice')).toContainText('truncated');
  await page.getByTestId('import-file').setInputFiles({
    name: 'future.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...file, version: 9 })),
  });
  await expect(page.getByTestId('notice')).toContainText('newer Edgewise (format version 9');
  await expect(page.getByTestId('conversation')).toHaveCount(2);
});
