import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

test.describe.configure({ mode: 'serial' });

// A loopback endpoint in the partner's place: it counts every request and streams a short answer
// the way an OpenAI-compatible cloud does.
let partner: Server;
let partnerRequests = 0;
let partnerUrl = '';
let shell: Shell;
// Untrusted model output: it must render as text, and its links must not run script.
const hostile = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned = 2">',
  ' [click me](javascript:window.pwned=3) ',
  '<b>raw html</b>',
];

test.beforeAll(async () => {
  partner = createServer(async (req, res) => {
    partnerRequests++;
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    const words = body.includes('hostile') ? hostile : ['There ', 'are ', 'infinitely ', 'many ', 'primes.'];
    for (const word of words) {
      res.write(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`,
      );
    }
    res.end(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 5 } })}\n\ndata: [DONE]\n\n`,
    );
  });
  await new Promise<void>((r) => partner.listen(0, '127.0.0.1', () => r()));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/v1`;
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
  partner?.close();
});

async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('a demanding query asks for consent, shows what would be sent, and "no" keeps it on the device', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByLabel('Partner name').fill('Test Cloud');
  await page.getByLabel('Partner URL').fill(partnerUrl);
  await page.getByLabel('Partner model').fill('big-model');
  await page.getByLabel('Partner API key').fill('sk-test-never-shown-0001');
  await page.getByRole('button', { name: 'Save partner' }).click();
  await expect(page.getByRole('form', { name: 'Partner cloud' })).toContainText('key set');
  await expect(page.getByLabel('Partner API key')).toHaveValue('');

  await page.getByRole('tab', { name: 'Chat' }).click();
  await page.getByRole('button', { name: 'New conversation' }).click();
  await send(page, 'Prove that there are infinitely many primes.');
  const dialog = page.getByTestId('consent-dialog');
  await expect(dialog).toContainText('Send this query to Test Cloud?');
  await expect(page.getByTestId('consent-text')).toHaveText('Prove that there are infinitely many primes.');
  expect(partnerRequests).toBe(0);
  await dialog.getByRole('button', { name: 'No, answer here' }).click();
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).not.toHaveAttribute('data-status', 'streaming');
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'device');
  await answer.getByTestId('trace').locator('summary').click();
  await expect(answer.getByTestId('trace')).toContainText('consent-answered: no');
  expect(partnerRequests).toBe(0);
});

test('"send this query" streams the partner\'s answer, with its trace and cost', async ({ page }) => {
  await page.goto(shell.url);
  // A conversation of its own, opened once the app has loaded its list: the last one ends in a sampled
  // on-device story, which the router reads too, and a message typed while the list still loads goes
  // wherever the app lands.
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await send(page, 'Prove that there are infinitely many primes.');
  const dialog = page.getByTestId('consent-dialog');
  const answer = page.getByTestId('message-assistant').last();
  // The dialog, or an answer the router sent elsewhere without asking (its trace shows once it ends):
  // whichever comes first, so that a decision made without consent fails at once, saying what was decided.
  await expect(dialog.or(answer.getByTestId('trace'))).toBeVisible();
  if (!(await dialog.isVisible()))
    throw new Error(`no consent was asked; the answer's trace: ${await answer.getByTestId('trace').innerText()}`);
  await dialog.getByRole('button', { name: 'Send this query' }).click();
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-text')).toHaveText('There are infinitely many primes.');
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'partner');
  await expect(answer.getByTestId('trace')).toContainText('consent: yes');
  expect(partnerRequests).toBe(1);
  await page.getByRole('tab', { name: 'Routing' }).click();
  await expect(page.getByTestId('tier-history')).toContainText('Partner cloud: 1');
  await page.setViewportSize({ width: 1200, height: 800 });
});

test('personal data is never offered to the partner', async ({ page }) => {
  await page.goto(shell.url);
  await send(page, 'My email is jane@example.com. Prove that there are infinitely many primes.');
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).not.toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
  await expect(answer.getByTestId('trace')).toHaveAttribute('data-tier', 'device');
  expect(partnerRequests).toBe(1);
});

test('hostile model output renders as inert text', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('button', { name: 'New conversation' }).click(); // the last one holds an email address
  await send(page, 'Prove that this hostile text is harmless, step by step.');
  await page.getByTestId('consent-dialog').getByRole('button', { name: 'Send this query' }).click();
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).toHaveAttribute('data-status', 'done');
  const text = answer.getByTestId('message-text');
  await expect(text).toContainText('<script>window.pwned = 1</script>');
  await expect(text).toContainText('<img src=x onerror=');
  await expect(text.locator('script, img, b')).toHaveCount(0);
  const hrefs = await text.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs.every((h) => h === null || !h.startsWith('javascript:'))).toBe(true);
  await text.getByText('click me').click();
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});
