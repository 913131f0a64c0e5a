// verify reads, never writes; buckets and their policies are deploy's (issue 23.1, issue 21 item 3), against a real
// MinIO RELEASE.2023-03-20 process. The attack first: verify's user, which deploy makes with the model's policy, tries
// to open Milvus's bucket to anyone. Then verify against a missing bucket and a policy changed by hand: a failing row
// that names the deploy, and nothing changed. Then deploy's buckets phase puts it back, says what it changed, and
// changes nothing the second time.
import { Client, S3Error } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets as bucketsPhase, ensureBuckets } from '../../generator/deploy/phases/buckets.ts';
import type { DeployContext, DeployOptions } from '../../generator/deploy/runner/contract.ts';
import { ensureVerifyUser } from '../../generator/deploy/operations/verifyUserAccount.ts';
import { MinioAdmin } from '../../generator/minio/admin.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { cannedPolicyDocument, policyMeaning, sameMeaning } from '../../generator/cluster/bucketPolicy.ts';
import { Budget } from '../../generator/cluster/deadline.ts';
import { checkMinio } from '../../generator/verify/minioChecks.ts';
import { modelEnvironment } from '../../generator/workspace/environment.ts';
import { frozenText } from '../frozen.ts';
import { startMinio, type MinioProcess } from '../minio/minioProcess.ts';

/** The frozen production topology with a second bucket, public-read by intent (download). */
function model(): ClusterModel {
  const text = frozenText('production').replace('    - { name: milvus-bucket, policy: private }\n', '    - { name: milvus-bucket, policy: private }\n    - { name: milvus-backup, policy: download }\n');
  const loaded = modelEnvironment({ environment: 'production', file: 'environments/production.yaml', text });
  if (!loaded.ok) throw new Error('the test topology is invalid');
  return loaded.model;
}

const topology = model();
const verify = { accessKey: 'verify-buckets', secretKey: 'verify-buckets-secret' };
let minio: MinioProcess;
let root: Client;

const clientAs = (credentials: { accessKey: string; secretKey: string }) => new Client({ endPoint: minio.host, port: minio.port, useSSL: false, ...credentials, region: 'us-east-1' });
const outcome = async (work: () => Promise<unknown>): Promise<string> =>
  work().then(
    () => 'ok',
    (error: unknown) => (error instanceof S3Error ? String(error.code) : String(error)),
  );
/** What an anonymous client gets for Milvus's object: its status. */
const anonymousRead = (key: string) => fetch(`${minio.endpoint}/milvus-bucket/${key}`).then((answer) => answer.status);
const rows = () =>
  checkMinio({
    model: topology,
    endpoints: { s3: { host: minio.host, port: minio.port }, console: { host: minio.host, port: minio.port }, etcd: { host: minio.host, port: 1 } },
    credentials: { ...verify, user: 'verify' },
    budget: new Budget(25_000),
  });
const row = async (id: string) => (await rows()).find((candidate) => candidate.id === id);

beforeAll(async () => {
  minio = await startMinio();
  root = clientAs(minio.root);
  const admin = new MinioAdmin({ endpoint: minio.endpoint, credentials: minio.root, encryption: 'pbkdf2-aes-256-gcm' });
  const made = await ensureVerifyUser(admin, topology, verify);
  if (!made.ok) throw new Error(made.problem);
}, 90_000);

afterAll(async () => {
  await minio?.stop();
});

describe("verify's MinIO user", () => {
  it("cannot open Milvus's bucket to anyone: no bucket policy set or deleted, no bucket created", async () => {
    await root.makeBucket('milvus-bucket');
    await root.putObject('milvus-bucket', 'files/insert_log/1', Buffer.from('milvus segment'));
    const asVerify = clientAs(verify);
    const everyone = cannedPolicyDocument('milvus-bucket', 'public');
    // The repro: this succeeded, and then anyone read, listed and deleted every version.
    expect(await outcome(() => asVerify.setBucketPolicy('milvus-bucket', everyone))).toBe('AccessDenied');
    expect(await anonymousRead('files/insert_log/1')).toBe(403);
    await root.setBucketPolicy('milvus-bucket', everyone);
    expect(await outcome(() => asVerify.setBucketPolicy('milvus-bucket', ''))).toBe('AccessDenied');
    await root.setBucketPolicy('milvus-bucket', '');
    expect(await outcome(() => asVerify.makeBucket('milvus-backup'))).toBe('AccessDenied');
  });
});

