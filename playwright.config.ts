import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  // No shell, engine worker or Chromium left running, no temporary folder left (tests/setup/run.ts).
  globalSetup: './e2e/runChecks.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
