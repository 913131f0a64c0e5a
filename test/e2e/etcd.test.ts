// The runbook's etcd checks, literally: from a temporary container of the etcd image on the stack's attachable
// network, put `name` through the proxy, get it through the proxy and from each member by name, delete it through
// the proxy. Then the same from this machine through the proxy's published port, with npm etcd3.
import { randomBytes } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../generator/model/types.ts';
import { loadModel } from './harness/topology.ts';
import { etcdClient, within } from './support/clients.ts';
import { startEtcdctlContainer, type EtcdctlContainer } from './support/etcdctlContainer.ts';

let model: ClusterModel;
let container: EtcdctlContainer;
const proxy = () => model.etcd.proxy.endpoint; // etcd-proxy:23790
const members = () => model.etcd.members.map((member) => ({ name: member.name, endpoint: member.clientUrl }));

beforeAll(async () => {
  model = await loadModel();
  container = await startEtcdctlContainer(model);
});
afterAll(async () => {
  await container?.remove();
});

describe('etcd on the overlay network (the runbook, from a temporary container)', () => {
  const key = 'name';
  const value = `milvus-swarm-e2e-${randomBytes(4).toString('hex')}`;

  it('is the topology\'s members, asked from each member by name', async () => {
    for (const member of members()) {
      const result = await container.etcdctl(member.endpoint, ['member', 'list', '-w', 'simple']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // "id, status, name, peer URL, client URL, is learner" per line.
      const rows = result.stdout.trim().split('\n').map((line) => line.split(', '));
      expect(rows.map((row) => `${row[1]} ${row[2]} ${row[3]} ${row[4]}`).sort()).toEqual(
        model.etcd.members.map((m) => `started ${m.name} ${m.peerUrl} ${m.clientUrl}`).sort(),
      );
    }
  });

  it(`puts "${key}" through ${'etcd-proxy:23790'}`, async () => {
    const result = await container.etcdctl(proxy(), ['put', key, value]);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'OK\n' });
  });

  it('gets it through the proxy', async () => {
    const result = await container.etcdctl(proxy(), ['get', key]);
    expect(result).toMatchObject({ code: 0, stdout: `${key}\n${value}\n` });
  });

  it('gets it from each member directly, by name', async () => {
    for (const member of members()) {
      // A serializable read answers from the member's own store: each member really has the key.
      const result = await container.etcdctl(member.endpoint, ['get', key, '--consistency=s']);
      expect({ member: member.name, ...result }).toEqual({ member: member.name, code: 0, stdout: `${key}\n${value}\n`, stderr: '' });
    }
  });

  it('deletes it through the proxy, and no member has it any more', async () => {
    const deleted = await container.etcdctl(proxy(), ['del', key]);
    expect(deleted).toMatchObject({ code: 0, stdout: '1\n' });
    const viaProxy = await container.etcdctl(proxy(), ['get', key]);
    expect(viaProxy).toMatchObject({ code: 0, stdout: '' });
    for (const member of members()) {
      // Linearizable here: the delete is committed, so every member must agree it is gone.
      const result = await container.etcdctl(member.endpoint, ['get', key]);
      expect({ member: member.name, stdout: result.stdout, code: result.code }).toEqual({ member: member.name, stdout: '', code: 0 });
    }
  });
});

describe('etcd from this machine, through the published proxy port (npm etcd3)', () => {
  let client: Etcd3;
  const key = `/milvus-swarm/e2e/host-${randomBytes(4).toString('hex')}`;
  const value = `from-the-host-${randomBytes(4).toString('hex')}`;
  beforeAll(() => {
    client = etcdClient(model);
  });
  afterAll(async () => {
    await within(10_000, 'cleanup delete', client.delete().key(key).exec()).catch(() => undefined);
    client.close();
  });

  it(`puts, gets and deletes a key through 127.0.0.1:${2379}`, async () => {
    expect(model.etcd.proxy.publishedPort).toBe(2379);
    await within(10_000, 'put', client.put(key).value(value).exec());
    expect(await within(10_000, 'get', client.get(key).string())).toBe(value);

    // The key written from the host is the one every member serves on the overlay network.
    for (const member of members()) {
      const result = await container.etcdctl(member.endpoint, ['get', key, '--print-value-only']);
      expect({ member: member.name, stdout: result.stdout }).toEqual({ member: member.name, stdout: `${value}\n` });
    }

    const deleted = await within(10_000, 'delete', client.delete().key(key).exec());
    expect(deleted.deleted).toBe('1');
    expect(await within(10_000, 'get after delete', client.get(key).string())).toBeNull();
  });

  it('lists the proxy itself as the only member, at its advertised address', async () => {
    const list = await within(10_000, 'member list', client.cluster.memberList({}));
    // grpc-proxy answers member list with one member: itself at --advertise-client-url (etcd 3.5
    // server/proxy/grpcproxy/cluster.go). Without the flag that address is 127.0.0.1:23790, useless to clients.
    expect(list.members.map((member) => member.clientURLs)).toEqual([[model.etcd.proxy.endpoint]]);
  });
});
