// The two committed environments: production is the runbook's cluster, local is any one-node swarm.
import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../generator/topology/validate.ts';
import type { Topology } from '../../generator/topology/schema.ts';
import { readRepoFile } from './support.ts';

function load(environment: string): Topology {
  const file = `environments/${environment}.yaml`;
  const result = validateTopology(file, readRepoFile(file));
  if (!result.ok) throw new Error(`${file} is invalid`);
  return result.topology;
}

describe('environments/production.yaml', () => {
  const production = load('production');
  it('has the runbook\'s seven data hosts with names, addresses, node ids and roles', () => {
    expect(production.hosts.map((host) => [host.name, host.ip, host.nodeId, host.roles.join(',')])).toEqual([
      ['gp22aitppapcsve', '29.16.21.75', 'feat9cenkv7h5itauklaueqp6', 'zk1,etcd1'],
      ['gp22aitppap92xg', '29.16.21.76', 'lwzi92s62589xhej0y4o40xkk', 'zk2,etcd2'],
      ['gp22aitppapch5z', '29.16.21.77', 'u8n1y8aosgaaov2bhhmucdduh', 'zk3,etcd3'],
      ['gp22aitppapwc2g', '29.16.21.83', 'w9qfcpvtfstnxsudcom2wj6ii', 'minio1'],
      ['gp22aitppapxpeg', '29.16.21.84', 'wbhf2nmlx3jrfekfq76l582d0', 'minio2'],
      ['gp22aitppap7keb', '29.16.21.85', 'qmq7uiblozdfkuwptvddppeoo', 'minio3'],
      ['gp22aitppapnch3', '29.16.21.86', 't2ka3dmgb9o30vynhdqzo35cd', 'minio4'],
    ]);
    expect(production.managers.map((manager) => manager.ip)).toEqual(['29.16.21.80', '29.16.21.81', '29.16.21.82']);
  });
  it('runs the runbook\'s services, images, paths and ports', () => {
    expect(production.stack).toBe('milvus');
    expect(production.network).toEqual({ name: 'milvus-cluster-net', attachable: true });
    expect([production.etcd.image, production.minio.image, production.minio.proxy.image]).toEqual(['etcd:v3.5.5', 'minio:v23.03', 'nginx:latest']);
    expect(production.etcd.dataDir).toBe('/mnt/data/etcd');
    expect(production.etcd.members.map((member) => `${member.name}@${member.host}`)).toEqual([
      'etcd1@gp22aitppapcsve',
      'etcd2@gp22aitppap92xg',
      'etcd3@gp22aitppapch5z',
    ]);
    expect(production.minio.pools).toHaveLength(1);
    expect(production.minio.pools[0]!.drives).toEqual(['/mnt/data/disk1', '/mnt/data/disk2']);
    expect(production.minio.pools[0]!.nodes.map((node) => node.name)).toEqual(['minio1', 'minio2', 'minio3', 'minio4']);
    expect(production.etcd.proxy).toMatchObject({ replicas: 2, placement: 'managers', listenPort: 23790, publishedPort: 2379 });
    expect(production.minio.proxy).toMatchObject({ replicas: 2, placement: 'managers', s3Port: 9000, consolePort: 9090 });
    expect(production.milvus.bucket).toBe('milvus-bucket');
    expect(production.swarm.allowColocation).toBe(false);
  });
  it('does not lift MinIO\'s root-disk check', () => {
    expect(production.minio.env).toEqual({});
  });
});

describe('environments/local.yaml', () => {
  const local = load('local');
  it('names no node: everything runs on the one node, with co-location allowed', () => {
    expect(local.hosts).toEqual([]);
    expect(local.managers).toEqual([]);
    expect(local.swarm).toMatchObject({ endpointMode: 'dnsrr', publishMode: 'host', allowColocation: true });
    expect([...local.etcd.members, ...local.minio.pools.flatMap((pool) => pool.nodes)].every((service) => service.host === undefined)).toBe(true);
  });
  it('runs the same services as production', () => {
    const production = load('production');
    expect(local.stack).toBe(production.stack);
    expect(local.network.name).toBe(production.network.name);
    expect(local.etcd.members.map((member) => member.name)).toEqual(production.etcd.members.map((member) => member.name));
    expect(local.minio.pools[0]!.nodes.map((node) => node.name)).toEqual(production.minio.pools[0]!.nodes.map((node) => node.name));
    expect(local.milvus.bucket).toBe(production.milvus.bucket);
  });
  it('sets MINIO_CI_CD explicitly, since its drives share the root disk', () => {
    expect(local.minio.env).toEqual({ MINIO_CI_CD: '1' });
  });
});

describe('credentials', () => {
  it('never appear in a topology: only secret names', () => {
    for (const environment of ['production', 'local']) {
      const text = readRepoFile(`environments/${environment}.yaml`);
      expect(text).not.toMatch(/password\s*:|secret_?key\s*:|access_?key\s*:/i);
      expect(load(environment).minio.rootPasswordSecret).toMatch(/^milvus_minio_root_password$/);
    }
  });
});
