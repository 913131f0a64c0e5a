// Who joins, leaves or moves in an etcd cluster between two revisions: members are identified by name.
import type { Comparison, Revision } from './comparison.ts';
import { machineOf, sameMachine, type Machine } from './machines.ts';

export interface MemberMove {
  name: string;
  from: Machine;
  to: Machine;
}

export interface EtcdMembership {
  /** In the after topology's order: the order they must be added in. */
  added: string[];
  /** In the before topology's order. */
  removed: string[];
  /** Members kept by name but pinned to another machine: replaced (remove, add, start empty). */
  moved: MemberMove[];
  /** Members in both revisions, in the before topology's order. */
  kept: string[];
}

const names = (revision: Revision) => revision.topology.etcd.members.map((member) => member.name);

export function etcdMembership({ before, after }: Comparison): EtcdMembership {
  const [was, is] = [names(before), names(after)];
  const kept = was.filter((name) => is.includes(name));
  const hostOf = (revision: Revision, name: string) => revision.topology.etcd.members.find((member) => member.name === name)?.host;
  const moved = kept
    .map((name) => ({ name, from: machineOf(before, hostOf(before, name)), to: machineOf(after, hostOf(after, name)) }))
    .filter((move) => !sameMachine(move.from, move.to));
  return { added: is.filter((name) => !was.includes(name)), removed: was.filter((name) => !is.includes(name)), moved, kept };
}

/** A majority: etcd commits only what this many members agree on. */
export const quorum = (members: number): number => Math.floor(members / 2) + 1;

export function etcdMember(revision: Revision, name: string) {
  const member = revision.model.etcd.members.find((entry) => entry.name === name)!;
  const initialClusterState = revision.topology.etcd.members.find((entry) => entry.name === name)!.initialClusterState;
  return { ...member, initialClusterState };
}
