// Deploy's verify-user step (generator/deploy/verifyUser.ts) against a real MinIO RELEASE.2023-03-20 process: it
// creates what the model says, changes nothing the second time, undoes changes made by hand, follows a rotated
// MINIO_VERIFY_USER; and a client with verify's credentials can do exactly what verify does — verify's own MinIO
// checks pass as that user — and is refused Milvus's objects, bucket policies, other buckets and the admin API.
import { Client, S3Error } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployOptions } from '../../generator/deploy/runner/contract.ts';
import { verifyUser as verifyUserPhase } from '../../generator/deploy/phases/verifyUser.ts';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import { ensureBuckets } from '../../generator/deploy/phases/buckets.ts';
import { ensureVerifyUser, samePolicy } from '../../generator/deploy/operations/verifyUserAccount.ts';
import { MinioAdmin } from '../../generator/minio/admin.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { Budget } from '../../generator/cluster/deadline.ts';
import { prometheusToken } from '../../generator/cluster/jwt.ts';
import { checkMinio } from '../../generator/verify/minioChecks.ts';
import { METRICS_PATH } from '../../generator/verify/minioMetrics.ts';
import { modelEnvironment } from '../../generator/workspace/environment.ts';
import { frozenText } from '../frozen.ts';
import { startMinio, type MinioProcess } from '../minio/minioProcess.ts';

/** The frozen production topology with a second bucket: the policy covers the topology's buckets, not Milvus's alone. */
function modelWithTwoBuckets(): ClusterModel {
  const text = frozenText('production').replace('    - { name: milvus-bucket, policy: private }\n', '    - { name: milvus-bucket, policy: private }\n    - { name: milvus-backup, policy: download }\n');
  const loaded = modelEnvironment({ environment: 'production', file: 'environments/production.yaml', text });
  if (!loaded.ok) throw new Error('the test topology is invalid');
  return loaded.model;
}

const model = modelWithTwoBuckets();
const POLICY = 'milvus-swarm-verify';
const verify = { accessKey: 'verify-first', secretKey: 'verify-first-secret' };
/** MINIO_VERIFY_USER rotated: the user that replaces verify-first. */
const next = { accessKey: 'verify-second', secretKey: 'verify-second-secret' };
let minio: MinioProcess;
let admin: MinioAdmin;
let root: Client;

const clientAs = (credentials: { accessKey: string; secretKey: string }) =>
  new Client({ endPoint: minio.host, port: minio.port, useSSL: false, ...credentials, region: 'us-east-1' });

/** The S3 error code a call ends with, or 'ok'. */
const outcome = async (work: () => Promise<unknown>): Promise<string> =>
  work().then(
    () => 'ok',
    (error: unknown) => (error instanceof S3Error ? String(error.code) : String(error)),
  );

beforeAll(async () => {
  minio = await startMinio();
  // Request bodies sealed with pbkdf2 (argon2id costs up to a second each; admin.test.ts covers it against this server).
  admin = new MinioAdmin({ endpoint: minio.endpoint, credentials: minio.root, encryption: 'pbkdf2-aes-256-gcm' });
  root = clientAs(minio.root);
  // Another team's bucket; Milvus's buckets are deploy's to create (phases/buckets.ts).
  await root.makeBucket('other-team');
}, 90_000);

afterAll(async () => {
  await minio?.stop();
});

describe('ensureVerifyUser', () => {
  it('creates the policy, the user and the attachment, and says so', async () => {
    expect(await ensureVerifyUser(admin, model, verify)).toEqual({
      ok: true,
      changes: ['created the policy milvus-swarm-verify', "created verify's user", "attached milvus-swarm-verify to verify's user"],
    });
    expect(samePolicy((await admin.cannedPolicy(POLICY))!, model.minio.verifyPolicy.document)).toBe(true);
    expect(await admin.userInfo(verify.accessKey)).toEqual({ status: 'enabled', policies: [POLICY], memberOf: [] });
  });

  it('changes nothing the second time', async () => {
    expect(await ensureVerifyUser(admin, model, verify)).toEqual({ ok: true, changes: [] });
  });
});

