// axe-core on every view of the app, in light and in dark: 0 serious or critical violations, no rule turned
// off. Each view is audited as a user leaves it: the chat with an answer, search, settings with presets,
// models, the fit matrix with a cell's detail, a quant comparison's results, routing, an answer's routing
// trace, the consent dialog, telemetry, backups, the shortcuts sheet, the tools settings (an MCP server added)
// and a tool call's consent dialog. Every result is printed per view.
import { test, expect, type Dialog, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { startPartner, type Partner } from './partnerServer.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
let partner: Partner;

test.beforeAll(async () => {
  partner = await startPartner();
  const dataDir = newDataDir();
  // A high-precision file beside the demo model, so the quant view has two files of one model to compare.
  mkdirSync(join(dataDir, 'models'), { recursive: true });
  copyFileSync(
    join('..', 'shared', 'models', 'TinyStories-656K.f16.gguf'),
    join(dataDir, 'models', 'TinyStories-656K.f16.gguf'),
  );
  // stories260K writes tool calls (the demo model's template has no function calling): for the tool dialog.
  copyFileSync(join('..', 'shared', 'models', 'stories260K.gguf'), join(dataDir, 'models', 'stories260K.gguf'));
  shell = await startShell(dataDir);
});
test.afterAll(async () => {
  await shell?.stop();
  await partner?.stop();
});

/** Serious and critical violations on the page (or inside one element), as readable lines. */
async function audit(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view passes axe (${colorScheme})`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme });
    await page.goto(shell.url);
    await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
    const found: Record<string, string[]> = {};
    const check = async (view: string, include?: string) => {
      found[view] = await audit(page, include);
      console.log(`axe ${colorScheme} ${view}: ${found[view].length} serious/critical`, found[view].join('; '));
    };

    // Chat with an answer, and its telemetry panel.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await send(page, 'Once upon a time');
    const answer = page.getByTestId('message-assistant').last();
    await expect(answer).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('telemetry')).toBeVisible();
    await check('chat with an answer');
    await check('telemetry', '[data-testid="telemetry"]');

    // Conversations and full-text search.
    await page.getByLabel('Search all messages').fill('upon');
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    await check('conversations and search');
    await page.getByLabel('Search all messages').fill('');

    // Settings with the preset bar.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByTestId('preset-bar')).toBeVisible();
    await page.getByLabel('Preset').selectOption({ index: 1 });
    await check('settings and presets');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();

    // The shortcuts sheet.
    await page.keyboard.press('Control+/');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await check('shortcuts help');
    await page.keyboard.press('Escape');

    await tab(page, 'Models');
    await expect(page.getByTestId('catalog-row').first()).toBeVisible();
    await check('models');

    await tab(page, 'Fit');
    await page.getByTestId('fit-cell').first().click();
    await expect(page.getByTestId('fit-detail')).toBeVisible();
    await check('fit matrix and detail');

    // A comparison of the F16 file with the demo Q8_0: made in the first run, opened from the saved list in the next.
    await tab(page, 'Quantize');
    await expect(page.getByRole('checkbox', { name: 'Compare TinyStories-656K.f16.gguf' })).toBeVisible();
    await check('quant lab');
    if ((await page.locator('.quant-saved button.link').count()) === 0) {
      await page.getByRole('checkbox', { name: 'Compare TinyStories-656K.f16.gguf' }).check();
      await page.getByRole('checkbox', { name: 'Compare TinyStories-656K-Q8_0.gguf' }).check();
      await page.getByLabel('Context').fill('128');
      await page.getByRole('button', { name: /^Compare 2/ }).click();
    } else {
      await page.locator('.quant-saved button.link').first().click();
    }
    await expect(page.getByTestId('quant-comparison')).toBeVisible({ timeout: 180_000 });
    await check('quant results');

    await tab(page, 'Routing');
    await page.getByLabel('Partner name').fill('Test Cloud');
    await page.getByLabel('Partner URL').fill(partner.url);
    await page.getByLabel('Partner model').fill('big-model');
    await page.getByLabel('Partner API key').fill('sk-test-never-shown-0001');
    await page.getByRole('button', { name: 'Save partner' }).click();
    await expect(page.getByRole('form', { name: 'Partner cloud' })).toContainText('key set');
    await check('routing');

    // The consent dialog, then the partner's answer with its routing trace opened.
    await tab(page, 'Chat');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await send(page, 'Prove that there are infinitely many primes.');
    const dialog = page.getByRole('dialog', { name: /Send this query to Test Cloud/ });
    await expect(dialog).toBeVisible();
    await check('consent dialog');
    await dialog.getByRole('button', { name: 'Send this query' }).click();
    const routed = page.getByTestId('message-assistant').last();
    await expect(routed).toHaveAttribute('data-status', 'done');
    await routed.getByTestId('trace').locator('summary').click();
    await expect(routed.getByTestId('trace')).toContainText('consent: yes');
    await check('routing trace');

    await tab(page, 'Backups');
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByTestId('backup-row').first()).toBeVisible();
    await check('backups');

    // The tools settings with an MCP server (the SDK's McpServer over stdio), then a tool call's consent dialog.
    await tab(page, 'Chat');
    await page.getByRole('button', { name: 'New conversation' }).click();
    // Loading a model may first ask to confirm (a fit warning for this machine): yes.
    const confirm = (d: Dialog) => void d.accept();
    page.on('dialog', confirm);
    const modelChoice = page.getByLabel('Model', { exact: true });
    // Chosen at once after New conversation: the choice waits for the new conversation and goes to it.
    await modelChoice.selectOption({ label: 'llama · F32 · 293K params' });
    await expect(modelChoice.locator('option:checked')).toHaveText('llama · F32 · 293K params');
    await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
    page.off('dialog', confirm);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Max tokens').fill('48');
    await page.getByLabel('Temperature').fill('0');
    await page.getByLabel('Start with a tool call (when tools are on)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    const serverForm = page.getByRole('form', { name: 'Add an MCP server' });
    if ((await page.getByTestId('mcp-server').count()) === 0) {
      await serverForm.getByLabel('Server name').fill('echo-server');
      await serverForm.getByLabel('Command', { exact: true }).fill(process.execPath);
      await serverForm.getByLabel('Arguments (one per line)').fill(resolve('tests', 'mcp', 'mcpTestServer.ts'));
      const run = process.env.EDGEWISE_TEST_RUN ? `\nEDGEWISE_TEST_RUN=${process.env.EDGEWISE_TEST_RUN}` : '';
      await serverForm.getByLabel('Environment (NAME=value per line)').fill(`MCP_MODE=good${run}`);
      await serverForm.getByRole('button', { name: 'Add server' }).click();
    }
    await expect(page.getByTestId('mcp-server')).toContainText('connected, 3 tools');
    await page.getByRole('checkbox', { name: /echo — Echoes its text/ }).check();
    await check('tools settings');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await send(page, 'Say hello');
    const toolDialog = page.getByRole('dialog', { name: /Run the tool echo/ });
    await expect(toolDialog).toBeVisible();
    await check('tool consent dialog');
    const toolAnswer = page.getByTestId('message-assistant').last();
    // Deny this call and any the model makes after it, until the answer ends.
    for (;;) {
      const next = await Promise.race([
        toolDialog.waitFor({ state: 'visible', timeout: 60_000 }).then(() => 'dialog' as const),
        expect(toolAnswer)
          .not.toHaveAttribute('data-status', 'streaming', { timeout: 60_000 })
          .then(() => 'done' as const),
      ]);
      if (next === 'done' && !(await toolDialog.isVisible())) break;
      await toolDialog.getByRole('button', { name: 'Deny' }).click();
    }

    expect(Object.keys(found)).toHaveLength(15);
    expect(Object.entries(found).filter(([, bad]) => bad.length > 0)).toEqual([]);
  });
}
