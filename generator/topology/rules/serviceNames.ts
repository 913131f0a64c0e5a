import { error, formatPath, type Problem, type TopologyPath } from '../problems.ts';
import { monitoringServices } from './monitoring.ts';
import type { Rule } from './rule.ts';
import { NETWORK_ANCHOR } from '../reservedNames.ts';

/** Service names are DNS names on the overlay network: two services with one name resolve to each other. */
export const serviceNamesUnique: Rule = {
  name: 'service-names-unique',
  why: 'each service name is a DNS name on the stack network',
  check(topology) {
    const named: [string, TopologyPath][] = [
      ...topology.etcd.members.map((member, index): [string, TopologyPath] => [member.name, ['etcd', 'members', index, 'name']]),
      [topology.etcd.proxy.name, ['etcd', 'proxy', 'name']],
      ...topology.minio.pools.flatMap((pool, poolIndex) =>
        pool.nodes.map((node, nodeIndex): [string, TopologyPath] => [node.name, ['minio', 'pools', poolIndex, 'nodes', nodeIndex, 'name']]),
      ),
      [topology.minio.proxy.name, ['minio', 'proxy', 'name']],
      ...monitoringServices(topology).map((service): [string, TopologyPath] => [service.name, ['monitoring', service.name]]),
    ];
    const firstSeen = new Map<string, TopologyPath>();
    const problems: Problem[] = [];
    for (const [name, at] of named) {
      if (name === NETWORK_ANCHOR) problems.push(error(at, `service name "${name}" is milvus-swarm's own (the task on every node that keeps it in the stack network): choose another name`));
      const earlier = firstSeen.get(name);
      if (earlier) problems.push(error(at, `service name "${name}" is already used at ${formatPath(earlier)}: service names are DNS names on the network`));
      else firstSeen.set(name, at);
    }
    return problems;
  },
};
