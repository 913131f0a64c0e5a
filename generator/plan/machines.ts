// Where an etcd member's or MinIO node's data lives: the machine its placement names. A move leaves the data behind.
import type { Revision } from './comparison.ts';

export interface Machine {
  /** The topology's host name; undefined for an unpinned service (any node of a one-node swarm). */
  host?: string;
  nodeId?: string;
  /** Every node id of the same revision, with its host name: an id another host has is that host's machine. */
  hostsByNodeId?: ReadonlyMap<string, string>;
}

export function machineOf(revision: Revision, host: string | undefined): Machine {
  if (host === undefined) return {};
  const hostsByNodeId = new Map(revision.topology.hosts.flatMap((entry) => (entry.nodeId ? [[entry.nodeId, entry.name] as const] : [])));
  return { host, nodeId: revision.topology.hosts.find((entry) => entry.name === host)?.nodeId, hostsByNodeId };
}

/**
 * Node ids decide when both sides know them and agree (placement pins to the id, so renaming the host entry moves
 * nothing); otherwise the host name does (a node that re-joined the swarm gets a new id but keeps its name and its
 * disks — hostNodeIdsChanged asks the operator to confirm that) — unless the new id is one another host has on the
 * other side: that is the other host's machine, never a re-join (two hosts swapping ids swap machines).
 * Unpinned on both sides stays on the one node.
 */
export function sameMachine(before: Machine, after: Machine): boolean {
  if (before.host === undefined || after.host === undefined) return before.host === after.host;
  if (before.nodeId !== undefined && before.nodeId === after.nodeId) return true;
  const elsewhere = (id: string | undefined, hosts: ReadonlyMap<string, string> | undefined, host: string) => id !== undefined && (hosts?.get(id) ?? host) !== host;
  if (elsewhere(after.nodeId, before.hostsByNodeId, after.host) || elsewhere(before.nodeId, after.hostsByNodeId, before.host)) return false;
  return before.host === after.host;
}

export const machineName = (machine: Machine): string => machine.host ?? 'any node';