describe('verify reads the buckets and changes nothing', () => {
  it('a missing bucket: a failing row naming the deploy that creates it; the bucket is still missing', async () => {
    expect(await row('minio:bucket:milvus-backup')).toMatchObject({
      status: 'fail',
      reason: "does not exist: deploy creates it (npx milvus-swarm deploy --env production, with MinIO's root pair)",
    });
    expect(await root.bucketExists('milvus-backup')).toBe(false);
  });

  it('a policy changed by hand: a failing row naming it and the deploy that sets it back; the policy is still the changed one', async () => {
    const changed = cannedPolicyDocument('milvus-bucket', 'download');
    await root.setBucketPolicy('milvus-bucket', changed);
    expect(await row('minio:bucket:milvus-bucket')).toMatchObject({
      status: 'fail',
      reason: 'policy is download, the topology says private: someone changed it outside the topology; deploy sets it back (npx milvus-swarm deploy --env production)',
    });
    // Still the changed one, compared by meaning: MinIO hands the actions back in an order of its own (a set).
    const now = await root.getBucketPolicy('milvus-bucket');
    expect(sameMeaning(policyMeaning('milvus-bucket', now), 'download'), now).toBe(true);
    expect(await anonymousRead('files/insert_log/1')).toBe(200);
  });
});

describe("deploy's buckets phase (phases/buckets.ts)", () => {
  // The production model reaching this MinIO: ingress ports on 127.0.0.1, so the phase asks swarm nothing.
  const phaseContext = (minioCredentials: DeployOptions['minio']): DeployContext => {
    const reachable: ClusterModel = {
      ...topology,
      managers: [{ ...topology.managers[0]!, ip: minio.host }],
      swarm: { ...topology.swarm, publishMode: 'ingress' },
      minio: { ...topology.minio, proxy: { ...topology.minio.proxy, s3Port: minio.port } },
    };
    const runner = () => Promise.reject(new Error('the phase must not call docker with ingress ports'));
    return { options: { minio: minioCredentials }, model: reachable, environment: 'production', runner } as unknown as DeployContext;
  };

  it("without root's pair: leaves the buckets alone and says so", async () => {
    expect(await bucketsPhase.run(phaseContext({ verify }))).toEqual({
      ok: true,
      notes: ['buckets milvus-bucket, milvus-backup left as they are: MINIO_ROOT_USER/MINIO_ROOT_PASSWORD are not set (deploy.yml sets them; --env-file FILE by hand); verify reports a missing bucket or another policy'],
    });
  });

  it('creates the missing bucket, sets the changed policy back, and says both; then verify passes', async () => {
    expect(await bucketsPhase.run(phaseContext({ root: minio.root, verify }))).toEqual({
      ok: true,
      notes: [
        'bucket milvus-bucket: policy was download (changed outside the topology), set back to private',
        'bucket milvus-backup: created',
        'bucket milvus-backup: policy set to download',
      ],
    });
    expect(await anonymousRead('files/insert_log/1')).toBe(403);
    const after = await rows();
    expect(after.filter((candidate) => candidate.id.startsWith('minio:bucket:')).map((candidate) => [candidate.id, candidate.status, candidate.reason])).toEqual([
      ['minio:bucket:milvus-bucket', 'pass', 'exists, policy private'],
      ['minio:bucket:milvus-backup', 'pass', 'exists, policy download'],
    ]);
  });

  it("a create whose first attempt made the bucket (minio-js retried it after a lost answer) counts as made", async () => {
    // A stand-in for the lost answer only, which cannot be produced on demand: each create goes to this real MinIO
    // twice, as minio-js's retry of a 503 does. MinIO's second answer is its real BucketAlreadyOwnedByYou.
    const retried = new Proxy(root, {
      get(target, property, receiver) {
        if (property !== 'makeBucket') return Reflect.get(target, property, receiver);
        return async (name: string) => {
          await target.makeBucket(name);
          await target.makeBucket(name);
        };
      },
    });
    expect(await outcome(() => root.makeBucket('milvus-bucket'))).toBe('BucketAlreadyOwnedByYou');
    const bucket = { name: 'milvus-retried', policy: 'private' as const };
    expect(await ensureBuckets(retried, [bucket])).toEqual(['milvus-retried: created']);
    expect(await root.bucketExists('milvus-retried')).toBe(true);
    await root.removeBucket('milvus-retried');
  });

  it('changes nothing the second time', async () => {
    expect(await ensureBuckets(root, topology.minio.buckets)).toEqual([]);
    expect(await bucketsPhase.run(phaseContext({ root: minio.root }))).toEqual({ ok: true, notes: ['buckets milvus-bucket, milvus-backup: as the topology says'] });
  });

  it('with a wrong root secret: stops, says how to go on, and never prints the secret', async () => {
    const result = await bucketsPhase.run(phaseContext({ root: { ...minio.root, secretKey: 'wrong-root-secret-for-buckets' } }));
    expect(result.ok).toBe(false);
    expect(result.problems?.[0]).toMatch(/^buckets \(through 127\.0\.0\.1:\d+\): /);
    expect(result.stopped?.resume).toBe('npx milvus-swarm deploy --env production');
    expect(JSON.stringify(result)).not.toContain('wrong-root-secret-for-buckets');
  });
});
