// etcd membership: members joining, leaving, moving host or data dir. etcd's runtime reconfiguration rules
// (https://etcd.io/docs/v3.5/op-guide/runtime-configuration/) decide the classes and the procedures.
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { etcdMember, etcdMembership, quorum } from '../etcdMembership.ts';
import { dataDirHolders, describeQuorumSpan, membershipChangeIds, quorumSpan } from '../etcdSteps.ts';
import { machineName } from '../machines.ts';
import { planSteps, stepsFor } from '../planSteps.ts';
import { code, deploy, listOf, ordinal, plural, swarmService } from '../runbook.ts';
import { describeStep } from '../steps.ts';

const EXISTING = code('--initial-cluster-state existing');

/** The honest sentence about quorum for this plan's membership steps (etcdSteps.ts replays them). */
const quorumWords = (comparison: Comparison): string =>
  describeQuorumSpan(quorumSpan(comparison.before.topology.etcd.members.map((member) => member.name), planSteps(comparison)));

/** A change's procedure: its steps as the plan lists them, then what is left to do by hand. */
const stepProcedure = (comparison: Comparison, id: string, byHand: string[] = []): string[] => [...stepsFor(comparison, id).map(describeStep), ...byHand];

/**
 * New members join one at a time, in order (etcdSteps.ts): `member add` as a learner, a start with
 * --initial-cluster-state existing on an empty data dir and an --initial-cluster of exactly the members listed then
 * (etcd refuses another: "member count is unequal"), a promotion once caught up. The running members restart (their
 * --initial-cluster changes) only once every new member is in.
 */
export const etcdMembersAdded: Classifier = (comparison) => {
  const { after, before } = comparison;
  const { added } = etcdMembership(comparison);
  const holders = dataDirHolders(comparison);
  const [from, to] = [before.topology.etcd.members.length, after.topology.etcd.members.length];
  return added.map((name, index): Change => {
    const member = etcdMember(after, name);
    const previous = added[index - 1];
    const id = changeId('etcd-member-add', name);
    const predecessor = holders.get(name)?.member;
    return care(
      id,
      `add etcd member ${name} on ${machineName({ host: member.host })} (${from} → ${to} members; ${ordinal(index + 1)} of ${added.length} new${previous ? `, after ${previous}` : ''})`,
      `a member joins a running cluster only after ${code('etcdctl member add')} and a start with ${EXISTING} on an empty data dir; deploy adds new members one member at a time, in order, each as a learner (no vote until it has caught up and is promoted)${predecessor ? `, ${name} only once ${predecessor} ${holders.get(name)!.fate === 'moved' ? 'has moved away' : 'is removed'} and its data dir emptied` : ''}, and restarts the running members (their --initial-cluster changes) only once every new member is in: ${quorumWords(comparison)}`,
      stepProcedure(comparison, id),
    );
  });
};

/**
 * A member that joins (added, renamed, or moved to another machine) on the data dir another member holds before the
 * change — the same path on the same machine: it must start on an empty dir, so deploy empties that dir between the
 * holder's departure and the joiner's start (etcdSteps.ts orders them). That deletes the holder's copy of the data,
 * which deploy never does unacknowledged; a holder that stays (its path changed) never leaves the dir during the change,
 * so no order works.
 */
export const etcdDataDirReused: Classifier = (comparison) =>
  [...dataDirHolders(comparison)].map(([name, holder]) => {
    const member = etcdMember(comparison.after, name);
    const host = machineName({ host: member.host });
    const moving = etcdMembership(comparison).moved.find((move) => move.name === name);
    const joins = moving ? `moves from ${machineName(moving.from)} to ${host}` : 'joins';
    const id = membershipChangeIds.reusedDataDir(name);
    if (holder.fate === 'stays') {
      return destructive(
        id,
        `etcd member ${name} ${joins} on ${member.dataDir} on ${host}, the data dir ${holder.member} runs on until it restarts on its new path`,
        `${name} must start on an empty data dir, and ${holder.member} keeps running on ${holder.dataDir} until the members restart at the end of the change: no order frees the dir before ${name} starts, and starting it there would set aside a running member's data`,
        [`split it: first change etcd.dataDir alone (its own review and deploy), then add ${name}`],
      );
    }
    const leaves = holder.fate === 'moved' ? `which moves to ${machineName({ host: etcdMember(comparison.after, holder.member).host })} in the same change` : 'which leaves';
    return destructive(
      id,
      `etcd member ${name} ${joins} on ${member.dataDir} on ${host}, the data dir of ${holder.member}, ${leaves}`,
      `${name} must start on an empty data dir, so deploy empties ${member.dataDir} between the removal of ${holder.member} and the start of ${name} (never while ${holder.member} runs on it): it deletes ${holder.member}'s copy of the data (the other members hold it too), and deploy never deletes data unacknowledged`,
      [
        `acknowledge it, and deploy empties the dir at its step (etcd-data-dir-empty:${holder.member}), after ${holder.member} has left the cluster`,
        `or keep ${holder.member}'s data: put ${name} on another host, or use {name} in etcd.dataDir so that each member has its own dir — then ${name} joins without waiting for ${holder.member} to leave`,
      ],
    );
  });

