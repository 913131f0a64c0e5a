// The 'swarm: services' row: swarm's own count of each rendered service, and for one short of its replicas the host
// it is pinned to and that node's state, so a stopped or cut-off machine is named at once.
import { describe, expect, it } from 'vitest';
import type { SwarmNode } from '../../generator/docker/swarm.ts';
import { judgeServices, parseReplicas } from '../../generator/verify/swarmServices.ts';
import { frozenModel } from './support.ts';

const model = frozenModel('production');
const node = (id: string, hostname: string, status = 'Ready'): SwarmNode => ({ id, hostname, status, availability: 'Active', managerStatus: '', self: false, labels: {} });
const nodes = model.hosts.map((host) => node(host.nodeId!, host.name));
const allUp = () => model.services.map((service) => ({ name: `milvus_${service.name}`, running: service.replicas, desired: service.replicas }));

describe('swarm: services', () => {
  it('reads `docker service ls` replicas, also with a per-node limit', () => {
    expect(parseReplicas('milvus_etcd1\t1/1\nmilvus_minio-proxy\t1/2 (max 1 per node)\n\n')).toEqual([
      { name: 'milvus_etcd1', running: 1, desired: 1 },
      { name: 'milvus_minio-proxy', running: 1, desired: 2 },
    ]);
  });

  it('passes when every service runs its replicas', () => {
    expect(judgeServices(model, allUp(), nodes)).toEqual({ status: 'pass', reason: '10 services at their replicas' });
  });

  it('names a service on a node that is down although swarm still counts its task running', () => {
    const down = nodes.map((entry) => (entry.hostname === 'gp22aitppap7keb' ? { ...entry, status: 'Down' } : entry));
    expect(judgeServices(model, allUp(), down).reason).toMatch(/^minio3 1\/1 running on host gp22aitppap7keb \(node Down\): /);
  });

  it('names the host and its node\'s state for a service short of its replicas, and a service not deployed', () => {
    const services = allUp().map((service) => (service.name === 'milvus_minio3' ? { ...service, running: 0 } : service)).filter((service) => service.name !== 'milvus_etcd-proxy');
    const down = nodes.map((entry) => (entry.hostname === 'gp22aitppap7keb' ? { ...entry, status: 'Down' } : entry));
    const outcome = judgeServices(model, services, down);
    expect(outcome.status).toBe('warn');
    expect(outcome.reason).toBe(
      'etcd-proxy is not deployed; minio3 0/1 running on host gp22aitppap7keb (node Down): `docker service ps milvus_<service>` says why — start the host\'s engine or mend its network; deploy if a service is missing',
    );
  });
});
