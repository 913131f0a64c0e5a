// MinIO through the nginx load balancer, as the runbook's console steps and Milvus use it: the Milvus bucket
// exists with the topology's policy, an object goes in, comes back byte-equal and is removed; the console answers.
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../generator/model/types.ts';
import { localEndpoints } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { anonymousGrants, cannedPolicy } from './support/bucketPolicy.ts';
import { minioClient, streamToBuffer, within } from './support/clients.ts';

let model: ClusterModel;
let client: Client;
let s3: string;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  model = await loadModel();
  client = await minioClient(model);
  s3 = localEndpoints(model).s3;
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

const anonymous = (method: string, path: string, body?: Buffer) =>
  fetch(`${s3}${path}`, { method, body, signal: AbortSignal.timeout(10_000) }).then(async (response) => ({ status: response.status, body: await response.text() }));

describe('MinIO through nginx', () => {
  it('has write quorum (/minio/health/cluster through the load balancer)', async () => {
    const response = await fetch(`${s3}/minio/health/cluster`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
  });

  it('has every bucket of the topology, with the topology\'s policy (created and set when missing)', async () => {
    expect(model.minio.buckets.map((bucket) => bucket.name)).toContain(model.milvus.bucketName);
    for (const bucket of model.minio.buckets) {
      if (!(await within(10_000, 'bucketExists', client.bucketExists(bucket.name)))) {
        await within(10_000, 'makeBucket', client.makeBucket(bucket.name));
      }
      const wanted = cannedPolicy(bucket.name, bucket.policy);
      const current = await within(10_000, 'getBucketPolicy', client.getBucketPolicy(bucket.name)).catch((error: { code?: string }) => {
        if (error.code === 'NoSuchBucketPolicy') return '';
        throw error;
      });
      if (JSON.stringify(anonymousGrants(current)) !== JSON.stringify(anonymousGrants(wanted))) {
        await within(10_000, 'setBucketPolicy', client.setBucketPolicy(bucket.name, wanted));
      }
      const after = await within(10_000, 'getBucketPolicy', client.getBucketPolicy(bucket.name)).catch((error: { code?: string }) =>
        error.code === 'NoSuchBucketPolicy' ? '' : Promise.reject(error),
      );
      expect({ bucket: bucket.name, grants: anonymousGrants(after) }).toEqual({ bucket: bucket.name, grants: anonymousGrants(wanted) });
    }
  });

  it('enforces those policies on anonymous requests', async () => {
    const key = `e2e/policy-${randomBytes(4).toString('hex')}.txt`;
    for (const bucket of model.minio.buckets) {
      await within(10_000, 'putObject', client.putObject(bucket.name, key, Buffer.from(`readable? ${bucket.policy}\n`)));
      cleanup.push(() => client.removeObject(bucket.name, key));
      const read = await anonymous('GET', `/${bucket.name}/${key}`);
      const write = await anonymous('PUT', `/${bucket.name}/${key}.anonymous`, Buffer.from('anonymous write'));
      if (write.status === 200) cleanup.push(() => client.removeObject(bucket.name, `${key}.anonymous`));
      const mayRead = bucket.policy === 'download' || bucket.policy === 'public';
      const mayWrite = bucket.policy === 'upload' || bucket.policy === 'public';
      expect({ bucket: bucket.name, read: read.status, write: write.status }).toEqual({
        bucket: bucket.name,
        read: mayRead ? 200 : 403,
        write: mayWrite ? 200 : 403,
      });
      if (mayRead) expect(read.body).toBe(`readable? ${bucket.policy}\n`);
    }
  });

  it('writes an object to the Milvus bucket, reads it back byte-equal, and removes it', async () => {
    const bucket = model.milvus.bucketName;
    const key = `e2e/roundtrip-${randomBytes(4).toString('hex')}.bin`;
    // Larger than nginx's 1 MiB proxy buffers and not a multiple of them, random so no layer can compress it.
    const data = randomBytes(12 * 2 ** 20 + 12345);
    cleanup.push(() => client.removeObject(bucket, key));

    await within(60_000, 'putObject', client.putObject(bucket, key, data, data.length, { 'Content-Type': 'application/octet-stream' }));
    const stat = await within(10_000, 'statObject', client.statObject(bucket, key));
    expect(stat.size).toBe(data.length);

    const read = await within(60_000, 'getObject', client.getObject(bucket, key).then(streamToBuffer));
    expect(read.length).toBe(data.length);
    expect(createHash('sha256').update(read).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(read.equals(data)).toBe(true);

    // A ranged read crosses the load balancer unchanged too (Milvus reads segments by range).
    const range = await within(30_000, 'getPartialObject', client.getPartialObject(bucket, key, 5 * 2 ** 20 + 7, 4096).then(streamToBuffer));
    expect(range.equals(data.subarray(5 * 2 ** 20 + 7, 5 * 2 ** 20 + 7 + 4096))).toBe(true);

    await within(10_000, 'removeObject', client.removeObject(bucket, key));
    const gone = await within(10_000, 'statObject after remove', client.statObject(bucket, key)).then(
      () => 'still there',
      (error: { code?: string }) => error.code,
    );
    expect(gone).toBe('NotFound');
  });

  it('answers on the console port (MinIO Console through nginx)', async () => {
    const response = await fetch(`${localEndpoints(model).console}/`, { signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toMatch(/<title>MinIO Console<\/title>/);
    // Its API is the console's own (not S3): a session check without login is refused by the console itself.
    const session = await fetch(`${localEndpoints(model).console}/api/v1/session`, { signal: AbortSignal.timeout(10_000) });
    expect({ status: session.status, body: await session.json() }).toMatchObject({ status: 403, body: { message: 'invalid session' } });
  });
});
