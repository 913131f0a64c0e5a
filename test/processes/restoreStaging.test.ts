// Where a swarm restore stages etcd's snapshot (issue 23.7): in Milvus's bucket under .milvus-swarm/restore/, fetched
// by the members' host jobs with a presigned URL. A bucket anyone may read there would hand all of etcd to whoever
// asks during the restore, so the restorer's check — asked before anything changes — refuses it, against a real MinIO.
// Docker is scripted here (only `service inspect` of the members is asked, and answers); the real swarm restore with
// its secret-held URL is test/e2e/restoreLeaks.test.ts.
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swarmMembers } from '../../generator/backup/swarmMembers.ts';
import type { DockerRunner } from '../../generator/docker/runner.ts';
import { cannedPolicyDocument } from '../../generator/cluster/bucketPolicy.ts';
import { frozenModel } from '../frozen.ts';
import { removeScratch, scratchDir, startMinio, type LocalMinio } from './support/processes.ts';

const BUCKET = 'milvus-bucket';
let directory: string;
let minio: LocalMinio;
let client: Client;
const asked: string[][] = [];
/** Answers `docker service inspect` of the members (they are there) and refuses anything else: nothing may change. */
const members: DockerRunner = async (args) => {
  asked.push([...args]);
  const inspect = args[0] === 'service' && args[1] === 'inspect';
  return { code: inspect ? 0 : 1, stdout: inspect ? 'milvus_etcd1\nmilvus_etcd2\nmilvus_etcd3\n' : '', stderr: inspect ? '' : 'not in this test', timedOut: false, elapsedMs: 1 };
};

beforeAll(async () => {
  directory = scratchDir('restore-staging');
  minio = await startMinio(directory);
  client = minio.client();
  await client.makeBucket(BUCKET);
});

afterAll(async () => {
  await minio?.stop();
  removeScratch(directory);
});

const check = () =>
  swarmMembers({
    runner: members,
    model: frozenModel('local'),
    workDir: directory,
    transfer: { client, credentials: { accessKey: minio.accessKey, secretKey: minio.secretKey }, bucket: BUCKET, inNetwork: { host: 'minio-proxy', port: 9000 } },
  }).check();

describe("a swarm restore's check of where it stages the snapshot", () => {
  it('passes a private bucket, and one that opens only Milvus\'s own prefix', async () => {
    expect(await check()).toEqual([]);
    await client.setBucketPolicy(BUCKET, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${BUCKET}/files/*`] }] }));
    expect(await check()).toEqual([]);
  });

  it('refuses a bucket anyone may read (download, public), before anything changes', async () => {
    for (const level of ['download', 'public'] as const) {
      await client.setBucketPolicy(BUCKET, cannedPolicyDocument(BUCKET, level));
      expect(await check()).toEqual([
        "the policy of milvus-bucket lets anyone read .milvus-swarm/restore/, where the restore stages etcd's snapshot for the members' nodes: make the bucket private for the restore (deploy sets the topology's policy back), or restore etcd into a directory with --etcd-data-dir",
      ]);
    }
    // Proof that it would have been readable: an anonymous GET of an object there.
    await client.putObject(BUCKET, '.milvus-swarm/restore/probe/etcd.db', Buffer.from('etcd'));
    expect((await fetch(`http://${minio.endpoint}/${BUCKET}/.milvus-swarm/restore/probe/etcd.db`)).status).toBe(200);
    expect(asked.every((args) => args[0] === 'service' && args[1] === 'inspect')).toBe(true);
  });
});
