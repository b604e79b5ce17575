// The desktop app itself, through Playwright's Electron support: it opens, its window is isolated and
// sandboxed, a message gets an answer from the real engine (in Electron's utilityProcess), and it quits
// cleanly. It runs wherever an Electron binary is installed (a Mac or PC after `npx electron --version`);
// on machines without one it is skipped with the reason.
import { test, expect, _electron, type ElectronApplication } from '@playwright/test';
import { resolve } from 'node:path';
import { electronBinary } from './electronBinary.ts';
import { newDataDir } from './headlessShell.ts';

const binary = electronBinary();
test.skip(binary.why !== undefined, binary.why);

let app: ElectronApplication;

test.beforeAll(async () => {
  // made here, not at load: Playwright also loads this file in its runner, which runs no test
  const dataDir = newDataDir();
  app = await _electron.launch({
    executablePath: binary.path,
    args: [resolve('.')],
    env: { ...process.env, EDGEWISE_DATA_DIR: dataDir },
  });
});
test.afterAll(async () => {
  await app?.close().catch(() => undefined);
});

test('opens one isolated, sandboxed window without Node, answers a message, and quits cleanly', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready');

  // What the window was really created with, asked of Electron in the main process.
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    const contents = windows[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> };
    return { count: windows.length, ...contents.getLastWebPreferences() };
  });
  expect(prefs).toMatchObject({
    count: 1,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    webSecurity: true,
  });
  // And from the page: no Node in its world, only the preload's one object.
  expect(
    await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { edgewise?: object }).edgewise ?? {}).sort(),
    })),
  ).toEqual({ require: 'undefined', process: 'undefined', bridge: ['onMessage', 'send'] });

  await page.getByLabel('Message', { exact: true }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).not.toHaveAttribute('data-status', 'streaming');
  await expect(answer.getByTestId('stats')).toContainText('TinyStories-656K-Q8_0.gguf');
  expect((await answer.getByTestId('message-text').innerText()).length).toBeGreaterThan(20);

  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    app.process().once('exit', (code, signal) => done({ code, signal })),
  );
  await app.close();
  expect(await exited).toEqual({ code: 0, signal: null });
});
