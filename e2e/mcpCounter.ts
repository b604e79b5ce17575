// What the two tool specs share: the MCP test server (tests/mcp/mcpTestServer.ts, which appends each tool
// run to a counter file) added in Settings, its runs read back, and any copy of it left behind ended.
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const serverScript = resolve('tests', 'mcp', 'mcpTestServer.ts');

/** The tool runs the MCP server recorded, one line each. */
export const toolRuns = (counter: string) =>
  existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean) : [];

/** Fills and sends Settings' "Add an MCP server" form for the counter server, named "counter". */
export async function addCounterServer(page: Page, counter: string) {
  const form = page.getByRole('form', { name: 'Add an MCP server' });
  await form.getByLabel('Server name').fill('counter');
  await form.getByLabel('Command', { exact: true }).fill(process.execPath);
  await form.getByLabel('Arguments (one per line)').fill(`${serverScript}\n${counter}`);
  const run = process.env.EDGEWISE_TEST_RUN ? `\nEDGEWISE_TEST_RUN=${process.env.EDGEWISE_TEST_RUN}` : '';
  await form.getByLabel('Environment (NAME=value per line)').fill(`MCP_MODE=good\nMCP_COUNTER=${counter}${run}`);
  await form.getByRole('button', { name: 'Add server' }).click();
}

/**
 * The MCP server is the shell's child and ends with it; one left behind (found by the counter path in its
 * arguments, which no other process has) is ended here.
 */
export function endLeftoverServers(counter: string) {
  let left = '';
  try {
    left = execFileSync('pgrep', ['-f', counter], { encoding: 'utf8' });
  } catch {
    // pgrep exits 1 when nothing matches
  }
  for (const pid of left.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
}

export async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

export const lastAnswer = (page: Page) => page.getByTestId('message-assistant').last();
export const echoDialog = (page: Page) => page.getByRole('dialog', { name: /Run the tool echo/ });

/** Waits until the echo tool's checkbox is listed, unchecked, then turns it on. */
export async function turnEchoOn(page: Page) {
  const echo = page.getByRole('checkbox', { name: /echo — Echoes its text/ });
  await expect(echo).not.toBeChecked();
  await echo.check();
  await expect(echo).toBeChecked();
}
