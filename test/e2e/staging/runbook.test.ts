// The runbook's checks on the staging swarm, as its operators ran them: etcdctl from a temporary container of the etcd
// image on the stack's network (put through the proxy, get through it and from each member by name, delete through
// it), and MinIO through the load balancer on a manager (the bucket Milvus's config names, an object written, read
// back byte-equal and removed).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcdctlContainer, type EtcdctlContainer } from '../support/etcdctlContainer.ts';
import { streamToBuffer, within } from '../support/clients.ts';
import { endpoints, ready, s3Client, staging, type Staging } from './support.ts';

let context: Staging;
let etcdctl: EtcdctlContainer;
beforeAll(async () => {
  context = await staging();
  await ready(context);
  etcdctl = await startEtcdctlContainer(context.model);
});
afterAll(async () => {
  await etcdctl?.remove();
});

describe('the runbook\'s etcdctl checks, on the staging swarm', () => {
  const value = `milvus-swarm-staging-${randomBytes(4).toString('hex')}`;
  it('puts "name" through etcd-proxy:23790, gets it through the proxy and from every member, deletes it', async () => {
    const proxy = context.model.etcd.proxy.endpoint;
    expect(await etcdctl.etcdctl(proxy, ['put', 'name', value])).toMatchObject({ code: 0, stdout: 'OK\n' });
    expect(await etcdctl.etcdctl(proxy, ['get', 'name'])).toMatchObject({ code: 0, stdout: `name\n${value}\n` });
    for (const member of context.model.etcd.members) {
      const result = await etcdctl.etcdctl(`${member.name}:${context.model.etcd.clientPort}`, ['get', 'name', '--consistency=s']);
      expect({ member: member.name, ...result }).toEqual({ member: member.name, code: 0, stdout: `name\n${value}\n`, stderr: '' });
    }
    expect(await etcdctl.etcdctl(proxy, ['del', 'name'])).toMatchObject({ code: 0, stdout: '1\n' });
    for (const member of context.model.etcd.members) {
      const result = await etcdctl.etcdctl(`${member.name}:${context.model.etcd.clientPort}`, ['get', 'name', '--consistency=s']);
      expect({ member: member.name, stdout: result.stdout }).toEqual({ member: member.name, stdout: '' });
    }
  });
});

describe('the runbook\'s MinIO checks, through nginx on a manager', () => {
  it('has Milvus\'s bucket, and writes, reads back and removes an object through it', async () => {
    const client = s3Client(context, (await endpoints(context)).s3);
    const bucket = context.model.milvus.bucketName;
    expect(await within(10_000, 'bucketExists', client.bucketExists(bucket))).toBe(true);
    const body = randomBytes(3 * 2 ** 20);
    const key = `milvus-swarm-e2e/staging/${randomBytes(4).toString('hex')}`;
    await within(30_000, 'putObject', client.putObject(bucket, key, body));
    const read = await streamToBuffer(await within(30_000, 'getObject', client.getObject(bucket, key)));
    expect(createHash('sha256').update(read).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
    await within(10_000, 'removeObject', client.removeObject(bucket, key));
    await expect(client.statObject(bucket, key)).rejects.toMatchObject({ code: 'NotFound' });
  });
});
