// Where the proxies answer. A host-mode published port is bound only on the nodes that run one of the service's
// tasks (the runbook's `docker stack ps` shows such ports on the tasks, and nowhere else), so with host mode the first
// manager's address is a guess: two proxy replicas on three managers leave one manager without them. verify asks
// swarm which nodes run the proxies' tasks and uses their addresses; an operator's --*-endpoint always wins.
import { dockerFailure } from '../docker/cli.ts';
import type { ClusterModel } from '../model/types.ts';
import type { DockerRunner } from './dockerRunner.ts';
import type { Endpoints } from './endpoints.ts';

export type EndpointKey = keyof Endpoints;

/** The addresses (swarm's Status.Addr) of the nodes running a task of the service, in node order. */
export async function runningTaskAddresses(runner: DockerRunner, service: string, timeoutMs: number): Promise<string[]> {
  const listed = await runner(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Node}}\t{{.CurrentState}}', service], { timeoutMs });
  if (listed.code !== 0) throw new Error(`docker service ps ${service}: ${dockerFailure(listed)}`);
  const nodes = [
    ...new Set(
      listed.stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([node, state]) => node && state?.startsWith('Running'))
        .map(([node]) => node!),
    ),
  ].sort();
  if (nodes.length === 0) return [];
  const inspected = await runner(['node', 'inspect', '--format', '{{.Status.Addr}}', ...nodes], { timeoutMs });
  if (inspected.code !== 0) throw new Error(`docker node inspect: ${dockerFailure(inspected)}`);
  return inspected.stdout.split('\n').map((line) => line.trim()).filter((address) => address !== '' && address !== '0.0.0.0');
}

export interface Located {
  endpoints: Endpoints;
  /** One line per endpoint that moved, or could not be looked up. */
  notes: string[];
}

/**
 * The topology's endpoints, each moved to a node that runs its proxy when ports are host-mode and the swarm lists
 * managers (with no managers — a one-node swarm — every port is on 127.0.0.1 anyway).
 */
export async function locateProxies(runner: DockerRunner, model: ClusterModel, endpoints: Endpoints, overridden: readonly EndpointKey[], timeoutMs: number): Promise<Located> {
  if (model.swarm.publishMode !== 'host' || model.managers.length === 0) return { endpoints, notes: [] };
  const services: Record<EndpointKey, string> = { etcd: model.etcd.proxy.name, s3: model.minio.proxy.name, console: model.minio.proxy.name };
  const located = { ...endpoints };
  const notes: string[] = [];
  const lookups = new Map<string, Promise<string[]>>();
  for (const key of Object.keys(services) as EndpointKey[]) {
    if (overridden.includes(key)) continue;
    const service = `${model.stack}_${services[key]}`;
    if (!lookups.has(service)) lookups.set(service, runningTaskAddresses(runner, service, timeoutMs));
    try {
      const addresses = await lookups.get(service)!;
      if (addresses.length === 0) notes.push(`${service} runs no task: trying ${endpoints[key].host}`);
      else located[key] = { ...endpoints[key], host: addresses.includes(endpoints[key].host) ? endpoints[key].host : addresses[0]! };
    } catch (error) {
      notes.push(`cannot ask swarm where ${service} runs (${error instanceof Error ? error.message : String(error)}): trying ${endpoints[key].host}`);
    }
  }
  return { endpoints: located, notes };
}
