// The committed environments, whatever an operator last changed in them: properties, not contents. Tests of what the
// generator does with a topology use the frozen copies (../frozen.ts); these hold while a host is added, an image
// pinned or a node id corrected. (rendered/ matching them is render.test.ts's golden test and `check`.)
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../generator/topology/problems.ts';
import type { Topology } from '../../generator/topology/schema.ts';
import { validateTopology } from '../../generator/topology/validate.ts';
import { committedEnvironments } from './renderedFiles.ts';
import { readRepoFile } from './support.ts';

function load(environment: string): Topology {
  const file = `environments/${environment}.yaml`;
  const result = validateTopology(file, readRepoFile(file));
  if (!result.ok) throw new Error(`${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.topology;
}

describe.each(committedEnvironments())('environments/%s.yaml', (environment) => {
  it('passes the schema and every rule (warnings allowed: they are the operator\'s call)', () => {
    const result = validateTopology(`environments/${environment}.yaml`, readRepoFile(`environments/${environment}.yaml`));
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it('holds no credentials: only the names of swarm secrets', () => {
    expect(readRepoFile(`environments/${environment}.yaml`)).not.toMatch(/password\s*:|secret_?key\s*:|access_?key\s*:/i);
    const { minio } = load(environment);
    expect(minio.rootUserSecret).not.toBe(minio.rootPasswordSecret);
  });

  it('lifts MinIO\'s root-disk check only on a test swarm built on one machine (images in no registry)', () => {
    const topology = load(environment);
    if (topology.swarm.resolveImage !== 'never') expect(topology.minio.env).not.toHaveProperty('MINIO_CI_CD');
  });
});

// The end-to-end suite deploys environments/local.yaml on one node of this machine kind (no IPVS, imported images).
describe('environments/local.yaml, as the end-to-end suite needs it', () => {
  const local = load('local');
  it('names no node: everything runs on the one node, with co-location allowed', () => {
    expect(local.hosts).toEqual([]);
    expect(local.managers).toEqual([]);
    expect(local.swarm).toMatchObject({ endpointMode: 'dnsrr', publishMode: 'host', allowColocation: true });
    expect([...local.etcd.members, ...local.minio.pools.flatMap((pool) => pool.nodes)].every((service) => service.host === undefined)).toBe(true);
  });
  it('sets MINIO_CI_CD explicitly, since its drives share the root disk', () => {
    expect(local.minio.env).toEqual({ MINIO_CI_CD: '1' });
  });
  it('asks no registry: its images are imported into the engine', () => {
    expect(local.swarm.resolveImage).toBe('never');
  });
  it('runs the same services as production, so the suite tests what production runs', () => {
    const production = load('production');
    expect(local.stack).toBe(production.stack);
    expect(local.network.name).toBe(production.network.name);
    expect(local.etcd.members.map((member) => member.name)).toEqual(production.etcd.members.map((member) => member.name));
    expect(local.minio.pools.map((pool) => pool.nodes.map((node) => node.name))).toEqual(production.minio.pools.map((pool) => pool.nodes.map((node) => node.name)));
    expect(local.milvus.bucket).toBe(production.milvus.bucket);
  });
});
