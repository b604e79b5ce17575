// Keyboard-only use of every view, in Chromium against `edgewise serve`: Tab, Shift+Tab, Enter, Space, the
// arrow keys and the documented shortcuts (renderer/src/shortcuts.ts); no click, no fill. Also checked on
// the way: focus is drawn where it lands, opening a view focuses it, dialogs keep the focus inside and
// give it back, and the streaming answer reaches the live region as "Answering…" and then the answer.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { startPartner, type Partner } from './partnerServer.ts';
import { builtInPresets } from '../shared/presets.ts';

test.describe.configure({ mode: 'serial' });

let shell: Shell;
let partner: Partner;

test.beforeAll(async () => {
  partner = await startPartner();
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
  await partner?.stop();
});

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Tab (or Shift+Tab) until the target has the focus. */
async function tabTo(page: Page, target: Locator, back = false) {
  await expect(target).toBeVisible();
  for (let i = 0; i < 100; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await isFocused(target)) return;
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`Tab never reached ${target}; the focus is on ${at}`);
}

/** The focus is on the target and drawn: :focus-visible matches and an outline shows. */
async function expectVisibleFocus(target: Locator) {
  await expect(target).toBeFocused();
  const style = await target.evaluate((el) => ({
    visible: el.matches(':focus-visible'),
    outline: getComputedStyle(el).outlineStyle,
    width: getComputedStyle(el).outlineWidth,
  }));
  expect(style).toEqual({ visible: true, outline: 'solid', width: expect.not.stringMatching(/^0/) });
}

/** Back to the view tabs, arrow to the named one, open it with Enter. */
async function openView(page: Page, name: string) {
  await page.keyboard.press('Control+K'); // the search box, just after the tabs
  await tabTo(page, page.locator('[role="tab"][aria-selected="true"]'), true);
  const target = page.getByRole('tab', { name });
  for (let i = 0; i < 6 && !(await isFocused(target)); i++) await page.keyboard.press('ArrowDown');
  await expectVisibleFocus(target);
  await page.keyboard.press('Enter');
  await expect(target).toHaveAttribute('aria-selected', 'true');
}

const composer = (page: Page) => page.getByLabel('Message', { exact: true });

test('the view tabs, fit, models, quantize and backups, by keyboard alone', async ({ page }) => {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');

  // The first Tab lands on the selected view tab; arrows move along the tabs without opening them.
  await page.keyboard.press('Tab');
  await expectVisibleFocus(page.getByRole('tab', { name: 'Chat' }));
  await page.keyboard.press('ArrowDown');
  await expectVisibleFocus(page.getByRole('tab', { name: 'Fit' }));
  await expect(page.getByRole('tab', { name: 'Chat' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Backups' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Chat' })).toBeFocused();

  // Fit: the heading takes the focus; a cell opens its arithmetic with Enter, another with Space.
  await openView(page, 'Fit');
  await expectVisibleFocus(page.getByRole('heading', { name: 'What fits where' }));
  const cells = page.getByTestId('fit-cell');
  await tabTo(page, cells.first());
  await expectVisibleFocus(cells.first());
  await page.keyboard.press('Enter');
  await expect(cells.first()).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('fit-detail')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(cells.nth(1)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(cells.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(cells.first()).toHaveAttribute('aria-pressed', 'false');
  // A select changes with the arrows, and the matrix follows.
  const context = page.getByLabel('Context length');
  await tabTo(page, context, true);
  const before = await context.inputValue();
  await page.keyboard.press('ArrowDown');
  await expect(context).not.toHaveValue(before);

  // Models: rename the demo model from the keyboard.
  await openView(page, 'Models');
  await expectVisibleFocus(page.getByRole('heading', { name: 'On this machine' }));
  await tabTo(page, page.getByRole('button', { name: /^Rename / }).first());
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New name')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Keyboard stories');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('local-model').first()).toContainText('Keyboard stories');

  // Quantize: choose the source with the arrows, tick a level with Space.
  await openView(page, 'Quantize');
  await expectVisibleFocus(page.getByRole('heading', { name: 'Make levels' }));
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Source model')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Source model')).not.toHaveValue('');
  const q4 = page.getByRole('checkbox', { name: 'Q4_0', exact: true });
  await tabTo(page, q4);
  const wasChecked = await q4.isChecked();
  await page.keyboard.press('Space');
  await expect(q4).toBeChecked({ checked: !wasChecked });

  // Backups: make one, then open and cancel a restore.
  await openView(page, 'Backups');
  await expectVisibleFocus(page.getByRole('heading', { name: 'Backups' }));
  await tabTo(page, page.getByRole('button', { name: 'Back up now' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('backup-row').first()).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Restore…' }).first());
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Cancel' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Restore…' }).first()).toBeVisible();
});

