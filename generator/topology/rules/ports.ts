import { error, formatPath, type Problem, type TopologyPath } from '../problems.ts';
import type { PlacementTarget, Topology } from '../schema.ts';
import { monitoringServices } from './monitoring.ts';
import type { Rule } from './rule.ts';

interface PublishedPort {
  service: string;
  port: number;
  placement: PlacementTarget;
  replicas: number;
  at: TopologyPath;
}

export function publishedPorts(topology: Topology): PublishedPort[] {
  const { etcd, minio } = topology;
  return [
    { service: etcd.proxy.name, port: etcd.proxy.publishedPort, placement: etcd.proxy.placement, replicas: etcd.proxy.replicas, at: ['etcd', 'proxy', 'publishedPort'] },
    { service: minio.proxy.name, port: minio.proxy.s3Port, placement: minio.proxy.placement, replicas: minio.proxy.replicas, at: ['minio', 'proxy', 's3Port'] },
    { service: minio.proxy.name, port: minio.proxy.consolePort, placement: minio.proxy.placement, replicas: minio.proxy.replicas, at: ['minio', 'proxy', 'consolePort'] },
    // Pinned to a manager (monitoring-on-managers), or anywhere on a one-node swarm.
    ...monitoringServices(topology).map((service): PublishedPort => ({
      service: service.name,
      port: service.port,
      placement: service.host === undefined ? 'any' : 'managers',
      replicas: 1,
      at: ['monitoring', service.name, 'port'],
    })),
  ];
}

/**
 * An ingress-published port is bound on every node of the swarm; a host-mode port only on the nodes running a
 * task. With the placements we offer (managers, any) two host-mode services always may meet on a manager.
 */
export const publishedPortsUnique: Rule = {
  name: 'published-ports-unique',
  why: 'two services cannot publish one port on the same node',
  check(topology) {
    const ingress = topology.swarm.publishMode === 'ingress';
    const ports = publishedPorts(topology);
    const problems: Problem[] = [];
    ports.forEach((entry, index) => {
      const clash = ports.slice(0, index).find((earlier) => earlier.port === entry.port && (ingress || mayShareNode(earlier, entry)));
      if (!clash) return;
      const scope = ingress ? 'an ingress-published port is taken on every node' : `a host-mode port is taken on each node running a task, and both may run on ${sharedPlacement(clash, entry)}`;
      problems.push(error(entry.at, `port ${entry.port} is already published by ${clash.service} (${formatPath(clash.at)}): ${scope}`));
    });
    return problems;
  },
};

const mayShareNode = (a: PublishedPort, b: PublishedPort) => a.placement === 'any' || b.placement === 'any' || a.placement === b.placement;
const sharedPlacement = (a: PublishedPort, b: PublishedPort) => (a.placement === 'managers' || b.placement === 'managers' ? 'a manager' : 'any node');

/** Host mode binds the port on the node itself, so two tasks of one service cannot share a node. */
export const hostModeReplicasFit: Rule = {
  name: 'host-mode-replicas-fit',
  why: 'in host publish mode each node can run one task per published port',
  check(topology) {
    if (topology.swarm.publishMode !== 'host') return [];
    const nodeCount = (placement: PlacementTarget) => (placement === 'managers' ? topology.managers.length : topology.managers.length + topology.hosts.length);
    const seen = new Set<string>();
    return publishedPorts(topology).flatMap((entry) => {
      const nodes = nodeCount(entry.placement);
      if (nodes === 0 || entry.replicas <= nodes || seen.has(entry.service)) return [];
      seen.add(entry.service);
      const replicasPath = [...entry.at.slice(0, -1), 'replicas'];
      return [error(replicasPath, `${entry.replicas} replicas of ${entry.service} publish port ${entry.port} in host mode, but only ${nodes} node(s) may run them: at most ${nodes} will start`)];
    });
  },
};

/** Ports that one container listens on twice can never start. */
export const containerPortsDistinct: Rule = {
  name: 'container-ports-distinct',
  why: 'one process cannot listen twice on one port',
  check(topology) {
    const pairs: [number, number, TopologyPath, string][] = [
      [topology.etcd.clientPort, topology.etcd.peerPort, ['etcd', 'peerPort'], 'etcd client and peer ports'],
      [topology.minio.apiPort, topology.minio.consolePort, ['minio', 'consolePort'], 'MinIO API and console ports'],
    ];
    return pairs.filter(([a, b]) => a === b).map(([port, , at, what]) => error(at, `${what} are both ${port}; they must differ`));
  },
};

/** Swarm refuses a service in dnsrr mode with an ingress-published port: the routing mesh needs a virtual IP. */
export const endpointModeFitsPublishMode: Rule = {
  name: 'endpoint-mode-fits-publish-mode',
  why: 'the ingress routing mesh needs the vip endpoint mode',
  check(topology) {
    if (topology.swarm.endpointMode !== 'dnsrr' || topology.swarm.publishMode !== 'ingress') return [];
    return [error(['swarm', 'publishMode'], 'swarm refuses ingress-published ports on dnsrr services (no virtual IP for the routing mesh): use publishMode: host with endpointMode: dnsrr')];
  },
};
