// Swarm's own view of what milvus-swarm deployed: each service at its desired replicas. A member or node whose host is
// down or cut off shows here at once, by host — MinIO's node counts are cached for a minute (minioMetrics.ts) and etcd
// names only members — so an operator paged at night reads which machine to look at.
import { dockerValue } from '../docker/calls.ts';
import { nodeList, type SwarmNode } from '../docker/swarm.ts';
import { nodeOfHost } from '../docker/swarm.ts';
import { pinnedHost } from '../model/placement.ts';
import type { ClusterModel } from '../model/types.ts';
import { ROLE_LABEL } from '../render/stack.ts';
import type { DockerRunner } from '../docker/runner.ts';
import { fail, pass, warn, type Outcome } from './rows.ts';

export interface ServiceReplicas {
  /** The swarm name: milvus_minio3. */
  name: string;
  running: number;
  desired: number;
}

/** `docker service ls --format '{{.Name}}\t{{.Replicas}}'`: "2/2" or "1/2 (max 1 per node)". */
export function parseReplicas(stdout: string): ServiceReplicas[] {
  return stdout
    .split('\n')
    .map((line) => /^(\S+)\t(\d+)\/(\d+)/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => ({ name: match[1]!, running: Number(match[2]), desired: Number(match[3]) }));
}

export function judgeServices(model: Pick<ClusterModel, 'stack' | 'services' | 'hosts'>, services: readonly ServiceReplicas[], nodes: readonly SwarmNode[]): Outcome {
  const byName = new Map(services.map((service) => [service.name, service]));
  const short: string[] = [];
  for (const service of model.services) {
    const seen = byName.get(`${model.stack}_${service.name}`);
    const hostName = pinnedHost(service.placement);
    const host = model.hosts.find((candidate) => candidate.name === hostName);
    const node = host ? nodeOfHost(host, nodes) : undefined;
    // A task on a node that is down still counts as running until swarm has rescheduled it: the node's state says more.
    const nodeDown = node !== undefined && node.status !== 'Ready';
    if (seen && seen.running >= seen.desired && !nodeDown) continue;
    const where = hostName ? ` on host ${hostName}${node ? ` (node ${node.status}${node.availability !== 'Active' ? `, ${node.availability}` : ''})` : ' (no such node)'}` : '';
    short.push(seen ? `${service.name} ${seen.running}/${seen.desired} running${where}` : `${service.name} is not deployed`);
  }
  if (short.length === 0) return pass(`${model.services.length} services at their replicas`);
  return warn(`${short.join('; ')}: \`docker service ps ${model.stack}_<service>\` says why — start the host's engine or mend its network; deploy if a service is missing`);
}

export async function checkSwarmServices(runner: DockerRunner, model: ClusterModel, timeoutMs: number): Promise<Outcome> {
  const [listed, nodes] = await Promise.all([
    dockerValue(runner, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=${model.stack}`, '--filter', `label=${ROLE_LABEL}`, '--format', '{{.Name}}\t{{.Replicas}}'], parseReplicas, { timeoutMs }),
    nodeList(runner, timeoutMs),
  ]);
  if (!listed.ok) return fail(`cannot ask swarm for the services: ${listed.reason}`);
  return judgeServices(model, listed.value, nodes.ok ? nodes.value : []);
}
