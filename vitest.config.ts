import { defineConfig } from 'vitest/config';
import Sequencer from './test/sequencer.ts';

// Five projects: `unit` needs nothing but Node (and nginx/docker clients for the rendered-file checks); `monitoring`
// runs the rendered Prometheus files through promtool (built here); `processes`
// starts real etcd and MinIO processes on loopback (the recovery-point library and its CLI); `e2e` runs
// against a real one-node swarm, `staging` against ten engines shaped like production; each project's global setup
// brings its swarm up (test/e2e/README.md).
// Outside test/processes, next to the code they test: the MinIO admin client and its pool decommission, deploy's
// verify-user and buckets steps, its wait for MinIO and its pool decommission step, each against a real MinIO process
// (test/minio/minioProcess.ts; two pools on one process for the decommission).
const PROCESS_FILES = ['test/minio/admin.test.ts', 'test/minio/decommission.test.ts', 'test/deploy/verifyUser.test.ts', 'test/deploy/buckets.test.ts', 'test/deploy/minioPoolsProcess.test.ts', 'test/deploy/minioServing.test.ts'];

export default defineConfig({
  test: {
    // The staging files in a fixed order (test/sequencer.ts).
    sequence: { sequencer: Sequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // Files that start real etcd or MinIO processes belong to `processes`; promtool's to `monitoring`.
          exclude: ['test/e2e/**', 'test/processes/**', 'test/monitoring/**', ...PROCESS_FILES, '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'processes',
          include: ['test/processes/**/*.test.ts', ...PROCESS_FILES],
          // Real etcd and MinIO processes on loopback (no Docker), on free ports: one file at a time, so they do not
          // compete for the two cores with each other (npm test runs the project in the monitoring lane, test/run.ts).
          globalSetup: ['test/processes/globalSetup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          sequence: { concurrent: false },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'monitoring',
          include: ['test/monitoring/**/*.test.ts'],
          // The rendered Prometheus files through promtool, which the global setup builds and caches (a build of
          // minutes on a clean machine: npm test builds it in the step before this one, test/run.ts).
          globalSetup: ['test/monitoring/globalSetup.ts'],
          testTimeout: 120_000,
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
