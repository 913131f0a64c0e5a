// `milvus-swarm verify --env local` against the healthy local stack, as an operator runs it (the README's command):
// every row passes, fast, without printing the credentials and without leaving anything behind; wrong credentials fail.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk } from './support/docker.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { VERIFY_CONTAINER_LABEL } from '../../generator/cluster/etcdctl.ts';
import { PROBE_PREFIX } from '../../generator/verify/etcdProxy.ts';
import { cannedPolicyDocument, policyMeaning, sameMeaning } from '../../generator/cluster/bucketPolicy.ts';
import { PROBE_OBJECT_PREFIX } from '../../generator/verify/minioChecks.ts';
import { LOCAL_ENV_FILE } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { milvusSwarm, statuses, verifyLocal } from './support/cli.ts';
import { deployFromRepository } from './support/stack.ts';
import { etcdClient, localCredentials, minioClient, within } from './support/clients.ts';

let model: ClusterModel;
beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
});

/** The rows verify reports for the local topology (dnsrr adds the load balancer's addresses). */
const expectedChecks = () => [
  'swarm: services',
  'etcd proxy: put and get',
  'etcd members: endpoint status',
  'etcd members: member list',
  'etcd members: backend size',
  ...model.etcd.members.map((member) => `etcd member ${member.name}: probe key`),
  'etcd proxy: delete',
  'minio: cluster health',
  'minio: nodes and drives',
  ...model.minio.buckets.map((bucket) => `minio bucket ${bucket.name}`),
  `minio: probe object in ${model.milvus.bucketName}`,
  'minio: console',
  'minio: load balancer addresses',
  'failure budget: etcd',
  'failure budget: minio',
];

