// Attach → ask → cite → open the passage, in Chromium against the headless shell. The answering tier is a
// real OpenAI-compatible server on 127.0.0.1 (the "private server"): it reads the numbered sources the app
// sent and cites the one holding the fact asked about, so a citation that opens the wrong passage fails.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { makePdf } from '../tests/documentFiles.ts';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: Server;
let serverUrl = '';
let shell: Shell;
let files = '';
/** What the private server was sent, last message of each request. */
const questions: string[] = [];

/** The number of the source in `prompt` whose text holds `word`, as the app numbered them. */
function sourceHolding(prompt: string, word: string): number | null {
  for (const m of prompt.matchAll(/\[(\d+)\] [^\n]+\n([\s\S]*?)(?=\n\n\[\d+\] |\n\nQuestion: |$)/g))
    if (m[2]!.includes(word)) return Number(m[1]);
  return null;
}

const lines = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Line ${i} of this page is about ${topic} and nothing else.`);

test.beforeAll(async () => {
  // Starting the shell (and its engine) on a shared 2-core machine has taken over 90 s under load.
  test.setTimeout(240_000);
  server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'docs-model' }] }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const prompt = JSON.parse(body).messages.at(-1).content as string;
    questions.push(prompt);
    const word = prompt.includes('gulls') ? 'gulls' : 'bleed';
    const n = sourceHolding(prompt, word);
    const answer = n === null ? 'None of the sources says.' : `Source ${n} has it [${n}].`;
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: answer }, finish_reason: null }] })}\n\n`,
    );
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  shell = await startShell(newDataDir());
  files = mkdtempSync(join(tmpdir(), 'edgewise-docs-e2e-'));
});
test.afterAll(async () => {
  await shell?.stop();
  server?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

async function usePrivateServer(page: Page) {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByLabel('Private server name').fill('Loopback');
  await page.getByLabel('Private server URL').fill(serverUrl);
  await page.getByLabel('Private server model').fill('docs-model');
  await page.getByRole('button', { name: 'Save private server' }).click();
  await expect(page.getByRole('form', { name: 'Private server' })).toContainText('Loopback');
  await page.getByLabel('Routing policy').selectOption('private');
  await page.getByRole('tab', { name: 'Chat' }).click();
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('message-assistant')).toHaveCount(0);
  await expect(page.getByTestId('attachment')).toHaveCount(0);
}

async function ask(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).toHaveAttribute('data-status', 'done');
  return answer;
}

test('a PDF that fits goes in whole; the answer’s [n] opens the cited page', async ({ page }) => {
  const pdf = join(files, 'report.pdf');
  writeFileSync(
    pdf,
    makePdf([['Quarterly report.', 'Revenue grew in the north.'], ['The lighthouse keeper counted 4,211 gulls.']]),
  );
  await usePrivateServer(page);
  await page.getByLabel('Files to attach').setInputFiles(pdf);
  const attachment = page.getByTestId('attachment');
  await expect(attachment).toContainText('report.pdf');
  // The demo model is loaded and can read this text, so the count is its tokenizer's, not an estimate.
  await expect(attachment).toContainText(/pdf, 2 pages · \d+ tokens/);
  await expect(page.getByTestId('attach-total')).toContainText("counted by the model's tokenizer");
  await expect(page.getByTestId('attach-total')).toContainText('fits whole');

  const answer = await ask(page, 'How many gulls did the keeper count?');
  await expect(answer.getByTestId('message-text')).toHaveText('Source 2 has it [2].');
  expect(questions.at(-1)).toContain('[2] report.pdf, page 2\nThe lighthouse keeper counted 4,211 gulls.');
  await expect(answer.getByTestId('sources')).toContainText('[1] report.pdf, page 1');

  await answer.getByTestId('message-text').getByRole('button', { name: '[2]' }).click();
  const passage = page.getByTestId('passage');
  await expect(passage.getByRole('heading')).toHaveText('report.pdf, page 2');
  await expect(passage.getByTestId('passage-mark')).toHaveText('The lighthouse keeper counted 4,211 gulls.');
  await passage.getByRole('button', { name: 'Close' }).click();
  await expect(passage).toHaveCount(0);
});

test('documents too big for the context: retrieved passages, cited and opened, scored in the trace', async ({
  page,
}) => {
  const manual = join(files, 'manual.pdf');
  writeFileSync(
    manual,
    makePdf([
      lines('boilers', 40),
      lines('radiators', 40),
      ['To bleed a radiator, turn its valve a quarter turn with the radiator key.', ...lines('valves', 10)],
      lines('thermostats', 40),
    ]),
  );
  await usePrivateServer(page);
  await page.getByLabel('Files to attach').setInputFiles(manual);
  await expect(page.getByTestId('attachment')).toContainText('pdf, 4 pages');
  await expect(page.getByTestId('attach-total')).toContainText('too much to send whole');

  const answer = await ask(page, 'How do I bleed a radiator?');
  const cited = await answer.getByTestId('message-text').getByRole('button').first();
  await expect(cited).toHaveText(/^\[\d\]$/);
  await cited.click();
  const passage = page.getByTestId('passage');
  await expect(passage.getByRole('heading')).toHaveText('manual.pdf, page 3');
  await expect(passage.getByTestId('passage-mark')).toContainText('To bleed a radiator, turn its valve');
  await passage.getByRole('button', { name: 'Close' }).click();

  await answer.getByTestId('trace').locator('summary').click();
  const trace = answer.getByTestId('trace-documents');
  await expect(trace).toContainText('retrieved passages');
  await expect(trace).toContainText(/exceed the \d+ the context leaves/);
  await expect(trace.locator('tbody tr').first()).toContainText('manual.pdf, p. 3');
  await expect(trace.locator('tbody tr').first()).toContainText('(#1)');
});

test('bad files are refused with their reasons, in the conversation, and nothing else changes', async ({ page }) => {
  const locked = join(files, 'locked.pdf');
  writeFileSync(locked, makePdf([['secret']], { encrypted: true }));
  const binary = join(files, 'notes.txt');
  writeFileSync(binary, Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]));
  const fine = join(files, 'fine.md');
  writeFileSync(fine, 'A short note about herons.');
  await usePrivateServer(page);
  await page.getByLabel('Files to attach').setInputFiles([locked, binary, fine]);
  const problems = page.getByTestId('attach-problems');
  await expect(problems).toContainText('locked.pdf: this PDF is encrypted');
  await expect(problems).toContainText('notes.txt: this looks like a binary file');
  await expect(page.getByTestId('attachment')).toHaveCount(1);
  await expect(page.getByTestId('attachment')).toContainText('fine.md');
  const answer = await ask(page, 'What is the note about?');
  await expect(answer.getByTestId('sources')).toContainText('[1] fine.md');
});
