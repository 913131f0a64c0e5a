// The backup action's run(), @actions/core mocked (fakeCore.ts), real library: DOCKER_HOST points at a socket nobody
// serves, so no etcd member can be asked, the way a runner sees a stack that is down. The passing path is the CLI's
// (test/e2e/backupDrills.test.ts runs the same backupCommand against the local swarm).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../.github/actions/backup/src/main.ts';
import { frozenRepositories } from '../frozen.ts';
import { declaredInputs } from './actionYml.ts';
import { inputsRead, runnerEnvironment, startStep, summaryWritten } from './fakeCore.ts';

vi.mock('@actions/core', async (importOriginal) => (await import('./fakeCore.ts')).fakeCore(await importOriginal()));

const repository = frozenRepositories('milvus-swarm-backup-action-');
const ROOT_PASSWORD = 'root-test-password-5e1d';
const S3_SECRET = 's3-test-secret-90ab';
const ENV = { DOCKER_HOST: 'unix:///nonexistent/milvus-swarm-test.sock', MINIO_ROOT_USER: 'root-test-user', MINIO_ROOT_PASSWORD: ROOT_PASSWORD, DRILL_KEY: 's3-test-key', DRILL_SECRET: S3_SECRET };

runnerEnvironment(ENV);

/** A frozen repository whose local environment has a backup: section with both targets. */
function withBackup(): string {
  const root = repository();
  appendFileSync(
    path.join(root, 'environments', 'local.yaml'),
    '\nbackup:\n  schedule: "17 3 * * *"\n  keep: 3\n  windowDays: 7\n  targets:\n    directory: /var/backups/milvus-swarm-backup-action-points\n    s3: { endpoint: "http://127.0.0.1:1", bucket: points, prefix: local, accessKeyVariable: DRILL_KEY, secretKeyVariable: DRILL_SECRET }\n',
  );
  return root;
}

describe('the backup action', () => {
  it('masks the secret keys first, then fails with one line in the log, the failure and the summary; no point, no secret anywhere', async () => {
    startStep(core, { environment: 'local', 'working-directory': withBackup() });
    await run();
    expect(vi.mocked(core.setSecret).mock.calls).toEqual([[ROOT_PASSWORD], [S3_SECRET], ['s3-test-key'], ['root-test-user']]);
    const masked = Math.max(...vi.mocked(core.setSecret).mock.invocationCallOrder);
    expect(Math.min(...vi.mocked(core.error).mock.invocationCallOrder)).toBeGreaterThan(masked);
    expect(vi.mocked(core.setOutput).mock.calls).toEqual([['point', '']]);
    const [[failure]] = vi.mocked(core.setFailed).mock.calls as [[string]];
    expect(failure).toMatch(/^no etcd member of milvus answers on milvus_milvus-cluster-net \(etcd1, etcd2, etcd3\): /);
    expect(failure.split('\n')).toHaveLength(1);
    const summary = summaryWritten();
    expect(summary).toMatch(/^<h2>backup local: failed<\/h2>\n<h3>problems<\/h3>\n<ul><li>no etcd member of milvus answers/);
    for (const text of [summary, failure]) for (const secret of [ROOT_PASSWORD, S3_SECRET]) expect(text).not.toContain(secret);
  });

  it('refuses an environment without a backup: section, saying so', async () => {
    startStep(core, { environment: 'local', 'working-directory': repository() });
    await run();
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['environments/local.yaml has no backup: section: recovery points are not set up for local']]);
  });

  it('reads exactly the inputs its action.yml declares', async () => {
    startStep(core, { environment: 'local', 'working-directory': withBackup() });
    await run();
    expect([...inputsRead].sort()).toEqual(declaredInputs('backup'));
  });
});
