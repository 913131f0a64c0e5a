// A swarm restore leaks no presigned URL (issue 23.7). The local swarm, nothing faked: a recovery point of the running
// etcd, a key deleted after it, then the members restored from it by the swarm restorer (backup/swarmMembers.ts)
// through a docker runner that records every command and, after each `docker service create`, the service's spec as
// swarm keeps it. The snapshot's URL (MinIO's root access key and a signature) reaches the fetch jobs in a swarm secret
// made from stdin: no argument and no spec holds it, the secret is gone afterwards, and the restore works — the jobs
// read the URL from the secret (the deleted key is back).
import path from 'node:path';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReserved } from '../../generator/backup/bucketCut.ts';
import { pointKeyFrom } from '../../generator/backup/pointKey.ts';
import { makeRecoveryPoint } from '../../generator/backup/recoveryPoint.ts';
import { restoreRecoveryPoint } from '../../generator/backup/restore.ts';
import { ensureRecoveryWindow, listObjectVersions, readRecoveryWindow } from '../../generator/backup/s3.ts';
import { dockerSwarm } from '../../generator/backup/sites.ts';
import { RESTORE_JOB_LABEL } from '../../generator/backup/swarmMembers.ts';
import { directoryStore } from '../../generator/backup/stores.ts';
import { processDocker, type DockerRunner } from '../../generator/docker/runner.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { removeScratch, scratchDir } from '../processes/support/processes.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { etcdClient, localCredentials, minioClient, within } from './support/clients.ts';
import { dockerOk } from './support/docker.ts';

const KEY = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'e2e-restore-leaks-key-0123456789abcdef' })!;
const log = (line: string) => process.stdout.write(`[e2e] restore leaks: ${line}\n`);

let model: ClusterModel;
let minio: Client;
let work: string;
let wasVersioned = false;
const probeKey = `by-dev/meta/restore-leaks-${Date.now().toString(36)}`;

/** Every docker command the restorer ran, and the spec of every service it created, as swarm holds it. */
const commands: string[][] = [];
const specs: string[] = [];
const recording: DockerRunner = async (args, options) => {
  commands.push([...args]);
  const result = await processDocker(args, options);
  if (args[0] === 'service' && args[1] === 'create' && result.code === 0) {
    const name = args[args.indexOf('--name') + 1]!;
    const spec = await processDocker(['service', 'inspect', name], { timeoutMs: 15_000 });
    specs.push(spec.stdout);
  }
  return result;
};

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
  minio = await minioClient(model);
  work = scratchDir('restore-leaks');
  wasVersioned = (await readRecoveryWindow(minio, model.milvus.bucketName)).versioning === 'Enabled';
  if (!wasVersioned) await ensureRecoveryWindow(minio, model.milvus.bucketName, 1);
});

afterAll(async () => {
  const etcd = etcdClient(model);
  try {
    await within(30_000, 'removing the probe key', etcd.delete().key(probeKey).exec()).catch(() => undefined);
  } finally {
    etcd.close();
  }
  if (minio) {
    // The cut marker's versions (and a staged snapshot, if a failure left one): destroyed, as the drills do.
    for (const entry of (await listObjectVersions(minio, model.milvus.bucketName)).filter((version) => isReserved(version.key))) {
      await minio.removeObject(model.milvus.bucketName, entry.key, { versionId: entry.versionId }).catch(() => undefined);
    }
    if (!wasVersioned) {
      await minio.setBucketVersioning(model.milvus.bucketName, { Status: 'Suspended' }).catch(() => undefined);
      await minio.removeBucketLifecycle(model.milvus.bucketName).catch(() => undefined);
    }
  }
  removeScratch(work);
});

describe('a swarm restore', () => {
  it("puts the snapshot's presigned URL in no docker argument and no service spec, and removes the secret that carried it", async () => {
    const { user, password } = await localCredentials();
    const root = { accessKey: user, secretKey: password };
    const rootClient = minio;
    const etcd = etcdClient(model);
    try {
      await within(10_000, 'put', etcd.put(probeKey).value('before the point').exec());
    } finally {
      etcd.close();
    }
    const sites = dockerSwarm(recording);
    const access = await sites.etcdAccess(model, work);
    const stores = [directoryStore(path.join(work, 'points'))];
    const point = await makeRecoveryPoint({
      environment: 'local',
      stack: model.stack,
      bucket: model.milvus.bucketName,
      windowDays: 1,
      reason: 'restore leaks',
      etcd: access,
      minio: rootClient,
      stores,
      pointKey: KEY,
      workDir: work,
    });
    expect(point.problem).toBeUndefined();
    const after = etcdClient(model);
    try {
      await within(10_000, 'delete', after.delete().key(probeKey).exec());
    } finally {
      after.close();
    }

    const started = performance.now();
    const report = await restoreRecoveryPoint({
      point: point.manifest!.id,
      pointKey: KEY,
      environment: 'local',
      bucket: model.milvus.bucketName,
      stores,
      minio: rootClient,
      etcdutl: access.etcdutl,
      members: sites.etcdMembers(model, work, {
        client: rootClient,
        credentials: root,
        bucket: model.milvus.bucketName,
        inNetwork: { host: model.milvus.minioAddress, port: model.milvus.minioPort },
      }),
      clusterToken: 'milvus-etcd-restore-leaks',
      workDir: work,
    });
    log(`restored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, stage: 'done' });

    // Nothing the restorer passed to docker, and no spec swarm kept, holds the URL's signature or the root user.
    const everything = [...commands.map((args) => args.join(' ')), ...specs].join('\n');
    expect(everything).not.toMatch(/X-Amz-Signature|X-Amz-Credential/);
    expect(everything).not.toContain(user);
    // The fetch jobs were created with the secret, which was made from stdin and removed afterwards.
    const fetches = commands.filter((args) => args[1] === 'create' && args.includes('--secret'));
    expect(fetches.length).toBe(model.etcd.members.length);
    const secret = /^source=([^,]+),/.exec(fetches[0]![fetches[0]!.indexOf('--secret') + 1]!)![1]!;
    expect(commands).toContainEqual(['secret', 'create', '--label', `${RESTORE_JOB_LABEL}=${model.stack}`, secret, '-']);
    expect(commands).toContainEqual(['secret', 'rm', secret]);
    expect(specs.length).toBe(2 * model.etcd.members.length);
    expect((await dockerOk(['secret', 'ls', '--quiet', '--filter', `name=${secret}`], { timeoutMs: 15_000 })).trim()).toBe('');

    // And the jobs did read the URL: etcd is the point's again, with the key deleted after it.
    const restored = etcdClient(model);
    try {
      expect(await within(30_000, 'get', restored.get(probeKey).string())).toBe('before the point');
    } finally {
      restored.close();
    }
  });
});
