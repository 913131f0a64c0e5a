import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing but Node (and nginx/docker clients for the rendered-file checks); `e2e` runs
// against a real one-node swarm, `staging` against ten engines shaped like production; each project's global setup
// brings its swarm up (test/e2e/README.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          // MinIO RELEASE.2023-03-20 built once (cached) for the tests that start it as a process (test/minio/).
          globalSetup: ['test/minio/globalSetup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/staging/**', '**/node_modules/**'],
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
      {
        test: {
          name: 'staging',
          include: ['test/e2e/staging/**/*.test.ts'],
          // The ten-engine staging swarm (test/e2e/harness/staging.ts), up for the project and down after it.
          globalSetup: ['test/e2e/staging/globalSetup.ts'],
          // DOCKER_HOST of its first manager, for the docker CLI and every milvus-swarm process the tests start.
          setupFiles: ['test/e2e/staging/setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          sequence: { concurrent: false },
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
