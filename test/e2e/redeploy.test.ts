// Data survives a redeploy: a key and an object written before `docker stack rm` are read after the stack is
// deployed again on the same host directories. Also proves removeStack waits until the network is really gone.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStack, stackLeftovers } from './harness/stackRemove.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { etcdClient, minioClient, streamToBuffer, within } from './support/clients.ts';
import { deployFromRepository } from './support/stack.ts';

let model: ClusterModel;
const run = randomBytes(4).toString('hex');
const key = `/milvus-swarm/e2e/survives-${run}`;
const value = `written before docker stack rm (${run})`;
const objectKey = `e2e/survives-${run}.bin`;
const object = randomBytes(3 * 2 ** 20 + 17);

beforeAll(async () => {
  model = await loadModel();
});

afterAll(async () => {
  // Best effort: the stack may be down if a step failed; nothing here may hang.
  const etcd = etcdClient(model);
  await within(10_000, 'delete', etcd.delete().key(key).exec()).catch(() => undefined);
  etcd.close();
  const minio = await minioClient(model);
  await within(10_000, 'removeObject', minio.removeObject(model.milvus.bucketName, objectKey)).catch(() => undefined);
});

describe('data survives docker stack rm + deploy', () => {
  it('writes a key through the etcd proxy and an object through nginx', async () => {
    const etcd = etcdClient(model);
    try {
      await within(10_000, 'put', etcd.put(key).value(value).exec());
    } finally {
      etcd.close();
    }
    const minio = await minioClient(model);
    if (!(await within(10_000, 'bucketExists', minio.bucketExists(model.milvus.bucketName)))) await minio.makeBucket(model.milvus.bucketName);
    await within(60_000, 'putObject', minio.putObject(model.milvus.bucketName, objectKey, object, object.length));
  });

  it('removes the stack and returns only once its network is gone', async () => {
    const removed = await removeStack({ stack: model.stack, timeoutMs: 180_000 });
    expect(removed).toMatchObject({ ok: true, removed: true });
    // Nothing of the stack is left the moment removeStack returns: services, containers, network, configs.
    expect(await stackLeftovers(model.stack, 20_000)).toEqual({ services: [], containers: [], networks: [], configs: [] });
  });

  it('deploys it again with `milvus-swarm deploy`, converges and serves both back unchanged', async () => {
    // The whole stack from nothing, through the command an operator (and the deploy action) runs.
    const deployed = await deployFromRepository(model);
    expect(deployed.code, deployed.stderr).toBe(0);
    process.stdout.write(`[e2e] deploy of the whole stack after docker stack rm: ${deployed.stderr.trim().split('\n').at(-1)} (process ${(deployed.elapsedMs / 1000).toFixed(1)} s)\n`);
    // The deployed-topology record outlives `docker stack rm` (it carries no stack namespace): the plan has a base.
    expect(deployed.stderr).toContain('plan against the deployed topology: no changes');
    // dnsrr: the MinIO nodes start before the load balancer, so nothing has to restart it after convergence.
    expect(deployed.stderr).toMatch(/^MinIO nodes minio1, minio2, minio3, minio4 started before minio-proxy, which finds them in swarm's DNS when it starts \([\d.]+ s\)$/m);
    expect(deployed.stderr).not.toMatch(/^restarted minio-proxy/m);
    expect(deployed.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s{2,}/).filter((_, column) => column === 0 || column === 2 || column === 4).join(' '))).toEqual(
      model.services.map((service) => `${model.stack}_${service.name} ${service.replicas}/${service.replicas} converged`).sort(),
    );
    await waitUntilReady(model, 180_000);

    const etcd = etcdClient(model);
    try {
      expect(await within(10_000, 'get', etcd.get(key).string())).toBe(value);
    } finally {
      etcd.close();
    }
    const minio = await minioClient(model);
    const read = await within(60_000, 'getObject', minio.getObject(model.milvus.bucketName, objectKey).then(streamToBuffer));
    expect(read.equals(object)).toBe(true);
  });
});