/** An empty data dir with --initial-cluster-state new bootstraps a cluster instead of joining the running one. */
export const etcdMemberBootstrapsAlone: Classifier = (comparison) => {
  const { added, moved } = etcdMembership(comparison);
  const joining = [...added, ...moved.map((move) => move.name)];
  return joining
    .filter((name) => etcdMember(comparison.after, name).initialClusterState === 'new')
    .map((name) =>
      destructive(
        changeId('etcd-member-bootstrap', name),
        `etcd member ${name} joins the running cluster with initialClusterState: new`,
        `${name} starts on an empty data dir, where --initial-cluster-state new makes etcd bootstrap a cluster instead of joining: it never joins the running one, and members started together that way can form a second cluster with the same token`,
        [`set initialClusterState: existing on ${name}`, `then deploy: it adds ${name} as a learner, starts it on an empty data dir and promotes it once caught up (the plan's steps)`],
      ),
    );
};

/** A stopped member etcd still lists counts against quorum; `member remove` first shrinks the quorum with it. */
export const etcdMembersRemoved: Classifier = (comparison) => {
  const { before } = comparison;
  const { removed } = etcdMembership(comparison);
  const reused = new Set([...dataDirHolders(comparison).values()].map((holder) => holder.member));
  const [from, to] = [before.topology.etcd.members.length, comparison.after.topology.etcd.members.length];
  return removed.map((name) => {
    const member = etcdMember(before, name);
    const id = changeId('etcd-member-remove', name);
    return care(
      id,
      `remove etcd member ${name} from ${machineName({ host: member.host })} (${from} → ${to} members)`,
      `etcd keeps counting a member until ${code('etcdctl member remove')}: stopped first, it is a missing vote in every quorum; removed first, the quorum shrinks with the cluster — deploy moves leadership away from it, removes it, then its service, one member at a time: ${quorumWords(comparison)}`,
      stepProcedure(comparison, id, reused.has(name) ? [] : [`its data dir ${member.dataDir} stays on ${machineName({ host: member.host })}: delete it by hand once the cluster is healthy`]),
    );
  });
};

/** A member pinned to another machine starts there with an empty data dir: it is replaced, not moved. */
export const etcdMemberHostsMoved: Classifier = (comparison) => {
  const { before } = comparison;
  const holders = dataDirHolders(comparison);
  const reused = new Set([...holders.values()].map((holder) => holder.member));
  return etcdMembership(comparison).moved.map(({ name, from, to }) => {
    const old = etcdMember(before, name);
    const id = changeId('etcd-member-host', name);
    const holder = holders.get(name);
    const lands = holder ? `on ${machineName(to)} ${holder.member}'s data dir must be emptied first (${membershipChangeIds.reusedDataDir(name)})` : `on ${machineName(to)} it starts empty`;
    return care(
      id,
      `etcd member ${name} moves from ${machineName(from)} to ${machineName(to)}`,
      `its data dir stays on ${machineName(from)}; ${lands}, so it is replaced as a member: removed, added again as a learner and started with ${EXISTING} (it resyncs from the leader), then promoted — the same name cannot be listed twice, so it leaves before it joins: ${quorumWords(comparison)}; to keep every failure tolerance throughout, give it a new name as it moves (a new member joins before the old one leaves)`,
      stepProcedure(comparison, id, reused.has(name) ? [] : [`delete ${old.dataDir} on ${machineName(from)} by hand once the cluster is healthy`]),
    );
  });
};

/**
 * One deploy stops every member leaving (removed or moved) at once. If the operator deploys before `member remove`,
 * the members still running must be a quorum of the old cluster; and growing, etcd's --strict-reconfig-check refuses
 * a `member add` while the started members would be fewer than the new quorum.
 */
