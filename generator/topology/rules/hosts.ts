import { error, formatPath, type Problem, type TopologyPath } from '../problems.ts';
import type { Rule } from './rule.ts';

/** Two hosts with one name, address or node id would make placement and the README tables lie. */
export const uniqueHosts: Rule = {
  name: 'unique-hosts',
  why: 'placement pins services by host name or node id; each must mean one machine',
  check(topology) {
    const problems: Problem[] = [];
    const firstSeen = new Map<string, TopologyPath>();
    const claim = (kind: string, value: string | undefined, path: TopologyPath) => {
      if (value === undefined) return;
      const key = `${kind}:${value.toLowerCase()}`;
      const earlier = firstSeen.get(key);
      if (earlier) problems.push(error(path, `duplicate ${kind} "${value}": already used at ${formatPath(earlier)}`));
      else firstSeen.set(key, path);
    };
    topology.hosts.forEach((host, index) => {
      claim('host name', host.name, ['hosts', index, 'name']);
      claim('IP address', host.ip, ['hosts', index, 'ip']);
      claim('node id', host.nodeId, ['hosts', index, 'nodeId']);
    });
    topology.managers.forEach((manager, index) => {
      claim('host name', manager.name, ['managers', index, 'name']);
      claim('IP address', manager.ip, ['managers', index, 'ip']);
    });
    return problems;
  },
};


/**
 * A host with labels is placed by all of them (`node.labels.K == V`, one constraint each): when another host carries
 * every one of them too, the services pinned to the first could start on the second, on empty data dirs.
 */
export const nodeLabelsDistinct: Rule = {
  name: 'node-labels-distinct',
  why: 'services pinned to a labelled host must have exactly one node they can run on',
  check(topology) {
    const labelled = topology.hosts.map((host, index) => ({ host, index, labels: Object.entries(host.labels) })).filter((entry) => entry.labels.length > 0);
    return labelled.flatMap(({ host, index, labels }): Problem[] => {
      const twin = topology.hosts.find((other) => other !== host && labels.every(([key, value]) => other.labels[key] === value));
      if (!twin) return [];
      const list = labels.map(([key, value]) => `${key}=${value}`).join(', ');
      return [error(['hosts', index, 'labels'], `host ${twin.name} carries every label of ${host.name} (${list}): services pinned to ${host.name} could start on ${twin.name}; give ${host.name} a label ${twin.name} does not have`)];
    });
  },
};
