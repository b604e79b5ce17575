// Answers with tables, highlighted code and math, streamed from a real OpenAI-compatible server on
// 127.0.0.1 as the "private server" tier: the real app flow from the router to the screen. Hostile output
// through the same path stays inert in the real DOM, and its images are never fetched.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

const code =
  'def primes(n):\n    """The primes below n."""\n    return [p for p in range(2, n) if all(p % d for d in range(2, p))]';
const rich = [
  '## Primes below 10\n\n',
  '| n | prime? |\n|---|:-:|\n| 2 | yes |\n| 4 | no |\n| 7 | yes |\n\n',
  `\`\`\`python\n${code}\n\`\`\`\n\n`,
  'They thin out like $\\pi(x) \\sim \\frac{x}{\\ln x}$, yet\n\n',
  '\\[\n\\sum_{p \\text{ prime}} \\frac{1}{p} = \\infty\n\\]\n\n',
  'and a formula KaTeX rejects stays as written: $\\frac{1}{$.',
].join('');

let server: Server;
let serverUrl = '';
const requested: string[] = [];
let shell: Shell;

const hostile = () =>
  [
    '<script>window.pwned = 1</script>',
    '<img src=x onerror="window.pwned = 2">',
    '[click me](javascript:window.pwned=3) and [encoded](jav&#x61;script:window.pwned=4)',
    '<svg onload="window.pwned = 5"><circle r=5 /></svg>',
    '| <img src=x onerror="window.pwned = 6"> | <b style="color:red">b</b> |\n|---|---|\n| <a href="javascript:window.pwned=7">x</a> | 2 |',
    '$\\href{javascript:window.pwned=8}{x}$',
    `![pixel](${serverUrl.replace('/v1', '')}/pixel.png)`,
  ].join('\n\n');

/** Reasoning as llama-server and vLLM stream it (reasoning_content deltas), before the answer. */
const reasoning = 'The primes below 10 are 2, 3, 5 and 7. A table, the code and the prime-counting estimate will do.';

/** An OpenAI-compatible stream of `text`, in small pieces a few milliseconds apart, the way a model sends
 * tokens: the page renders the answer as it grows (fences and formulas arrive half-written). */
async function streamAnswer(text: string, write: (data: string) => void, thoughts = '') {
  for (let i = 0; i < thoughts.length; i += 6) {
    const delta = { reasoning_content: thoughts.slice(i, i + 6) };
    write(JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] }));
    await new Promise((r) => setTimeout(r, 5));
  }
  for (let i = 0; i < text.length; i += 6) {
    write(JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 6) }, finish_reason: null }] }));
    await new Promise((r) => setTimeout(r, 5));
  }
  write(
    JSON.stringify({
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 20,
        completion_tokens: 90,
        ...(thoughts ? { completion_tokens_details: { reasoning_tokens: 24 } } : {}),
      },
    }),
  );
  write('[DONE]');
}

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    requested.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'markdown-model' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    const hostileAsked = body.includes('hostile');
    await streamAnswer(
      hostileAsked ? hostile() : rich,
      (data) => res.write(`data: ${data}\n\n`),
      hostileAsked ? '' : reasoning,
    );
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
  server?.close();
});

/** What the page's Content Security Policy refused (KaTeX's styles and fonts must need no exception). */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

async function usePrivateServer(page: Page) {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByLabel('Private server name').fill('Loopback');
  await page.getByLabel('Private server URL').fill(serverUrl);
  await page.getByLabel('Private server model').fill('markdown-model');
  await page.getByRole('button', { name: 'Save private server' }).click();
  await expect(page.getByRole('form', { name: 'Private server' })).toContainText('Loopback');
  await page.getByLabel('Routing policy').selectOption('private');
  await page.getByRole('tab', { name: 'Chat' }).click();
}

async function ask(page: Page, text: string) {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'private');
  return answer;
}

test('a table, highlighted code with a working Copy button, and math', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(shell.url).origin });
  const violations = cspViolations(page);
  await page.setViewportSize({ width: 1100, height: 900 });
  await usePrivateServer(page);
  const answer = await ask(page, 'Which numbers below 10 are prime? Show a table, code and the math.');
  const body = answer.getByTestId('message-text');

  await expect(body.locator('h2')).toHaveText('Primes below 10');
  const table = body.locator('table');
  await expect(table.locator('th')).toHaveText(['n', 'prime?']);
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('th').nth(1)).toHaveCSS('text-align', 'center');

  const block = body.getByTestId('code-block');
  await expect(block).toHaveAttribute('data-highlighted', 'true');
  await expect(block.locator('.code-lang')).toHaveText('python');
  await expect(block.locator('.hljs-keyword').first()).toHaveText('def');
  await expect(block.locator('.hljs-string')).toContainText('The primes below n.');
  await expect(block.locator('pre')).toHaveCSS('overflow-x', 'auto');

  const math = body.getByTestId('math');
  await expect(math).toHaveCount(3);
  await expect(math.nth(0)).toHaveAttribute('data-state', 'typeset');
  await expect(math.nth(0).locator('.katex .katex-html')).toBeVisible();
  await expect(math.nth(0).locator('annotation')).toHaveText('\\pi(x) \\sim \\frac{x}{\\ln x}');
  await expect(math.nth(1)).toHaveAttribute('data-state', 'typeset');
  await expect(math.nth(1).locator('.katex-display')).toBeVisible();
  // KaTeX's own font, from the app's bundle (the CSP allows fonts from 'self' only).
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'KaTeX_Main' && f.status === 'loaded'),
      ),
    )
    .toBe(true);
  await expect(math.nth(2)).toHaveAttribute('data-state', 'source');
  await expect(math.nth(2)).toHaveText('$\\frac{1}{$');

  // The server's reasoning_content: a Thinking block above the answer, folded once the answer started.
  const thinking = answer.getByTestId('thinking');
  await expect(thinking).not.toHaveAttribute('open');
  await expect(thinking.locator('summary')).toHaveText(
    /^Thought for \d+(\.\d)? s, 24 tokens \(as the server reported\)$/,
  );
  await thinking.locator('summary').click();
  await expect(thinking.getByTestId('thoughts')).toHaveText(reasoning);
  await expect(body).not.toContainText('prime-counting estimate');

  await answer.scrollIntoViewIfNeeded();
  await answer.screenshot({ path: 'docs/markdown.png' });
  await block.getByRole('button', { name: 'Copy code' }).click();
  await expect(block.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

  expect(violations).toEqual([]);
});

test('hostile Markdown from the server stays inert in the DOM and loads nothing', async ({ page }) => {
  const violations = cspViolations(page);
  await usePrivateServer(page);
  const answer = await ask(page, 'Render this hostile text, please.');
  const body = answer.getByTestId('message-text');
  await expect(body).toContainText('<script>window.pwned = 1</script>');
  await expect(body).toContainText('<img src=x onerror="window.pwned = 2">');
  await expect(body.locator('table th').first()).toContainText('<img src=x onerror=');
  await expect(body.locator('table td').first()).toContainText('<a href="javascript:window.pwned=7">x</a>');
  await expect(body.locator('script, img, svg, iframe, object, embed, style, link')).toHaveCount(0);
  const attributes = await body
    .locator('*')
    .evaluateAll((els) => els.flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`)));
  expect(attributes.filter((a) => /^on/i.test(a) || /javascript:/i.test(a))).toEqual([]);
  await body.getByText('click me').click();
  await body.getByText('encoded').click();
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(body).toContainText('[image: pixel]');
  expect(requested.filter((r) => r.includes('pixel'))).toEqual([]);
  expect(violations).toEqual([]);
});
