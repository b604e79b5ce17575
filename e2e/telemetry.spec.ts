import { test, expect, type Page } from '@playwright/test';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';

let shell: Shell;
test.beforeAll(async () => {
  // ignore-EOS (a test-only flag): the answer streams until it is stopped, however fast this machine writes
  shell = await startShell(newDataDir(), {}, ['--ignore-eos']);
});
test.afterAll(async () => {
  await shell?.stop();
});

async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('the telemetry panel updates while an answer streams, and the answer keeps its figures', async ({ page }) => {
  await page.goto(shell.url);
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  // Greedy and unable to end early: 4000 tokens, stopped once the panel has shown three speeds (the measured
  // 1-thread default writes a whole story in a fraction of a second, too fast for a 4 Hz panel to be seen).
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Max tokens').fill('4000');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await send(page, 'Lily and Ben were friends');
  const panel = page.getByTestId('telemetry');
  await expect(panel).toHaveAttribute('data-streaming', 'true');
  // Every value the speed figure shows, recorded in the page as it changes (not by polling it, which a
  // busy machine would do too seldom), until the panel says the answer has ended.
  const seen = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const values = new Set<string>();
        const record = () => {
          const value = document.querySelector('[data-testid="tm-tps"]')?.textContent ?? '';
          if (/tok\/s/.test(value)) values.add(value);
          if (values.size >= 3) document.querySelector<HTMLButtonElement>('button.stop')?.click();
          if (document.querySelector('[data-testid="telemetry"]')?.getAttribute('data-streaming') !== 'true') {
            observer.disconnect();
            resolve([...values]);
          }
        };
        const observer = new MutationObserver(record);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        record();
      }),
  );
  expect(seen.length, `tok/s values seen while streaming: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(3);
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer.getByTestId('stats')).toContainText(/TTFT [\d,]+ ms/);
  await expect(answer.getByTestId('stats')).toContainText('energy unavailable');
  await expect(page.getByTestId('tm-power')).toContainText('unavailable: no RAPL power counters');
  await expect(page.getByTestId('tm-battery')).toContainText('unavailable: no battery');
  // --gpu cpu: no VRAM figure, and the reason (never the backend's name as if it were a measurement)
  await expect(page.getByTestId('tm-vram')).toContainText(
    'unavailable: the model runs on the CPU backend, which uses no VRAM',
  );
  await expect(panel).toContainText(/TTFT on screen\s*[\d,]+ ms/);
  await expect(page.getByTestId('tm-summary')).toContainText('TinyStories-656K-Q8_0.gguf');
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.screenshot({ path: 'docs/telemetry.png' });
});
