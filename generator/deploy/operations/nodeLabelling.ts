// Node labels, the runbook's way of placing services (etcd hosts labelled zk1..3, MinIO hosts minio1..4): deploy puts
// the labels the topology declares on the nodes it names, before anything is placed by them, and preflight refuses
// a declared label that sits on a node the topology does not give it to (a service could start there, on empty dirs).
import { dockerDo } from '../../docker/calls.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { nodeOfHost, type SwarmNode } from '../../docker/swarm.ts';

const labelled = (model: ClusterModel) => model.hosts.filter((host) => Object.keys(host.labels).length > 0);

/** Preflight: every declared label sits only on the node of the host that declares it. */
export function strayLabels(model: ClusterModel, nodes: readonly SwarmNode[]): string[] {
  const problems: string[] = [];
  for (const host of labelled(model)) {
    const own = nodeOfHost(host, nodes);
    for (const [key, value] of Object.entries(host.labels)) {
      for (const node of nodes.filter((candidate) => candidate !== own && candidate.labels[key] === value)) {
        problems.push(
          `node ${node.hostname} (${node.id}) carries the label ${key}=${value}, which ${model.source} gives only to host ${host.name}: services placed by it could start there on empty data dirs — \`docker node update --label-rm ${key} ${node.id}\`, or correct the topology`,
        );
      }
    }
  }
  return problems;
}

export interface LabelUpdate {
  host: string;
  node: SwarmNode;
  /** key=value pairs the node lacks (or holds with another value). */
  add: string[];
}

/** The labels each labelled host's node still lacks. Hosts whose node cannot be found are preflight's business. */
export function labelUpdates(model: ClusterModel, nodes: readonly SwarmNode[]): LabelUpdate[] {
  return labelled(model).flatMap((host): LabelUpdate[] => {
    const node = nodeOfHost(host, nodes);
    if (!node) return [];
    const add = Object.entries(host.labels)
      .filter(([key, value]) => node.labels[key] !== value)
      .map(([key, value]) => `${key}=${value}`)
      .sort();
    return add.length > 0 ? [{ host: host.name, node, add }] : [];
  });
}

export async function applyLabels(runner: DockerRunner, updates: readonly LabelUpdate[]): Promise<{ done: string[]; problems: string[] }> {
  const done: string[] = [];
  const problems: string[] = [];
  for (const update of updates) {
    const result = await dockerDo(runner, ['node', 'update', ...update.add.flatMap((label) => ['--label-add', label]), update.node.id], { timeoutMs: 30_000 });
    if (result.ok) done.push(`labelled node ${update.node.hostname} (host ${update.host}): ${update.add.join(', ')}`);
    else problems.push(`could not label node ${update.node.hostname} (host ${update.host}) with ${update.add.join(', ')}: ${result.reason}`);
  }
  return { done, problems };
}
