// Preflight: every reason not to touch the swarm, decided from facts already read (pure, tested), each one line that
// says what to do. Deploy exits 1 before changing anything when there is any.
import { pinnedHost } from '../../model/placement.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { TreeDifference } from '../../workspace/tree.ts';
import type { Fact } from '../../docker/calls.ts';
import type { SwarmInfo, SwarmNode } from '../../docker/swarm.ts';
import { strayLabels } from './nodeLabelling.ts';

export interface PreflightFacts {
  swarm: Fact<SwarmInfo>;
  nodes: Fact<SwarmNode[]>;
  secrets: Fact<string[]>;
  /** rendered/<env>/ against what the generator renders now. */
  drift: TreeDifference;
}

export function thisNodeIsManager(swarm: Fact<SwarmInfo>): string[] {
  if (!swarm.ok) return [`cannot ask the Docker daemon (${swarm.error}): run deploy on a swarm manager with docker access (DOCKER_HOST, docker group)`];
  const info = swarm.value;
  if (info.localNodeState !== 'active') {
    return [`this node's swarm state is "${info.localNodeState}"${info.error ? ` (${info.error})` : ''}: run deploy on a manager of the environment's swarm`];
  }
  if (!info.controlAvailable) return ['this node is a swarm worker: run deploy on a manager (`docker node ls` on a manager lists them)'];
  return [];
}

/** Every host a service is pinned to is a Ready, Active node of this swarm, found by node id, else by hostname. */
export function pinnedHostsReady(model: ClusterModel, nodes: Fact<SwarmNode[]>): string[] {
  if (!nodes.ok) return [`cannot list the swarm's nodes (${nodes.error}): run deploy on a manager`];
  const pinned = new Map<string, string[]>();
  for (const service of model.services) {
    const host = pinnedHost(service.placement);
    if (host !== undefined) pinned.set(host, [...(pinned.get(host) ?? []), service.name]);
  }
  const problems: string[] = [];
  for (const [hostName, services] of pinned) {
    const host = model.hosts.find((entry) => entry.name === hostName);
    const what = `host ${hostName} (${services.join(', ')})`;
    let node: SwarmNode | undefined;
    if (host?.nodeId) {
      node = nodes.value.find((candidate) => candidate.id === host.nodeId);
      if (!node) {
        const byName = nodes.value.find((candidate) => candidate.hostname === hostName);
        problems.push(
          byName
            ? `${what}: no node has id ${host.nodeId}, but node ${byName.id} is named ${hostName}: correct hosts[].nodeId in ${model.source} (the node rejoined the swarm?)`
            : `${what}: no node has id ${host.nodeId}: join the host to the swarm, or correct hosts[].nodeId in ${model.source}`,
        );
        continue;
      }
    } else {
      const named = nodes.value.filter((candidate) => candidate.hostname === hostName);
      if (named.length === 0) {
        problems.push(`${what}: no node is named ${hostName}: join the host to the swarm (\`docker swarm join\`) or correct the host name in ${model.source}`);
        continue;
      }
      if (named.length > 1) {
        problems.push(`${what}: ${named.length} nodes are named ${hostName} (${named.map((n) => n.id).join(', ')}): add hosts[].nodeId in ${model.source} to say which`);
        continue;
      }
      node = named[0]!;
    }
    if (node.status !== 'Ready') problems.push(`${what}: node ${node.hostname} is ${node.status}: start its Docker engine or fix its network, then deploy again`);
    if (node.availability !== 'Active') {
      problems.push(`${what}: node ${node.hostname} is ${node.availability}: \`docker node update --availability active ${node.id}\` once its maintenance is over`);
    }
  }
  return problems;
}

export function secretsExist(model: ClusterModel, secrets: Fact<string[]>): string[] {
  if (!secrets.ok) return [`cannot list the swarm's secrets (${secrets.error}): run deploy on a manager`];
  return model.secrets
    .filter((secret) => !secrets.value.includes(secret.name))
    .map((secret) => `secret ${secret.name} does not exist: create it with \`printf '%s' "$VALUE" | docker secret create ${secret.name} -\``);
}

export function renderedIsCurrent(environment: string, drift: TreeDifference): string[] {
  const files = [
    ...drift.changed.map((entry) => `${entry.file} changed`),
    ...drift.missing.map((file) => `${file} missing`),
    ...drift.stray.map((file) => `${file} stray`),
  ];
  if (files.length === 0) return [];
  return [`rendered/${environment}/ is not what the generator renders now (${files.join(', ')}): run \`npx milvus-swarm render --env ${environment}\` and commit rendered/${environment}/`];
}

/** All preflight problems, in the order an operator fixes them: where we are, what is there, what we would deploy. */
export function preflightProblems(model: ClusterModel, facts: PreflightFacts): string[] {
  const manager = thisNodeIsManager(facts.swarm);
  // On a worker or without a daemon the node and secret lists fail too: one line says it all.
  if (manager.length > 0) return [...manager, ...renderedIsCurrent(model.environment, facts.drift)];
  return [
    ...pinnedHostsReady(model, facts.nodes),
    ...(facts.nodes.ok ? strayLabels(model, facts.nodes.value) : []),
    ...secretsExist(model, facts.secrets),
    ...renderedIsCurrent(model.environment, facts.drift),
  ];
}
