// Bad input in the window (issue 14): a 5,000-column table, a 1 MB code block, lists and quotes nested
// 1,000 deep, formulas KaTeX rejects, and a model that only thinks (its thought never closes), each streamed
// from a real OpenAI-compatible server on 127.0.0.1 as the private tier. Each renders or is cut with a
// note, the page never freezes (a bound on its longest task, and it answers while the text streams), and
// the stored message holds every character that was sent.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { connect } from '../electron/common/wsClient.ts';

test.describe.configure({ mode: 'serial' });

const columns = Array.from({ length: 5000 }, (_, i) => i + 1);
const line = (i: number) => `  const value${i} = compute(${i}, "padding to make the line longer than most");\n`;
let bigCode = '';
for (let i = 0; bigCode.length < 1_000_000; i++) bigCode += line(i);

const payloads: Record<string, { text: string; thoughts?: string }> = {
  'wide table': {
    text: `| ${columns.map((c) => `c${c}`).join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n| ${columns.join(' | ')} |\n`,
  },
  'huge code': { text: `\`\`\`js\n${bigCode}\`\`\`\n\nAfter the code.` },
  'deep list': { text: Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n') },
  'deep quote': { text: Array.from({ length: 1000 }, (_, i) => `${'> '.repeat(i + 1)}level ${i + 1}`).join('\n') },
  'rejected formulas': { text: 'Bad: $\\frac{1}{$ and $$\\begin{matrix} 1 & 2$$ and $\\undefinedcommand{x}$ end.' },
  'only thinks': { text: '', thoughts: 'Plan: **first** the table,\n\n- then the code\n- then `the math`\n\nand then' },
};

/** Big pieces, so a megabyte streams in a second or two, as a fast server would send it. */
async function stream(payload: { text: string; thoughts?: string }, write: (data: string) => void) {
  const piece = 16_384;
  for (const [key, value] of [
    ['reasoning_content', payload.thoughts ?? ''],
    ['content', payload.text],
  ] as const)
    for (let i = 0; i < value.length; i += piece) {
      write(
        JSON.stringify({ choices: [{ index: 0, delta: { [key]: value.slice(i, i + piece) }, finish_reason: null }] }),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
  write(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: payload.text ? 'stop' : 'length' }] }));
  write('[DONE]');
}

let server: Server;
let serverUrl = '';
let shell: Shell;

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'bad-input-model' }] }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const name = Object.keys(payloads).find((k) => body.includes(k));
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions' || !name) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    await stream(payloads[name]!, (data) => res.write(`data: ${data}\n\n`));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  shell = await startShell(newDataDir());
  const { client, close } = await connect(shell.url);
  await client.call('routing.set', {
    policy: 'private',
    private: { name: 'Loopback', baseUrl: serverUrl, model: 'bad-input-model' },
  });
  close();
});
test.afterAll(async () => {
  await shell?.stop();
  server?.close();
});

/**
 * A bound, not a measurement: a frozen window blocks for many seconds (highlighting a megabyte, or a
 * parser recursing 1,000 levels); a loaded machine stretches ordinary tasks to a few hundred milliseconds.
 */
const FROZEN_MS = 3_000;

const longTaskProbe = `
  window.longest = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longest = Math.max(window.longest, e.duration); })
    .observe({ type: 'longtask' });
`;

/** Asks for a payload; checks the page answered a round trip while it streamed, and what was stored. */
async function ask(page: Page, name: string) {
  await page.addInitScript({ content: longTaskProbe });
  await page.goto(shell.url);
  await page.locator('button.primary', { hasText: 'New conversation' }).click();
  await page.getByLabel('Message', { exact: true }).fill(`Send the ${name}.`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const answer = page.getByTestId('message-assistant').last();
  // While it streams the page still runs script and answers input (the composer takes typing).
  await page.getByLabel('Message', { exact: true }).fill('still responsive');
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('still responsive');
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'private');
  // Settled blocks highlight and typeset after the answer ends: those count too.
  await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
  expect(await page.evaluate('window.longest')).toBeLessThan(FROZEN_MS);
  // Nothing cut from what is kept: the stored message is every character the server sent.
  const { client, close } = await connect(shell.url);
  try {
    const [conversation] = await client.call('conversations.list', {});
    const stored = (await client.call('conversations.get', { id: conversation!.id })).messages.at(-1)!;
    expect(stored.text).toBe(payloads[name]!.text);
    expect(stored.thoughts ?? '').toBe(payloads[name]!.thoughts ?? '');
  } finally {
    close();
  }
  return answer;
}

test('a 5,000-column table shows its first 64 columns with a note', async ({ page }) => {
  const body = (await ask(page, 'wide table')).getByTestId('message-text');
  await expect(body.locator('table th')).toHaveCount(64);
  await expect(body).toContainText('This table has 5,000 columns; the first 64 are shown.');
});

test('a 1 MB code block is shown up to its cap, highlighted up to its own, and stored whole', async ({ page }) => {
  const body = (await ask(page, 'huge code')).getByTestId('message-text');
  const block = body.getByTestId('code-block');
  await expect(block).toHaveAttribute('data-highlighted', 'true');
  // Its notes (the block's own text is 200,000 characters: no assertion reads all of it).
  const notes = block.locator('.md-note');
  await expect(notes.nth(0)).toHaveText('Highlighting stops after 20,000 characters.');
  // The code is the fence's content less its last line break.
  await expect(notes.nth(1)).toHaveText(
    `Showing the first 200,000 of ${(bigCode.length - 1).toLocaleString('en-US')} characters; Copy copies all of them.`,
  );
  await expect(body).toContainText('After the code.');
});

test('lists and quotes nested 1,000 deep stop at the nesting cap, the rest as plain text', async ({ page }) => {
  for (const name of ['deep list', 'deep quote']) {
    const body = (await ask(page, name)).getByTestId('message-text');
    await expect(body).toContainText('Nested more than 32 levels deep: the rest is shown as plain text.');
    await expect(body.locator('blockquote blockquote, ul ul').first()).toBeAttached();
  }
});

test('formulas KaTeX rejects stay as their source', async ({ page }) => {
  const body = (await ask(page, 'rejected formulas')).getByTestId('message-text');
  const math = body.getByTestId('math');
  await expect(math).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(math.nth(i)).toHaveAttribute('data-state', 'source');
  await expect(math.nth(0)).toHaveText('$\\frac{1}{$');
});

test('a model that only thinks: the thought, never closed, is kept and shown as Markdown, with a note', async ({
  page,
}) => {
  const answer = await ask(page, 'only thinks');
  await expect(answer.getByTestId('message-text')).toHaveText('');
  await expect(answer.getByTestId('thinking-note')).toContainText('The model thought but gave no answer');
  await answer.getByTestId('thinking').locator('summary').click();
  const thoughts = answer.getByTestId('thoughts');
  await expect(thoughts.locator('strong')).toHaveText('first');
  await expect(thoughts.locator('li')).toHaveCount(2);
  await expect(thoughts.locator('code')).toHaveText('the math');
});
