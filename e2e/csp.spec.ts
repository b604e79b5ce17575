// The page carries its CSP as a <meta> as well as the header: it holds where no header is sent (the built
// page opened from disk), and the headless shell still works under both.
import { test, expect } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { newDataDir, startShell, type Shell } from './headlessShell.ts';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../electron/common/csp.ts';

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell(newDataDir());
});
test.afterAll(async () => {
  await shell?.stop();
});

/** Adds an inline script and reports whether it ran and which directive refused it. */
const tryInlineScript = () =>
  new Promise<{ ran: boolean; violated: string | null }>((done) => {
    let violated: string | null = null;
    document.addEventListener('securitypolicyviolation', (e) => (violated = e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    setTimeout(() => done({ ran: (window as { __inlineRan?: boolean }).__inlineRan === true, violated }), 100);
  });

test('the headless shell serves the meta and the header, and the app connects under both', async ({ page }) => {
  const response = await page.goto(shell.url);
  expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'none'.*connect-src 'self' ws:\/\//);
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', metaContentSecurityPolicy());
  expect(metaContentSecurityPolicy()).not.toContain('frame-ancestors');
  expect(contentSecurityPolicy()).toContain("frame-ancestors 'none'");
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(tryInlineScript)).toEqual({ ran: false, violated: 'script-src-elem' });
});

test('the built page opened from disk, with no header at all, still refuses inline script', async ({ page }) => {
  await page.goto(pathToFileURL(resolve('dist/renderer/index.html')).href);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    metaContentSecurityPolicy(),
  );
  expect(await page.evaluate(tryInlineScript)).toEqual({ ran: false, violated: 'script-src-elem' });
});