export const etcdQuorumHoldsInOneStep: Classifier = (comparison) => {
  const { removed, added, moved } = etcdMembership(comparison);
  const members = comparison.before.topology.etcd.members.length;
  const leaving = [...removed, ...moved.map((move) => move.name)];
  const staying = members - leaving.length;
  if (leaving.length > 0 && staying < quorum(members)) {
    return [
      destructive(
        changeId('etcd-quorum-loss', leaving.join(',')),
        `${listOf(leaving)} leave the ${members}-member etcd cluster in one deploy`,
        `removing more etcd members than keeps quorum in one step: if the deploy stops them before each is removed, ${staying} of ${members} members run, fewer than the quorum of ${quorum(members)}; the cluster stops taking writes and can no longer remove members (recovery needs --force-new-cluster from one member's data)`,
        [`split this into steps that each remove or move at most ${members - quorum(members)} of the ${members} members, each deployed and healthy before the next`],
      ),
    ];
  }
  const joining = [...added, ...moved.map((move) => move.name)];
  const size = staying + joining.length;
  if (joining.length > 0 && staying < quorum(size)) {
    return [
      destructive(
        changeId('etcd-quorum-loss', joining.join(',')),
        `${listOf(joining)} join ${plural(staying, 'running etcd member')} in one deploy (${size} members)`,
        `until the new members start, ${staying} of ${size} members run, fewer than the quorum of ${quorum(size)}: etcd refuses the last member add (--strict-reconfig-check), and forcing it stops the cluster`,
        [`grow by at most ${Math.max(0, staying - 1)} members per step (e.g. 3 → 5 → 7), each deployed and healthy before the next`],
      ),
    ];
  }
  return [];
};

/** A running member's data does not follow its path: on the new path it starts empty and cannot rejoin as itself. */
export const etcdDataDirsChanged: Classifier = (comparison) => {
  const { environment, before, after } = comparison;
  const { kept, moved } = etcdMembership(comparison);
  const changed = kept
    .filter((name) => !moved.some((move) => move.name === name))
    .filter((name) => etcdMember(before, name).dataDir !== etcdMember(after, name).dataDir);
  const members = before.topology.etcd.members.length;
  const scope =
    changed.length >= quorum(members)
      ? `with ${listOf(changed)} on new paths at once, no quorum keeps its data: the cluster comes back empty or not at all, and Milvus loses all its metadata`
      : `the other members keep quorum and the data, but ${changed.length === 1 ? 'it' : 'each'} must be replaced as a member to rejoin`;
  return changed.map((name) => {
    const [old, now] = [etcdMember(before, name), etcdMember(after, name)];
    const host = machineName({ host: now.host });
    return destructive(
      changeId('etcd-data-dir', name),
      `etcd member ${name}: data dir ${old.dataDir} → ${now.dataDir} on ${host}`,
      `the data path of a running member changes: ${name} restarts on an empty directory and its data stays behind; ${scope}`,
      [
        `to keep the data, copy it before the member starts on the new path: ${code(`docker service scale ${swarmService(before.model, name)}=0`)}, on ${host} ${code(`cp -a ${old.dataDir}/. ${now.dataDir}/`)}, then ${deploy(environment)}${changed.length >= quorum(members) ? ' (etcd is down while a majority is scaled to 0)' : ''}`,
        `or replace it as a member, one at a time: ${code(`etcdctl member remove`)}, ${code(`member add ${name} --peer-urls=${now.peerUrl}`)}, initialClusterState: existing, deploy`,
        `delete ${old.dataDir} on ${host} once the cluster is healthy`,
      ],
    );
  });
};

/** --initial-cluster-state is read only when the data dir is empty. */
export const etcdMemberStateChanged: Classifier = (comparison) => {
  const { kept, moved } = etcdMembership(comparison);
  return kept
    .filter((name) => !moved.some((move) => move.name === name))
    .filter((name) => etcdMember(comparison.before, name).initialClusterState !== etcdMember(comparison.after, name).initialClusterState)
    .map((name) =>
      safe(
        changeId('etcd-member-state', name),
        `etcd member ${name}: initialClusterState ${etcdMember(comparison.before, name).initialClusterState} → ${etcdMember(comparison.after, name).initialClusterState}`,
        'etcd reads --initial-cluster-state only when its data dir is empty: the running member ignores it and restarts once',
      ),
    );
};

/** Order only shows in --initial-cluster (read at bootstrap) and the proxy's --endpoints. */
export const etcdMemberOrderChanged: Classifier = (comparison) => {
  const { kept } = etcdMembership(comparison);
  const afterOrder = comparison.after.topology.etcd.members.map((member) => member.name).filter((name) => kept.includes(name));
  if (afterOrder.join(',') === kept.join(',')) return [];
  return [
    safe(
      changeId('etcd-member-order', comparison.before.topology.stack),
      `etcd members reordered: ${kept.join(', ')} → ${afterOrder.join(', ')}`,
      'only the order of --initial-cluster (read at bootstrap) and of the proxy\'s --endpoints changes; every member restarts once',
    ),
  ];
};
