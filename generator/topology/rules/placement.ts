import { didYouMean } from '../didYouMean.ts';
import { error, type Problem } from '../problems.ts';
import { etcdMembers, minioNodes, type StatefulService } from '../stateful.ts';
import type { Rule } from './rule.ts';

/** A member pinned to a host the topology does not define would stay Pending forever. */
export const placementHostsDefined: Rule = {
  name: 'placement-hosts-defined',
  why: 'every placement must name a host of this topology, or the task never schedules',
  check(topology) {
    const known = topology.hosts.map((host) => host.name);
    return [...etcdMembers(topology), ...minioNodes(topology)]
      .filter((service) => service.host !== undefined && !known.includes(service.host))
      .map((service) =>
        error([...service.path, 'host'], `unknown host "${service.host}"${didYouMean(service.host!, known)}; define it under hosts`),
      );
  },
};

/** Bind-mounted data lives on one machine: a member that may move between hosts loses its data on the move. */
export const statefulServicesPinned: Rule = {
  name: 'stateful-services-pinned',
  why: 'etcd members and MinIO nodes keep data on a host directory, so each must be pinned to its host',
  check(topology) {
    if (topology.swarm.allowColocation) return [];
    return [...etcdMembers(topology), ...minioNodes(topology)]
      .filter((service) => service.host === undefined)
      .map((service) =>
        error(
          service.path,
          `${service.kind} ${service.name} has no host: pin it with "host:" (its data stays on one machine), or set swarm.allowColocation on a one-node test swarm`,
        ),
      );
  },
};

/** Two members on one machine fail together, so the cluster tolerates fewer failures than it appears to. */
export const distinctHosts: Rule = {
  name: 'distinct-hosts',
  why: 'members of one cluster on one machine fail together',
  check(topology) {
    if (topology.swarm.allowColocation) return [];
    return [...sharedHosts(etcdMembers(topology)), ...sharedHosts(minioNodes(topology))];
  },
};

function sharedHosts(services: readonly StatefulService[]): Problem[] {
  const byHost = new Map<string, StatefulService>();
  const problems: Problem[] = [];
  for (const service of services) {
    if (service.host === undefined) continue;
    const first = byHost.get(service.host);
    if (first) {
      problems.push(
        error(
          [...service.path, 'host'],
          `${service.kind} ${service.name} shares host "${service.host}" with ${first.name}: one machine failure would take both; use distinct hosts (or swarm.allowColocation on a test swarm)`,
        ),
      );
    } else {
      byHost.set(service.host, service);
    }
  }
  return problems;
}
