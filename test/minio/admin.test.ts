// The admin client (generator/minio/admin.ts) against a real MinIO RELEASE.2023-03-20 process: what it encrypts the
// server reads (a user added with it signs requests), what the server encrypts it reads (policy-entities), and its
// signatures are accepted. Bodies whose encryption is not the subject use the pbkdf2 id (argon2id costs up to a second each).
import net from 'node:net';
import { Client, S3Error } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinioAdmin, MinioAdminError, type MinioAdminOptions } from '../../generator/minio/admin.ts';
import { DeadlineError } from '../../generator/cluster/deadline.ts';
import { startMinio, type MinioProcess } from './minioProcess.ts';

let minio: MinioProcess;
let admin: MinioAdmin;

beforeAll(async () => {
  minio = await startMinio();
  admin = adminAs(minio.root);
}, 90_000);

afterAll(async () => {
  await minio?.stop();
});

const adminAs = (credentials: MinioAdminOptions['credentials'], options: Partial<MinioAdminOptions> = {}) =>
  new MinioAdmin({ endpoint: minio.endpoint, credentials, encryption: 'pbkdf2-aes-256-gcm', ...options });

/**
 * Whether MinIO accepts these credentials' signature: an S3 ListBuckets answers a user without rights AccessDenied
 * (authenticated, not allowed), and a wrong key InvalidAccessKeyId or SignatureDoesNotMatch.
 */
async function signsIn(accessKey: string, secretKey: string): Promise<true | string> {
  const client = new Client({ endPoint: minio.host, port: minio.port, useSSL: false, accessKey, secretKey, region: 'us-east-1' });
  try {
    await client.listBuckets();
    return true;
  } catch (error) {
    const code = error instanceof S3Error ? String(error.code) : String(error);
    return code === 'AccessDenied' ? true : code;
  }
}