test('routing, chat, consent, trace, settings and presets, search, telemetry and the shortcuts sheet, by keyboard alone', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');

  // Routing: a policy chosen with the arrows, a partner typed in and saved with Enter.
  await openView(page, 'Routing');
  await expectVisibleFocus(page.getByRole('heading', { name: 'Where queries go' }));
  await page.keyboard.press('Tab');
  const policy = page.getByLabel('Routing policy');
  await expect(policy).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(policy).toHaveValue('private');
  await page.keyboard.press('ArrowUp');
  await expect(policy).toHaveValue('auto');
  for (const [label, text] of [
    ['Partner name', 'Test Cloud'],
    ['Partner URL', partner.url],
    ['Partner model', 'big-model'],
    ['Partner API key', 'sk-test-never-shown-0001'],
  ] as const) {
    await tabTo(page, page.getByLabel(label, { exact: true }));
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'Partner cloud' })).toContainText('key set');

  // Chat: a new conversation (shortcut), an answer on this device, announced as it starts and when done,
  // and never token by token.
  await page.keyboard.press('Control+Shift+O');
  await expect(composer(page)).toBeFocused();
  const announcer = page.getByTestId('answer-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await announcer.evaluate((el) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => said.push(el.textContent ?? '')).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.keyboard.type('Once upon a time');
  await page.keyboard.press('Enter');
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const text = (await answer.getByTestId('message-text').innerText()).trim();
  const tokens = Number(await page.getByTestId('tm-tokens').locator('strong').innerText());
  expect(tokens).toBeGreaterThan(10);
  await expect(announcer).toHaveText(`Answer: ${text}`.replace(/\s+/g, ' '));
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
  expect(said).toEqual(['Answering…', expect.stringMatching(/^Answer: /)]);

  // The consent dialog: focus starts on the choice that sends nothing, stays inside, and returns to the
  // message box when the dialog closes.
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type('Prove that there are infinitely many primes.');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Send this query to Test Cloud/ });
  await expect(dialog).toBeVisible();
  await expectVisibleFocus(dialog.getByRole('button', { name: 'No, answer here' }));
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => !document.activeElement?.closest('main, nav') || !!document.activeElement.closest('dialog'),
      ),
    ).toBe(true);
  }
  await tabTo(page, dialog.getByRole('button', { name: 'Send this query' }));
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(composer(page)).toBeFocused();
  const routed = page.getByTestId('message-assistant').last();
  await expect(routed).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(routed.getByTestId('message-text')).toHaveText('There are infinitely many primes.');
  await expect(announcer).toHaveText('Answer: There are infinitely many primes.');

  // Esc in the consent dialog answers "no": nothing is sent, the answer is written here.
  await page.keyboard.type('Prove that there are infinitely many twin primes.');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const local = page.getByTestId('message-assistant').last();
  await expect(local).not.toHaveAttribute('data-status', 'streaming', { timeout: 90_000 });
  await expect(local.getByTestId('trace')).toHaveAttribute('data-tier', 'device');
  expect(partner.requests()).toBe(1);

  // The routing trace opens from the keyboard.
  const summary = local.getByTestId('trace').locator('summary');
  await tabTo(page, summary, true);
  await expectVisibleFocus(summary);
  await page.keyboard.press('Enter');
  await expect(local.getByTestId('trace')).toContainText('consent-answered: no');

  // Settings and presets: open the panel, pick a preset with the arrows, apply it, save.
  const settings = page.getByRole('button', { name: 'Settings', exact: true });
  await tabTo(page, settings, true);
  await page.keyboard.press('Enter');
  await expect(settings).toHaveAttribute('aria-expanded', 'true');
  await tabTo(page, page.getByLabel('Preset'));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Preset')).toHaveValue(builtInPresets[0]!.id);
  await tabTo(page, page.getByRole('button', { name: 'Apply preset' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Temperature')).toHaveValue(String(builtInPresets[0]!.settings.sampling.temperature));
  await tabTo(page, page.getByRole('button', { name: 'Save settings' }));
  await page.keyboard.press('Space');
  await tabTo(page, settings, true);
  await page.keyboard.press('Enter');
  await expect(settings).toHaveAttribute('aria-expanded', 'false');

  // Telemetry: hidden and shown again with Space.
  const telemetry = page.getByRole('button', { name: 'Telemetry' });
  await tabTo(page, telemetry);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('telemetry')).toHaveCount(0);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('telemetry')).toBeVisible();

  // Search: the shortcut, a query, Tab to a hit, Enter opens its conversation at that message.
  await page.keyboard.press('Control+K');
  await page.keyboard.type('upon');
  const hit = page.getByTestId('search-hit').first();
  await tabTo(page, hit);
  await expectVisibleFocus(hit);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-found="true"]')).toBeVisible();

  // The conversation list: a new conversation (shortcut), then Tab to the earlier one and open it with Enter.
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('conversation')).toHaveCount(2);
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  const earlier = page.getByTestId('conversation').locator('button.title:not([aria-current])');
  const title = await earlier.innerText();
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  const button = page.getByRole('button', { name: title, exact: true });
  await tabTo(page, button);
  await page.keyboard.press('Enter');
  await expect(button).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('message-user')).toHaveCount(3);

  // The shortcuts sheet: focus on Close, kept inside, and back on the message box after Esc.
  await page.keyboard.press('Shift+Escape');
  await expect(composer(page)).toBeFocused();
  await page.keyboard.press('Control+/');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expectVisibleFocus(sheet.getByRole('button', { name: 'Close' }));
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => !document.activeElement?.closest('main, nav') || !!document.activeElement.closest('dialog'),
      ),
    ).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(composer(page)).toBeFocused();
});
