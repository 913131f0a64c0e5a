// Where the proxies answer. A host-mode published port is bound only on the nodes that run one of the service's
// tasks (the runbook's `docker stack ps` shows such ports on the tasks, and nowhere else), so with host mode the first
// manager's address is a guess: two proxy replicas on three managers leave one manager without them. verify asks
// swarm which nodes run the proxies' tasks and uses their addresses; an operator's --*-endpoint always wins.
import { dockerLines, dockerValue, type DockerValue } from '../docker/calls.ts';
import type { ClusterModel } from '../model/types.ts';
import type { DockerRunner } from '../docker/runner.ts';
import type { Endpoints } from './endpoints.ts';

export type EndpointKey = keyof Endpoints;

/** The addresses (swarm's Status.Addr) of the nodes running a task of the service, in node order. */
export async function runningTaskAddresses(runner: DockerRunner, service: string, timeoutMs: number): Promise<DockerValue<string[]>> {
  const listed = await dockerValue(runner, ['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Node}}\t{{.CurrentState}}', service], runningNodes, { timeoutMs });
  if (!listed.ok) return { ...listed, error: `docker service ps ${service}: ${listed.reason}` };
  if (listed.value.length === 0) return { ok: true, value: [] };
  const inspected = await dockerLines(runner, ['node', 'inspect', '--format', '{{.Status.Addr}}', ...listed.value], { timeoutMs });
  if (!inspected.ok) return inspected;
  return { ok: true, value: inspected.value.filter((address) => address !== '0.0.0.0') };
}

const runningNodes = (stdout: string): string[] =>
  [
    ...new Set(
      stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([node, state]) => node && state?.startsWith('Running'))
        .map(([node]) => node!),
    ),
  ].sort();

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
  const lookups = new Map<string, Promise<DockerValue<string[]>>>();
  for (const key of Object.keys(services) as EndpointKey[]) {
    if (overridden.includes(key)) continue;
    const service = `${model.stack}_${services[key]}`;
    if (!lookups.has(service)) lookups.set(service, runningTaskAddresses(runner, service, timeoutMs));
    const addresses = await lookups.get(service)!;
    if (!addresses.ok) notes.push(`cannot ask swarm where ${service} runs (${addresses.error}): trying ${endpoints[key].host}`);
    else if (addresses.value.length === 0) notes.push(`${service} runs no task: trying ${endpoints[key].host}`);
    else located[key] = { ...endpoints[key], host: addresses.value.includes(endpoints[key].host) ? endpoints[key].host : addresses.value[0]! };
  }
  return { endpoints: located, notes };
}
