import { error, type Problem, type TopologyPath } from '../problems.ts';
import { hashedConfigName, HASH_LENGTH, MAX_CONFIG_NAME, MAX_SERVICE_NAME, prepareJobName, RUN_ID_LENGTH, stackScopedName } from '../swarmNames.ts';
import type { Rule } from './rule.ts';

/**
 * Swarm refuses a service or network name over 63 characters and a config name over 64 — at deploy time, after the
 * review. Every name is built with the functions the renderer and deploy use, so the check follows their schemes.
 */
export const swarmNamesFit: Rule = {
  name: 'swarm-names-fit',
  why: 'swarm refuses service and network names over 63 characters and config names over 64, once prefixed with the stack',
  check(topology) {
    const { stack } = topology;
    const problems: Problem[] = [];
    const hash = '0'.repeat(HASH_LENGTH);
    const configs: [string, string][] = [
      ['the nginx config', hashedConfigName(stack, 'nginx_conf', hash)],
      ["deploy's topology record", hashedConfigName(stack, 'topology', hash)],
    ];
    const longest = configs.sort((a, b) => b[1].length - a[1].length)[0]!;
    if (longest[1].length > MAX_CONFIG_NAME) {
      const room = MAX_CONFIG_NAME - (longest[1].length - stack.length);
      const shown = longest[1].replace(hash, `<${HASH_LENGTH} hex>`);
      problems.push(error(['stack'], `${longest[0]}'s name "${shown}" would be ${longest[1].length} characters; swarm allows ${MAX_CONFIG_NAME}: shorten the stack name to at most ${room}`));
      return problems;
    }
    const job = prepareJobName(stack, 'x'.repeat(RUN_ID_LENGTH), 999);
    if (job.length > MAX_SERVICE_NAME) {
      problems.push(error(['stack'], `deploy's host-preparation jobs would be named "${job}" (${job.length} characters); swarm allows ${MAX_SERVICE_NAME}: shorten the stack name`));
    }
    const services: [string, TopologyPath][] = [
      ...topology.etcd.members.map((member, index): [string, TopologyPath] => [member.name, ['etcd', 'members', index, 'name']]),
      [topology.etcd.proxy.name, ['etcd', 'proxy', 'name']],
      ...topology.minio.pools.flatMap((pool, poolIndex) =>
        pool.nodes.map((node, nodeIndex): [string, TopologyPath] => [node.name, ['minio', 'pools', poolIndex, 'nodes', nodeIndex, 'name']]),
      ),
      [topology.minio.proxy.name, ['minio', 'proxy', 'name']],
    ];
    for (const [name, at] of services) {
      const scoped = stackScopedName(stack, name);
      if (scoped.length > MAX_SERVICE_NAME) {
        problems.push(error(at, `the service name "${scoped}" would be ${scoped.length} characters; swarm allows ${MAX_SERVICE_NAME}: shorten the stack or the service name`));
      }
    }
    const network = stackScopedName(stack, topology.network.name);
    if (network.length > MAX_SERVICE_NAME) {
      problems.push(error(['network', 'name'], `the network name "${network}" would be ${network.length} characters; swarm allows ${MAX_SERVICE_NAME}: shorten the stack or the network name`));
    }
    return problems;
  },
};
