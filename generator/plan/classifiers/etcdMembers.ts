// etcd membership: members joining, leaving, moving host or data dir. etcd's runtime reconfiguration rules
// (https://etcd.io/docs/v3.5/op-guide/runtime-configuration/) decide the classes and the procedures.
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { etcdMember, etcdMembership, quorum } from '../etcdMembership.ts';
import { machineName, machineOf, sameMachine } from '../machines.ts';
import { code, deploy, etcdctl, etcdHealthy, listOf, ordinal, plural, prepareDirectories, swarmService } from '../runbook.ts';

const EXISTING = code('--initial-cluster-state existing');

/**
 * New members join one at a time, in order: `member add`, then a start with --initial-cluster-state existing on an
 * empty data dir. The generated --initial-cluster lists every member of the after topology, and a joining member
 * is refused ("member count is unequal") until the cluster lists as many, so the deploy comes after the last add.
 */
export const etcdMembersAdded: Classifier = (comparison) => {
  const { environment, before, after } = comparison;
  const { added, removed, moved, kept } = etcdMembership(comparison);
  const running = kept.filter((name) => !moved.some((move) => move.name === name));
  const [from, to] = [before.topology.etcd.members.length, after.topology.etcd.members.length];
  return added.map((name, index): Change => {
    const member = etcdMember(after, name);
    const previous = added[index - 1];
    const last = index === added.length - 1;
    const steps = [
      ...(index === 0 && removed.length + moved.length > 0 ? ["first the member removals of this plan (etcd-member-remove, etcd-member-host): remove before you add"] : []),
      reusedDataDir(comparison, name) ??
        prepareDirectories(environment, `${name}'s empty data dir ${member.dataDir}`, member.host),
      `${previous ? `once ${previous} is listed, ` : ''}${etcdctl(before.model, `member add ${name} --peer-urls=${member.peerUrl}`, running)}`,
      last
        ? `${deploy(environment)}: ${listOf(added)} start${added.length === 1 ? 's' : ''} with ${EXISTING} (initialClusterState: existing) and join${added.length === 1 ? 's' : ''}`
        : `do not deploy yet: ${name} starts with ${EXISTING} in the deploy after the last member add, because its generated --initial-cluster lists all ${to} members and etcd accepts that only once the cluster lists them too; go on with ${added[index + 1]}`,
      ...(last ? [etcdHealthy(after.model, after.topology.etcd.members.map((entry) => entry.name))] : []),
    ];
    return care(
      changeId('etcd-member-add', name),
      `add etcd member ${name} on ${machineName({ host: member.host })} (${from} → ${to} members; ${ordinal(index + 1)} of ${added.length} new${previous ? `, after ${previous}` : ''})`,
      `a member joins a running cluster only after ${code('etcdctl member add')} and a start with ${EXISTING} on an empty data dir; adding one member at a time, in order, keeps the started members a quorum at every step`,
      steps,
    );
  });
};

/** A new member on the host and path of a removed one would start on the removed member's data: it must be emptied. */
function reusedDataDir(comparison: Comparison, name: string): string | undefined {
  const member = etcdMember(comparison.after, name);
  const previous = etcdMembership(comparison)
    .removed.map((removed) => etcdMember(comparison.before, removed))
    .find((removed) => removed.dataDir === member.dataDir && sameMachine(machineOf(comparison.before, removed.host), machineOf(comparison.after, member.host)));
  if (!previous) return undefined;
  return `empty ${member.dataDir} on ${machineName({ host: member.host })} after ${previous.name} is removed: it still holds ${previous.name}'s data, and ${name} must join on an empty data dir`;
}

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
        [`set initialClusterState: existing on ${name}`, `then follow its member add procedure (${code('etcdctl member add')} before the deploy)`],
      ),
    );
};

/** A stopped member etcd still lists counts against quorum; `member remove` first shrinks the quorum with it. */
export const etcdMembersRemoved: Classifier = (comparison) => {
  const { environment, before } = comparison;
  const { removed, kept } = etcdMembership(comparison);
  const [from, to] = [before.topology.etcd.members.length, comparison.after.topology.etcd.members.length];
  return removed.map((name, index) => {
    const member = etcdMember(before, name);
    const others = before.topology.etcd.members.map((entry) => entry.name).filter((other) => !removed.slice(0, index + 1).includes(other));
    return care(
      changeId('etcd-member-remove', name),
      `remove etcd member ${name} from ${machineName({ host: member.host })} (${from} → ${to} members)`,
      `etcd keeps counting a member until ${code('etcdctl member remove')}: stopped first, it is a missing vote in every quorum; removed first, the quorum shrinks with the cluster`,
      [
        `${etcdctl(before.model, 'member list', others.length > 0 ? others : kept)} gives ${name}'s member id`,
        `${etcdctl(before.model, `member remove <id of ${name}>`, others.length > 0 ? others : kept)} before the deploy${removed.length > 1 ? `, one member at a time in this order (${listOf(removed)}), each once the previous one is done` : ''}`,
        `${deploy(environment)}: --prune removes the ${swarmService(before.model, name)} service`,
        `its data dir ${member.dataDir} stays on ${machineName({ host: member.host })}: delete it by hand once the cluster is healthy`,
      ],
    );
  });
};

/** A member pinned to another machine starts there with an empty data dir: it is replaced, not moved. */
export const etcdMemberHostsMoved: Classifier = (comparison) => {
  const { environment, before, after } = comparison;
  return etcdMembership(comparison).moved.map(({ name, from, to }) => {
    const [old, now] = [etcdMember(before, name), etcdMember(after, name)];
    const others = before.topology.etcd.members.map((entry) => entry.name).filter((other) => other !== name);
    return care(
      changeId('etcd-member-host', name),
      `etcd member ${name} moves from ${machineName(from)} to ${machineName(to)}`,
      `its data dir stays on ${machineName(from)}; on ${machineName(to)} it starts empty, so it is replaced as a member: removed, added again and started with ${EXISTING} (it resyncs from the leader)`,
      [
        `${etcdctl(before.model, 'member list', others)} gives ${name}'s member id; ${etcdctl(before.model, `member remove <id of ${name}>`, others)}`,
        `${etcdctl(before.model, `member add ${name} --peer-urls=${now.peerUrl}`, others)}`,
        prepareDirectories(environment, `its empty data dir ${now.dataDir}`, to.host),
        `${deploy(environment)}: ${name} starts on ${machineName(to)} with ${EXISTING} (initialClusterState: existing) and joins`,
        etcdHealthy(after.model),
        `delete ${old.dataDir} on ${machineName(from)} by hand`,
      ],
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
