// Data survives a redeploy: a key and an object written before `docker stack rm` are read after the stack is
// deployed again on the same host directories. Also proves removeStack waits until the network is really gone.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForConvergence } from '../../generator/deploy/converge.ts';
import { deployStack } from '../../generator/deploy/stackDeploy.ts';
import { removeStack, stackLeftovers } from '../../generator/deploy/stackRemove.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { convergeFailure } from './harness/lifecycle.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel, stackFile } from './harness/topology.ts';
import { etcdClient, minioClient, streamToBuffer, within } from './support/clients.ts';

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

  it('deploys it again, converges and serves both back unchanged', async () => {
    const since = new Date();
    const deployed = await deployStack({ composeFile: stackFile(), stack: model.stack, timeoutMs: 120_000, resolveImage: 'never' });
    expect(deployed.error).toBeUndefined();
    const converged = await waitForConvergence({ stack: model.stack, timeoutMs: model.deployTimeoutSeconds * 1000, settleMs: 10_000, since });
    if (!converged.ok) throw new Error(convergeFailure(converged));
    expect(converged.services.map((service) => `${service.name} ${service.running}/${service.desired}`)).toEqual(
      model.services.map((service) => `${model.stack}_${service.name} ${service.replicas}/${service.replicas}`).sort(),
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
