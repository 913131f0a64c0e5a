import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node (and nginx/docker clients for the rendered-file checks);
// `e2e` runs against a real one-node swarm that its global setup brings up (test/e2e/README.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Brings the local stack up (the code of `npm run e2e:up`) and prints the suite's wall time at the end.
          globalSetup: ['test/e2e/globalSetup.ts'],
          // One swarm, one stack: files run one after another, in one process, in a stable order.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          sequence: { concurrent: false },
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
