// What the swarm says about itself, read from the docker CLI and parsed here (pure parsers, tested on real output):
// this node's swarm role, the nodes with their labels, the secrets. Deploy's preflight decides on them; verify's
// services row reads the nodes too.
import { dockerValue, type DockerValue } from './calls.ts';
import { parseJsonLines } from './cli.ts';
import type { DockerRunner } from './runner.ts';

export interface SwarmInfo {
  nodeId: string;
  /** inactive | pending | active | error | locked */
  localNodeState: string;
  /** true on a manager. */
  controlAvailable: boolean;
  error: string;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  /** Ready | Down | Unknown | Disconnected */
  status: string;
  /** Active | Pause | Drain */
  availability: string;
  /** Leader | Reachable | Unreachable | '' (worker) */
  managerStatus: string;
  self: boolean;
  /** Node labels (Spec.Labels, from `docker node inspect`): placement by label reads them. */
  labels: Record<string, string>;
}

/** `docker info --format '{{json .Swarm}}'` */
export function parseSwarmInfo(stdout: string): SwarmInfo {
  const swarm = JSON.parse(stdout.trim() || '{}') as Record<string, unknown>;
  return {
    nodeId: String(swarm.NodeID ?? ''),
    localNodeState: String(swarm.LocalNodeState ?? 'inactive'),
    controlAvailable: swarm.ControlAvailable === true,
    error: String(swarm.Error ?? ''),
  };
}

/** `docker node ls --format '{{json .}}'` */
export function parseNodeList(stdout: string): SwarmNode[] {
  return parseJsonLines<Record<string, unknown>>(stdout).map((node) => ({
    id: String(node.ID ?? ''),
    hostname: String(node.Hostname ?? ''),
    status: String(node.Status ?? ''),
    availability: String(node.Availability ?? ''),
    managerStatus: String(node.ManagerStatus ?? ''),
    self: node.Self === true || node.Self === 'true',
    labels: {},
  }));
}

/** `docker node inspect ID…`: each node's labels, by id. */
export function parseNodeLabels(stdout: string): Map<string, Record<string, string>> {
  const nodes = JSON.parse(stdout.trim() || '[]') as { ID?: string; Spec?: { Labels?: Record<string, string> | null } }[];
  return new Map(nodes.map((node) => [String(node.ID ?? ''), { ...(node.Spec?.Labels ?? {}) }]));
}

/** `docker secret ls --format '{{json .}}'` (also `docker config ls`): the names. */
export function parseNames(stdout: string): string[] {
  return parseJsonLines<{ Name?: string }>(stdout)
    .map((entry) => entry.Name ?? '')
    .filter((name) => name !== '')
    .sort();
}

export const swarmInfo = (runner: DockerRunner): Promise<DockerValue<SwarmInfo>> => dockerValue(runner, ['info', '--format', '{{json .Swarm}}'], parseSwarmInfo);
/** The nodes with their labels: `docker node ls` has no labels, so the listed ids are inspected too. */
export async function nodeList(runner: DockerRunner, timeoutMs = 20_000): Promise<DockerValue<SwarmNode[]>> {
  const listed = await dockerValue(runner, ['node', 'ls', '--format', '{{json .}}'], parseNodeList, { timeoutMs });
  if (!listed.ok || listed.value.length === 0) return listed;
  const labels = await dockerValue(runner, ['node', 'inspect', ...listed.value.map((node) => node.id)], parseNodeLabels, { timeoutMs });
  if (!labels.ok) return labels;
  return { ok: true, value: listed.value.map((node) => ({ ...node, labels: labels.value.get(node.id) ?? {} })) };
}
export const secretNames = (runner: DockerRunner): Promise<DockerValue<string[]>> => dockerValue(runner, ['secret', 'ls', '--format', '{{json .}}'], parseNames);

/** The node a host is: by node id when the topology names one, else the one node with its hostname. */
export function nodeOfHost(host: { name: string; nodeId?: string | undefined }, nodes: readonly SwarmNode[]): SwarmNode | undefined {
  if (host.nodeId) return nodes.find((node) => node.id === host.nodeId);
  const named = nodes.filter((node) => node.hostname === host.name);
  return named.length === 1 ? named[0] : undefined;
}
