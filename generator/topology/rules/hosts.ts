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