describe("verify's credentials", () => {
  it("pass verify's own MinIO checks once deploy made the buckets: their policies read, the probe object, the metrics token", async () => {
    await ensureBuckets(root, model.minio.buckets);
    const rows = await checkMinio({
      model,
      endpoints: { s3: { host: minio.host, port: minio.port }, console: { host: minio.host, port: minio.port }, etcd: { host: minio.host, port: 1 } },
      credentials: verify,
      budget: new Budget(25_000),
    });
    const reason = (id: string) => rows.find((row) => row.id === id);
    expect(reason('minio:bucket:milvus-bucket')).toMatchObject({ status: 'pass', reason: 'exists, policy private' });
    expect(reason('minio:bucket:milvus-backup')).toMatchObject({ status: 'pass', reason: 'exists, policy download' });
    expect(reason('minio:probe-object')).toMatchObject({ status: 'pass', reason: expect.stringMatching(/^put, stat, get \(256 KiB, bytes equal\) and removed milvus-swarm\/verify\//) });
    // The token was accepted (one node and one drive here, where the topology has four nodes: the counts differ).
    expect(reason('minio:nodes-drives')?.reason).toMatch(/^1\/4 nodes and 1\/8 drives online/);
  });

  it('read a bucket policy, and may neither set nor delete one, nor create a bucket (deploy does, as root)', async () => {
    const client = clientAs(verify);
    await root.setBucketPolicy('milvus-bucket', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::milvus-bucket/*'] }] }));
    expect(await outcome(() => client.getBucketPolicy('milvus-bucket'))).toBe('ok');
    expect(await outcome(() => client.setBucketPolicy('milvus-bucket', ''))).toBe('AccessDenied');
    await root.setBucketPolicy('milvus-bucket', '');
    expect(await outcome(() => client.getBucketPolicy('milvus-bucket'))).toBe('NoSuchBucketPolicy');
  });

  it("are refused Milvus's objects outside verify's prefix: read, write, delete, list", async () => {
    await root.putObject('milvus-bucket', 'files/segment-1', Buffer.from('milvus data'));
    const client = clientAs(verify);
    expect(await outcome(() => client.getObject('milvus-bucket', 'files/segment-1'))).toBe('AccessDenied');
    expect(await outcome(() => client.statObject('milvus-bucket', 'files/segment-1'))).toBe('AccessDenied');
    expect(await outcome(() => client.putObject('milvus-bucket', 'files/segment-2', Buffer.from('x')))).toBe('AccessDenied');
    expect(await outcome(() => client.removeObject('milvus-bucket', 'files/segment-1'))).toBe('AccessDenied');
    expect(await outcome(() => client.bucketExists('milvus-bucket'))).toBe('AccessDenied');
    const listing = (prefix: string) => outcome(async () => {
      for await (const item of client.listObjects('milvus-bucket', prefix, true)) void item;
    });
    expect(await listing('files/')).toBe('AccessDenied');
    expect(await listing('')).toBe('AccessDenied');
    expect(await listing('milvus-swarm/verify/')).toBe('ok');
    expect(await outcome(() => root.statObject('milvus-bucket', 'files/segment-1'))).toBe('ok');
  });

  it('are refused buckets the topology does not name, and deleting its buckets', async () => {
    const client = clientAs(verify);
    expect(await outcome(() => client.makeBucket('not-in-the-topology'))).toBe('AccessDenied');
    expect(await outcome(() => client.getBucketPolicy('other-team'))).toBe('AccessDenied');
    expect(await outcome(() => client.setBucketPolicy('other-team', ''))).toBe('AccessDenied');
    expect(await outcome(() => client.removeBucket('milvus-backup'))).toBe('AccessDenied');
  });

  it('are refused the admin API: users, policies', async () => {
    const asVerify = new MinioAdmin({ endpoint: minio.endpoint, credentials: verify, encryption: 'pbkdf2-aes-256-gcm' });
    const code = (work: () => Promise<unknown>) => work().then(() => 'ok', (error: { code?: string }) => error.code ?? String(error));
    expect(await code(() => asVerify.policyEntities([POLICY]))).toBe('AccessDenied');
    expect(await code(() => asVerify.setUser('made-by-verify', 'made-by-verify-secret'))).toBe('AccessDenied');
    expect(await code(() => asVerify.addCannedPolicy(POLICY, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }] }))).toBe('AccessDenied');
    expect(await code(() => asVerify.attachPolicies(verify.accessKey, ['readwrite']))).toBe('AccessDenied');
  });

  it('get the metrics with their token (admin:Prometheus); a user without it does not', async () => {
    const token = (credentials: { accessKey: string; secretKey: string }) => prometheusToken(credentials.accessKey, credentials.secretKey, Math.floor(Date.now() / 1000));
    const metrics = (credentials: { accessKey: string; secretKey: string }) =>
      fetch(`${minio.endpoint}${METRICS_PATH}`, { headers: { authorization: `Bearer ${token(credentials)}` } }).then((answer) => answer.status);
    expect(await metrics(verify)).toBe(200);
    await admin.setUser('no-rights', 'no-rights-secret');
    expect(await metrics({ accessKey: 'no-rights', secretKey: 'no-rights-secret' })).toBe(403);
  });
});

describe('ensureVerifyUser puts back what was changed by hand', () => {
  it('a widened policy, another policy attached, the user disabled', async () => {
    await admin.addCannedPolicy(POLICY, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }] });
    await admin.attachPolicies(verify.accessKey, ['readwrite']);
    await admin.setUser(verify.accessKey, verify.secretKey, 'disabled');
    expect(await ensureVerifyUser(admin, model, verify)).toEqual({
      ok: true,
      changes: ['updated the policy milvus-swarm-verify', "set verify's user's secret key and enabled it", "detached readwrite from verify's user (only milvus-swarm-verify is verify's)"],
    });
    expect(await admin.userInfo(verify.accessKey)).toEqual({ status: 'enabled', policies: [POLICY], memberOf: [] });
    expect(await outcome(() => clientAs(verify).getObject('milvus-bucket', 'files/segment-1'))).toBe('AccessDenied');
  });

  it('a new secret key for the same user: set, and the old one refused', async () => {
    const rotated = { ...verify, secretKey: 'verify-first-secret-2' };
    expect(await ensureVerifyUser(admin, model, rotated)).toEqual({ ok: true, changes: ["set verify's user's secret key (MinIO refused the one given)"] });
    expect(await outcome(() => clientAs(verify).getBucketPolicy('milvus-bucket'))).toBe('SignatureDoesNotMatch');
    expect(await outcome(() => clientAs(rotated).getBucketPolicy('milvus-bucket'))).toBe('NoSuchBucketPolicy');
  });

  it('a new user (MINIO_VERIFY_USER rotated): created, and the one it replaces loses the policy', async () => {
    expect(await ensureVerifyUser(admin, model, next)).toEqual({
      ok: true,
      changes: ["created verify's user", "attached milvus-swarm-verify to verify's user", "detached milvus-swarm-verify from 1 other user (verify's user before MINIO_VERIFY_USER changed)"],
    });
    expect((await admin.userInfo(verify.accessKey))?.policies).toEqual([]);
    expect(await outcome(() => clientAs({ ...verify, secretKey: 'verify-first-secret-2' }).getBucketPolicy('milvus-bucket'))).toBe('AccessDenied');
    expect(await outcome(() => clientAs(next).getBucketPolicy('milvus-bucket'))).toBe('NoSuchBucketPolicy');
  });
});

describe("verify's rows when its user cannot", () => {
  const endpoints = () => ({ s3: { host: minio.host, port: minio.port }, console: { host: minio.host, port: minio.port }, etcd: { host: minio.host, port: 1 } });
  const rowsAs = (credentials: { accessKey: string; secretKey: string; user?: 'verify' | 'root' }, withModel = model) =>
    checkMinio({ model: withModel, endpoints: endpoints(), credentials, budget: new Budget(25_000) });

  it("a bucket added to the topology since the last deploy: its row says deploy sets verify's policy", async () => {
    const text = frozenText('production').replace('    - { name: milvus-bucket, policy: private }\n', '    - { name: milvus-bucket, policy: private }\n    - { name: milvus-backup, policy: download }\n    - { name: milvus-added, policy: private }\n');
    const loaded = modelEnvironment({ environment: 'production', file: 'environments/production.yaml', text });
    if (!loaded.ok) throw new Error('the test topology is invalid');
    const rows = await rowsAs({ ...next, user: 'verify' }, loaded.model);
    expect(rows.find((row) => row.id === 'minio:bucket:milvus-added')).toMatchObject({
      status: 'fail',
      reason: "AccessDenied: verify's user may not do this — deploy sets its policy milvus-swarm-verify from the topology's buckets (run deploy)",
    });
    expect(rows.find((row) => row.id === 'minio:bucket:milvus-bucket')?.status).toBe('pass');
  });

  it("a wrong secret key: the rows name verify's variables and secrets, not root's", async () => {
    const rows = await rowsAs({ ...next, secretKey: 'not-the-secret-key', user: 'verify' });
    const hint = 'MINIO_VERIFY_USER/PASSWORD must be the values of the swarm secrets minio_verify_user/minio_verify_password, and deploy must have created that user (its verify-user step)';
    expect(rows.find((row) => row.id === 'minio:bucket:milvus-bucket')?.reason).toBe(`SignatureDoesNotMatch: ${hint}`);
    expect(rows.find((row) => row.id === 'minio:nodes-drives')?.reason).toBe(`403 from /minio/v2/metrics/cluster: the token was refused — ${hint}`);
    expect(rows.find((row) => row.id === 'minio:credentials')).toBeUndefined();
  });

  it('root: every row works, and one warns that verify ran as root', async () => {
    const rows = await rowsAs({ ...minio.root, user: 'root' });
    expect(rows.find((row) => row.id === 'minio:credentials')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/^signed in as MinIO's root user: give verify its own user/) });
    expect(rows.find((row) => row.id === 'minio:probe-object')?.status).toBe('pass');
  });
});

describe('ensureVerifyUser refuses', () => {
  it("root's own access key as verify's user", async () => {
    expect(await ensureVerifyUser(admin, model, { accessKey: minio.root.accessKey, secretKey: 'whatever-secret' })).toEqual({
      ok: false,
      changes: [],
      problem: "MINIO_VERIFY_USER is MinIO's root user: give verify a user of its own (the swarm secret minio_verify_user)",
    });
  });

  it('wrong root credentials, naming the secrets they must come from, never the values', async () => {
    const wrong = new MinioAdmin({ endpoint: minio.endpoint, credentials: { accessKey: minio.root.accessKey, secretKey: 'not-the-root-secret' } });
    const result = await ensureVerifyUser(wrong, model, verify);
    expect(result).toEqual({
      ok: false,
      changes: [],
      problem: expect.stringMatching(/^MinIO admin info-canned-policy: 403 SignatureDoesNotMatch: .* — MINIO_ROOT_USER\/PASSWORD must be the values of the swarm secrets milvus_minio_root_user\/milvus_minio_root_password$/),
    });
    expect(JSON.stringify(result)).not.toContain('not-the-root-secret');
    expect(JSON.stringify(result)).not.toContain(verify.secretKey);
  });
});

describe("deploy's verify-user phase (phases/verifyUser.ts)", () => {
  // The production model reaching this MinIO: ingress ports on 127.0.0.1, so the phase asks swarm nothing (a runner
  // that is called fails the test).
  const phaseContext = (minioCredentials: DeployOptions['minio']): DeployContext => {
    const reachable: ClusterModel = {
      ...model,
      managers: [{ ...model.managers[0]!, ip: minio.host }],
      swarm: { ...model.swarm, publishMode: 'ingress' },
      minio: { ...model.minio, proxy: { ...model.minio.proxy, s3Port: minio.port } },
    };
    const runner = () => Promise.reject(new Error('the phase must not call docker with ingress ports'));
    return { options: { minio: minioCredentials }, model: reachable, environment: 'production', runner } as unknown as DeployContext;
  };
  const phaseUser = { accessKey: 'verify-phase', secretKey: 'verify-phase-secret' };

  it('without credentials: passes and says the user was left alone, naming the variables', async () => {
    const result = await verifyUserPhase.run(phaseContext(undefined));
    expect(result).toEqual({ ok: true, notes: [expect.stringMatching(/^verify's MinIO user left as it is: MINIO_ROOT_USER\/MINIO_ROOT_PASSWORD and MINIO_VERIFY_USER\/MINIO_VERIFY_PASSWORD are not set/)] });
  });

  it("with root's pair only: stops, naming verify's variables and how to go on", async () => {
    const result = await verifyUserPhase.run(phaseContext({ root: minio.root }));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^verify's MinIO user: MINIO_VERIFY_USER\/MINIO_VERIFY_PASSWORD not set/)]);
    expect(result.stopped?.resume).toBe('npx milvus-swarm deploy --env production');
  });

  it('with both: makes the user, then finds it as the topology says', async () => {
    const first = await verifyUserPhase.run(phaseContext({ root: minio.root, verify: phaseUser }));
    expect(first).toMatchObject({ ok: true, notes: expect.arrayContaining(["verify's MinIO user: created verify's user"]) });
    expect(await verifyUserPhase.run(phaseContext({ root: minio.root, verify: phaseUser }))).toEqual({ ok: true, notes: ["verify's MinIO user: as the topology says"] });
  });

  it('with a wrong root secret: stops, and no secret is in what it says', async () => {
    const result = await verifyUserPhase.run(phaseContext({ root: { ...minio.root, secretKey: 'wrong-root-secret-value' }, verify: phaseUser }));
    expect(result.ok).toBe(false);
    expect(result.problems?.[0]).toMatch(/^verify's MinIO user \(through 127\.0\.0\.1:\d+\): MinIO admin .*SignatureDoesNotMatch.*MINIO_ROOT_USER\/PASSWORD must be/);
    expect(JSON.stringify(result)).not.toContain('wrong-root-secret-value');
    expect(JSON.stringify(result)).not.toContain(phaseUser.secretKey);
  });
});
