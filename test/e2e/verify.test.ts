// `milvus-swarm verify --env local` against the healthy local stack, as an operator runs it (the README's command):
// every row passes, fast, without printing the credentials and without leaving anything behind; wrong credentials fail.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk } from '../../generator/docker/cli.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { VERIFY_CONTAINER_LABEL } from '../../generator/verify/etcdMembers.ts';
import { PROBE_PREFIX } from '../../generator/verify/etcdProxy.ts';
import { PROBE_OBJECT_PREFIX } from '../../generator/verify/minioChecks.ts';
import { LOCAL_ENV_FILE } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { milvusSwarm, statuses, verifyLocal } from './support/cli.ts';
import { etcdClient, localCredentials, minioClient, within } from './support/clients.ts';

let model: ClusterModel;
beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
});

/** The rows verify reports for the local topology (dnsrr adds the load balancer's addresses). */
const expectedChecks = () => [
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

  it('never prints the MinIO password, and leaves no container, key or object behind', async () => {
    const credentials = await localCredentials();
    const result = await milvusSwarm(['verify', '--env', 'local', '--env-file', LOCAL_ENV_FILE], { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`.includes(credentials.password)).toBe(false);
    const probeKey = /put and read back (\S+) through/.exec(result.stdout)?.[1];
    expect(probeKey).toMatch(new RegExp(`^${PROBE_PREFIX}local/`));

    const containers = await dockerOk(['container', 'ls', '--all', '--quiet', '--filter', `label=${VERIFY_CONTAINER_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(containers.trim()).toBe('');
    const etcd = etcdClient(model);
    try {
      const left = await within(10_000, 'get prefix', etcd.getAll().prefix(PROBE_PREFIX).exec());
      expect(left.kvs.map((kv) => kv.key.toString())).not.toContain(probeKey);
      // A probe key another run could not delete (etcd without quorum) still goes away: each has a lease.
      expect(left.kvs.filter((kv) => kv.lease === '0').map((kv) => kv.key.toString())).toEqual([]);
    } finally {
      etcd.close();
    }
    const minio = await minioClient(model);
    const objects: string[] = [];
    await within(
      10_000,
      'listObjects',
      new Promise<void>((resolve, reject) => {
        const stream = minio.listObjectsV2(model.milvus.bucketName, PROBE_OBJECT_PREFIX, true);
        stream.on('data', (item) => objects.push(item.name ?? ''));
        stream.on('error', reject);
        stream.on('end', () => resolve());
      }),
    );
    expect(objects).toEqual([]);
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
