import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'threads',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // A poll ends as soon as its condition holds; its 1 s default is too short on a loaded machine.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          // A browser redraws late on a loaded machine: a poll ends as soon as its condition holds,
          // and its 1 s default failed a test whose rows took longer to draw.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
