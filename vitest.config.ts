// Two tiers, one rule: a test of a pure module lives next to it and is a unit test (no engine, no
// child process, no server: tests/setup/unitTier.ts refuses them); a suite that needs the real engine,
// a process, a server or the whole app lives in tests/ and is an integration test.
//   npm run test:unit          the unit tier, in parallel, in seconds
//   npx vitest run --project integration
// Both tiers share the run's checks: temporary folders removed after each test, and no process left
// when a file or the run ends (tests/setup/).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['tests/setup/vitestGlobal.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts'],
          setupFiles: ['tests/setup/unitTier.ts', 'tests/setup/eachFile.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          setupFiles: ['tests/setup/eachFile.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