const policy = (bucket: string) => ({
  Version: '2012-10-17' as const,
  Statement: [{ Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/probe/*`] }],
});

describe('setUser: the body encrypted with the root secret key, as madmin does', () => {
  it.each([
    ['argon2id + AES-256-GCM (madmin on x86)', 'argon2id-aes-256-gcm'],
    ['argon2id + ChaCha20-Poly1305 (madmin without AES-NI)', 'argon2id-chacha20-poly1305'],
    ['pbkdf2 + AES-256-GCM (madmin in FIPS builds)', 'pbkdf2-aes-256-gcm'],
  ] as const)('%s: the user exists, enabled, and signs requests with its secret key', async (_, encryption) => {
    const user = `user-${encryption}`;
    expect(await signsIn(user, 'secret-of-the-user')).toBe('InvalidAccessKeyId');
    await adminAs(minio.root, { encryption }).setUser(user, 'secret-of-the-user');
    expect(await admin.userInfo(user)).toEqual({ status: 'enabled', policies: [], memberOf: [] });
    expect(await signsIn(user, 'secret-of-the-user')).toBe(true);
  });

  it('sets a new secret key and a status on an existing user', async () => {
    await admin.setUser('rotated', 'first-secret');
    await admin.setUser('rotated', 'second-secret');
    expect(await signsIn('rotated', 'first-secret')).toBe('SignatureDoesNotMatch');
    expect(await signsIn('rotated', 'second-secret')).toBe(true);
    await admin.setUser('rotated', 'second-secret', 'disabled');
    expect((await admin.userInfo('rotated'))?.status).toBe('disabled');
    expect(await signsIn('rotated', 'second-secret')).toBe('InvalidAccessKeyId');
  });

  it('is refused when the body was encrypted with another key than the signing one', async () => {
    // MinIO decrypts with the signer's secret key: a body sealed with any other is refused, and no user is made.
    const sealing = { ...minio.root, secretKey: `${minio.root.secretKey}x` };
    const error = await callWithSealingKey(sealing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MinioAdminError);
    expect([(error as MinioAdminError).status, (error as MinioAdminError).code]).toEqual([400, 'XMinioAdminConfigBadJSON']);
    expect(await admin.userInfo('sealed-wrong')).toBeUndefined();
  });
});

/** add-user whose body is sealed with `sealing` while the request is signed with the root credentials. */
async function callWithSealingKey(sealing: { accessKey: string; secretKey: string }): Promise<void> {
  const { encryptData } = await import('../../generator/minio/encryption.ts');
  const { signRequest, canonicalQuery } = await import('../../generator/minio/sigv4.ts');
  const body = await encryptData(sealing.secretKey, Buffer.from(JSON.stringify({ secretKey: 'never-set', status: 'enabled' })), 'pbkdf2-aes-256-gcm');
  const url = new URL(`/minio/admin/v3/add-user?${canonicalQuery([['accessKey', 'sealed-wrong']])}`, minio.endpoint);
  const headers = signRequest({ method: 'PUT', url, body }, { credentials: minio.root, region: 'us-east-1', date: new Date() });
  delete headers.host;
  const answer = await fetch(url, { method: 'PUT', headers, body });
  const text = await answer.text();
  if (answer.status !== 200) throw new MinioAdminError('add-user', answer.status, JSON.parse(text).Code ?? '', '');
}

describe('canned policies', () => {
  it('are undefined until added, then read back, then replaced', async () => {
    expect(await admin.cannedPolicy('milvus-swarm-test')).toBeUndefined();
    await admin.addCannedPolicy('milvus-swarm-test', policy('first'));
    expect(await admin.cannedPolicy('milvus-swarm-test')).toEqual(policy('first'));
    await admin.addCannedPolicy('milvus-swarm-test', policy('second'));
    expect(await admin.cannedPolicy('milvus-swarm-test')).toEqual(policy('second'));
  });

  it('refuses a document MinIO cannot parse, with its code', async () => {
    const error = await admin.addCannedPolicy('broken', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:NoSuchAction'], Resource: ['arn:aws:s3:::b'] }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MinioAdminError);
    expect((error as MinioAdminError).message).toMatch(/^MinIO admin add-canned-policy: 400 XMinioMalformedIAMPolicy: unsupported action 's3:NoSuchAction'$/);
  });
});

describe('attaching policies', () => {
  beforeAll(async () => {
    await admin.setUser('attached', 'secret-of-attached');
    await admin.addCannedPolicy('attach-a', policy('a'));
    await admin.addCannedPolicy('attach-b', policy('b'));
  });

  it('attach and detach change what user-info and policy-entities (encrypted by MinIO) say', async () => {
    await admin.attachPolicies('attached', ['attach-a', 'attach-b']);
    expect((await admin.userInfo('attached'))?.policies.sort()).toEqual(['attach-a', 'attach-b']);
    // Two values of one query parameter (?policy=attach-a&policy=attach-b): sent in the order they are signed.
    expect(await admin.policyEntities(['attach-b', 'attach-a'])).toEqual([
      { policy: 'attach-a', users: ['attached'], groups: [] },
      { policy: 'attach-b', users: ['attached'], groups: [] },
    ]);
    await admin.detachPolicies('attached', ['attach-a']);
    expect((await admin.userInfo('attached'))?.policies).toEqual(['attach-b']);
    expect(await admin.policyEntities(['attach-a'])).toEqual([]);
  });

  it('refuses a policy attached already, with its code', async () => {
    await admin.attachPolicies('attached', ['attach-a']).catch(() => undefined);
    const error = await admin.attachPolicies('attached', ['attach-a']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MinioAdminError);
    expect((error as MinioAdminError).code).toBe('XMinioPolicyAlreadyAttached');
  });
});

describe('errors', () => {
  it('a user that does not exist is undefined, not an error', async () => {
    expect(await admin.userInfo('nobody-at-all')).toBeUndefined();
  });

  it('a wrong root secret key: 403 SignatureDoesNotMatch, and the error shows neither the key nor the query', async () => {
    const wrong = adminAs({ accessKey: minio.root.accessKey, secretKey: 'not-the-root-secret' });
    const error = (await wrong.userInfo('some-user-name').catch((caught: unknown) => caught)) as MinioAdminError;
    expect(error).toBeInstanceOf(MinioAdminError);
    expect(error.message).toMatch(/^MinIO admin user-info: 403 SignatureDoesNotMatch: /);
    expect(error.message).not.toContain('not-the-root-secret');
    expect(error.message).not.toContain('some-user-name');
  });

  it('a user without admin rights: 403 AccessDenied', async () => {
    await admin.setUser('plain-user', 'secret-of-plain-user');
    const error = await adminAs({ accessKey: 'plain-user', secretKey: 'secret-of-plain-user' })
      .userInfo('attached')
      .catch((caught: unknown) => caught);
    expect((error as MinioAdminError).code).toBe('AccessDenied');
  });

  it('an endpoint that never answers: a DeadlineError after the call deadline', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const silent = new MinioAdmin({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, credentials: minio.root, timeoutMs: 300 });
      await expect(silent.userInfo('x')).rejects.toThrow(new DeadlineError('MinIO admin user-info', 300));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