describe('verify --env local on the healthy stack', () => {
  it('passes every row, as a table and a summary line, exit 0', async () => {
    const result = await milvusSwarm(['verify', '--env', 'local', '--env-file', LOCAL_ENV_FILE], { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+TIME\s+CHECK\s+REASON$/);
    expect(lines.slice(1, -1).map((line) => line.split(/\s{2,}/)[0])).toEqual(expectedChecks().map(() => 'PASS'));
    expect(lines.at(-1)).toMatch(new RegExp(`^verify local: PASS — ${expectedChecks().length} pass, 0 warn, 0 fail in \\d+\\.\\d\\ds$`));
    expect(result.stderr).toMatch(/^verify local: etcd 127\.0\.0\.1:2379, S3 127\.0\.0\.1:9000, console 127\.0\.0\.1:9090, network milvus_milvus-cluster-net$/m);

    const run = await verifyLocal();
    expect(run.code).toBe(0);
    expect(statuses(run)).toEqual(expectedChecks().map((check) => `pass ${check}`));
    // The target (< 10 s healthy) is a figure for the log and the README, not an assertion: speed is measured,
    // not tested.
    process.stdout.write(`[e2e] verify healthy: ${(run.elapsedMs / 1000).toFixed(2)} s (process ${(run.wallMs / 1000).toFixed(2)} s)\n`);
  });

  it('reads every member on the overlay network by its service name, as the runbook does', async () => {
    const run = await verifyLocal();
    const status = run.rows.find((row) => row.check === 'etcd members: endpoint status')!;
    expect(status.reason).toMatch(new RegExp(`^${model.etcd.members.length} of ${model.etcd.members.length} answer, leader etcd\\d, cluster id [0-9a-f]+, raft index \\d+\\.\\.\\d+, v3\\.5\\.5$`));
    expect(run.rows.find((row) => row.check === 'etcd members: member list')!.reason).toBe('etcd1, etcd2, etcd3, as the topology');
  });

  it('prints the failure budget as etcd and MinIO report it', async () => {
    const run = await verifyLocal();
    const reasons = Object.fromEntries(run.rows.filter((row) => row.check.startsWith('failure budget')).map((row) => [row.check, `${row.status} ${row.reason}`]));
    expect(reasons).toEqual({
      'failure budget: etcd': 'pass etcd: 3 voting members, 3 answer, tolerates 1 more',
      'failure budget: minio': 'pass MinIO pool 1 set 1: 8 drives, parity 4, 8 online — reads survive 4 more, writes 3 more',
    });
  });

  it('never prints the MinIO password, leaves nothing of its own behind, and sweeps what earlier runs left', async () => {
    const credentials = await localCredentials();
    // What a killed run would have left: a probe object and an unleased probe key, stamped 10 minutes ago.
    const stamp = new Date(Date.now() - 10 * 60_000).toISOString().replace(/[:.]/g, '-');
    const leftObject = `${PROBE_OBJECT_PREFIX}${stamp}-${randomBytes(8).toString('hex')}`;
    const leftKey = `${PROBE_PREFIX}local/${stamp}-${randomBytes(8).toString('hex')}`;
    const minio = await minioClient(model);
    await within(10_000, 'putObject', minio.putObject(model.milvus.bucketName, leftObject, Buffer.from('left over')));
    const etcd = etcdClient(model);
    try {
      await within(10_000, 'put', etcd.put(leftKey).value('left over').exec());
    } finally {
      etcd.close();
    }

    const result = await milvusSwarm(['verify', '--env', 'local', '--env-file', LOCAL_ENV_FILE], { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`.includes(credentials.password)).toBe(false);
    expect(`${result.stdout}${result.stderr}`.includes(credentials.verifyPassword)).toBe(false);
    // local.env holds verify's own user: no row says verify ran as root.
    expect(result.stdout).not.toContain('minio: credentials');
    const probeKey = /put and read back (\S+) through/.exec(result.stdout)?.[1];
    expect(probeKey).toMatch(new RegExp(`^${PROBE_PREFIX}local/`));
    const probeObject = /and removed (milvus-swarm\/verify\/\S+?)(;|\s|$)/.exec(result.stdout)?.[1];
    expect(probeObject).toMatch(new RegExp(`^${PROBE_OBJECT_PREFIX}`));
    expect(result.stdout).toMatch(/removed 1 probe object older than 5 min left by earlier runs/);
    expect(result.stdout).toMatch(/removed 1 probe key older than 5 min left by earlier runs/);

    const containers = await dockerOk(['container', 'ls', '--all', '--quiet', '--filter', `label=${VERIFY_CONTAINER_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(containers.trim()).toBe('');
    const after = etcdClient(model);
    try {
      const left = (await within(10_000, 'get prefix', after.getAll().prefix(PROBE_PREFIX).exec())).kvs.map((kv) => kv.key.toString());
      expect(left).not.toContain(probeKey);
      expect(left).not.toContain(leftKey);
    } finally {
      after.close();
    }
    // This run's object and the planted one are gone; other runs' recent probes are not this test's business.
    for (const name of [probeObject!, leftObject]) {
      await expect(within(10_000, `statObject ${name}`, minio.statObject(model.milvus.bucketName, name))).rejects.toMatchObject({ code: 'NotFound' });
    }
  });
});

describe('verify with wrong credentials', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'milvus-e2e-verify-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('fails the MinIO rows that need them, says what to fix, and does not print the wrong password either', async () => {
    const { user } = await localCredentials();
    const wrong = `wrong-${Date.now().toString(36)}-password`;
    const file = path.join(directory, 'wrong.env');
    await writeFile(file, `MINIO_ROOT_USER=${user}\nMINIO_ROOT_PASSWORD=${wrong}\n`, { mode: 0o600 });
    const result = await milvusSwarm(['verify', '--env', 'local', '--env-file', file, '--json'], { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stdout.includes(wrong) || result.stderr.includes(wrong)).toBe(false);
    const rows = (JSON.parse(result.stdout) as { rows: { check: string; status: string; reason: string }[] }).rows;
    expect(rows.filter((row) => row.status === 'fail').map((row) => row.check)).toEqual(expect.arrayContaining(['minio: nodes and drives', `minio bucket ${model.milvus.bucketName}`]));
    expect(rows.find((row) => row.check === 'minio: nodes and drives')!.reason).toMatch(/the token was refused — MINIO_ROOT_USER\/PASSWORD must be the values of the swarm secrets milvus_minio_root_user\/milvus_minio_root_password/);
    // What needs no credentials still passes: etcd, MinIO's health and the console.
    expect(rows.filter((row) => row.check.startsWith('etcd')).every((row) => row.status === 'pass')).toBe(true);
    expect(rows.find((row) => row.check === 'minio: cluster health')!.status).toBe('pass');
  });
});

// Issue 21 item 3 / issue 23.1: verify reads and never writes; the buckets are deploy's. A policy changed by hand (the
// bucket opened for anonymous reads) is a failing row that names the deploy, and stays as it is until deploy runs.
describe('a bucket policy changed by hand', () => {
  const policyNow = async () => {
    const minio = await minioClient(model);
    return within(10_000, 'getBucketPolicy', minio.getBucketPolicy(model.milvus.bucketName)).catch((error: { code?: string }) => error.code ?? String(error));
  };
  afterAll(async () => {
    // Whatever happened above, the bucket is private again for the files after this one.
    const minio = await minioClient(model);
    await within(10_000, 'setBucketPolicy', minio.setBucketPolicy(model.milvus.bucketName, '')).catch(() => undefined);
  });

  it('verify reports it and changes nothing; deploy sets it back and says so; then verify passes', async () => {
    const opened = cannedPolicyDocument(model.milvus.bucketName, 'download');
    const minio = await minioClient(model);
    await within(10_000, 'setBucketPolicy', minio.setBucketPolicy(model.milvus.bucketName, opened));

    const run = await verifyLocal();
    expect(run.code).toBe(1);
    expect(run.rows.find((row) => row.check === `minio bucket ${model.milvus.bucketName}`)).toMatchObject({
      status: 'fail',
      reason: 'policy is download, the topology says private: someone changed it outside the topology; deploy sets it back (npx milvus-swarm deploy --env local)',
    });
    // verify changed nothing: the hand-made policy is still there. Compared by meaning: MinIO hands a policy's
    // actions back in an order of its own (CI run of 2026-12-07 02:55: ListBucket before GetBucketLocation).
    const stillOpen = await policyNow();
    expect(sameMeaning(policyMeaning(model.milvus.bucketName, stillOpen), 'download'), stillOpen).toBe(true);

    const deployed = await deployFromRepository(model, undefined, '--env-file', LOCAL_ENV_FILE);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(`${deployed.stdout}${deployed.stderr}`).toContain(`bucket ${model.milvus.bucketName}: policy was download (changed outside the topology), set back to private`);
    expect(await policyNow()).toBe('NoSuchBucketPolicy');
    const after = await verifyLocal();
    expect(statuses(after)).toEqual(expectedChecks().map((check) => `pass ${check}`));
  });
});
