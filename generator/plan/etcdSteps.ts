// The etcd membership steps of a plan, in the order that keeps the most members voting at every moment
// (https://etcd.io/docs/v3.5/op-guide/runtime-configuration/, learners: .../learning/design-learner/):
//   1. members joining on data dirs no member holds: added as learners one at a time, started with
//      --initial-cluster-state existing, promoted once caught up — the cluster grows before anything leaves;
//   2. members moving to another machine (same name, so the same peer URL): removed, then added again there;
//   3. members leaving: leadership moved away, removed, their service removed;
//   4. the members whose rendered spec changed (their --initial-cluster did) restart one at a time, last.
// A member that joins (added, moved or renamed) on a data dir another member holds before the change — same machine,
// same path — joins only once that member has left it, right after the dir is emptied (leave → empty → join): started
// earlier, it would set aside a live member's directory. The same replay says how many members run at the tightest
// moment, so no text claims more quorum than exists.
import type { Comparison, Revision } from './comparison.ts';
import { etcdMember, etcdMembership, quorum } from './etcdMembership.ts';
import { machineOf, sameMachine } from './machines.ts';
import { etcdctlCommand } from './runbook.ts';
import { CHECKS, type Step } from './steps.ts';

const names = (revision: Revision) => revision.topology.etcd.members.map((member) => member.name);

/** The ids of the changes classifiers report for each part of a membership change (etcdMembers.ts). */
export const membershipChangeIds = {
  added: (member: string) => `etcd-member-add:${member}`,
  removed: (member: string) => `etcd-member-remove:${member}`,
  moved: (member: string) => `etcd-member-host:${member}`,
  reusedDataDir: (member: string) => `etcd-data-dir-reuse:${member}`,
};

/**
 * What becomes of the member holding a joiner's data dir: it is removed or moves away (the dir is free once it has
 * left), or it stays on its machine on another path (etcd.dataDir changed) and holds the dir until it restarts.
 */
export type HolderFate = 'removed' | 'moved' | 'stays';

export interface DataDirHolder {
  /** The member whose data dir it is before the change. */
  member: string;
  fate: HolderFate;
  host?: string;
  dataDir: string;
}

/**
 * Joining members (added, or moved to another machine) that start on a data dir another member holds before the
 * change: the same path on the same machine. Keyed by the joiner, in the order they join.
 */
export function dataDirHolders(comparison: Comparison): Map<string, DataDirHolder> {
  const { before, after } = comparison;
  const { added, removed, moved } = etcdMembership(comparison);
  const movers = moved.map((move) => move.name);
  const holders = new Map<string, DataDirHolder>();
  for (const name of [...added, ...movers]) {
    const member = etcdMember(after, name);
    const holder = names(before)
      .filter((other) => other !== name)
      .map((other) => etcdMember(before, other))
      .find((other) => other.dataDir === member.dataDir && sameMachine(machineOf(before, other.host), machineOf(after, member.host)));
    if (!holder) continue;
    const fate: HolderFate = removed.includes(holder.name) ? 'removed' : movers.includes(holder.name) ? 'moved' : 'stays';
    holders.set(name, { member: holder.name, fate, ...(holder.host ? { host: holder.host } : {}), dataDir: holder.dataDir });
  }
  return holders;
}

// One function on purpose (~110 lines): join and leave read and change the same running membership (listed,
// voting), and the numbered passes below must see each other's effects in this order.
export function etcdMembershipSteps(comparison: Comparison): Step[] {
  const { before, after } = comparison;
  const membership = etcdMembership(comparison);
  if (membership.added.length + membership.removed.length + membership.moved.length === 0) return [];
  const model = before.model;
  const holders = dataDirHolders(comparison);
  // name → peer URL of every member the cluster lists, in the order they were listed.
  const listed = new Map(model.etcd.members.map((member) => [member.name, member.peerUrl]));
  const voting = new Set(names(before));
  const steps: Step[] = [];
  const votingMembers = () => [...listed.keys()].filter((name) => voting.has(name));
  const movers = membership.moved.map((move) => move.name);
  const ownChanges = (name: string) => [membership.added.includes(name) ? membershipChangeIds.added(name) : membershipChangeIds.moved(name)];

  const join = (name: string, changes: string[]) => {
    const member = etcdMember(after, name);
    const through = votingMembers();
    steps.push({
      id: `etcd-member-add:${name}`,
      kind: 'etcd-member-add',
      member: name,
      peerUrl: member.peerUrl,
      learner: true,
      through,
      changes,
      verifyAfter: [CHECKS.memberListed(name)],
      command: etcdctlCommand(model, `member add ${name} --peer-urls=${member.peerUrl} --learner`, through),
    });
    listed.set(name, member.peerUrl);
    steps.push({
      id: `etcd-member-start:${name}`,
      kind: 'etcd-member-start',
      member: name,
      ...(member.host ? { host: member.host } : {}),
      dataDir: member.dataDir,
      initialCluster: [...listed].map(([other, url]) => `${other}=${url}`),
      initialClusterState: 'existing',
      changes,
      verifyAfter: [CHECKS.memberSynced(name)],
    });
    steps.push({
      id: `etcd-member-promote:${name}`,
      kind: 'etcd-member-promote',
      member: name,
      changes,
      verifyAfter: [CHECKS.memberVoting(name), CHECKS.etcdStatus],
      command: etcdctlCommand(model, `member promote <id of ${name}>`, votingMembers()),
    });
    voting.add(name);
  };

  const leave = (name: string, changes: string[], removeService: boolean) => {
    steps.push({ id: `etcd-move-leader:${name}`, kind: 'etcd-move-leader', awayFrom: name, changes, verifyAfter: [CHECKS.leaderIsNot(name)] });
    const others = votingMembers().filter((other) => other !== name);
    steps.push({
      id: `etcd-member-remove:${name}`,
      kind: 'etcd-member-remove',
      member: name,
      through: others,
      changes,
      verifyAfter: [CHECKS.memberGone(name), CHECKS.etcdStatus],
      command: etcdctlCommand(model, `member remove <id of ${name}>`, others),
    });
    listed.delete(name);
    voting.delete(name);
    if (removeService) {
      const service = `${model.stack}_${name}`;
      steps.push({ id: `service-remove:${service}`, kind: 'service-remove', services: [service], changes, verifyAfter: [CHECKS.swarmServices], command: `docker service rm ${service}` });
    }
  };

  // A joiner on a held dir joins once its holder has left it (and, when it moves, once it has left its old place
  // itself: one name is listed once), right after that dir is emptied.
  const left = new Set<string>();
  const joined = new Set<string>();
  const joinOnHeldDir = (name: string) => {
    const holder = holders.get(name)!;
    const changes = [...ownChanges(name), membershipChangeIds.reusedDataDir(name)];
    joined.add(name);
    steps.push({
      id: `etcd-data-dir-empty:${holder.member}`,
      kind: 'etcd-data-dir-empty',
      member: holder.member,
      ...(holder.host ? { host: holder.host } : {}),
      dataDir: holder.dataDir,
      changes,
      verifyAfter: [],
      acknowledgement: membershipChangeIds.reusedDataDir(name),
    });
    join(name, changes);
  };
  const ready = (name: string): boolean => !joined.has(name) && left.has(holders.get(name)!.member) && (!movers.includes(name) || left.has(name));
  const waiting = (holder: string) => [...holders].filter(([, entry]) => entry.member === holder).map(([joiner]) => joiner);
  const release = (name: string) => {
    left.add(name);
    for (const joiner of [...waiting(name), ...(holders.has(name) ? [name] : [])]) if (ready(joiner)) joinOnHeldDir(joiner);
  };

  // 1. Grow first: members on data dirs nobody holds.
  for (const name of membership.added.filter((added) => !holders.has(added))) join(name, ownChanges(name));
  // 2. Moves: the same name cannot be listed twice, so each leaves before it joins again on its new machine — there
  //    only once the dir it lands on is free (two members swapping machines both leave before either joins).
  for (const name of movers) {
    leave(name, ownChanges(name), false);
    release(name);
    if (!holders.has(name)) join(name, ownChanges(name));
  }
  // 3. Leaving members, each followed by the members waiting for its dir.
  for (const name of membership.removed) {
    leave(name, [membershipChangeIds.removed(name), ...waiting(name).flatMap((joiner) => [...ownChanges(joiner), membershipChangeIds.reusedDataDir(joiner)])], true);
    release(name);
  }
  // A holder that stays (its path changed) frees nothing before the roll: its joiners start on its dir last, which is
  // why that change is refused (etcdDataDirReused).
  for (const name of holders.keys()) if (!joined.has(name)) joinOnHeldDir(name);
  // 4. Every member's --initial-cluster changed: each restarts once, alone, now that the membership is final.
  const members = names(after);
  steps.push({
    id: `etcd-members-roll:${members.join(',')}`,
    kind: 'etcd-members-roll',
    members,
    changes: [...new Set(steps.flatMap((step) => step.changes))],
    verifyAfter: [CHECKS.etcdStatus, CHECKS.etcdMemberList],
  });
  return steps;
}

export interface QuorumSpan {
  /** Failures the cluster survives at its tightest moment (negative: quorum is lost). */
  tolerated: number;
  /** The tightest moment: voting members, of which started. */
  voting: number;
  started: number;
  /** The steps that begin and end the tightest window; undefined when it is only a member's own restart. */
  from?: Step;
  until?: Step;
}

/**
 * Replays the steps from the before membership: how many voting members run after each step (learners have no
 * vote), and while one of them restarts in a roll. Started and voting are the same between steps: a member is
 * promoted only once it runs, and stops when it is removed.
 */
export function quorumSpan(beforeMembers: readonly string[], steps: readonly Step[]): QuorumSpan {
  const voting = new Set(beforeMembers);
  const tolerance = (down = 0) => voting.size - down - quorum(voting.size);
  const initial: QuorumSpan = { tolerated: tolerance(), voting: voting.size, started: voting.size };
  const between: { step: Step; tolerated: number; voting: number }[] = [];
  let restarting: QuorumSpan | undefined;
  for (const step of steps) {
    if (step.kind === 'etcd-member-promote') voting.add(step.member);
    if (step.kind === 'etcd-member-remove') voting.delete(step.member);
    between.push({ step, tolerated: tolerance(), voting: voting.size });
    const during =
      step.kind === 'etcd-members-roll'
        ? { tolerated: tolerance(1), voting: voting.size, started: voting.size - 1 }
        : step.kind === 'stack-deploy' && step.etcdMembers === 'together'
          ? { tolerated: -quorum(voting.size), voting: voting.size, started: 0 }
          : undefined;
    if (during && (!restarting || during.tolerated < restarting.tolerated)) restarting = during;
  }
  let span = initial;
  const lowest = between.reduce((low, moment) => Math.min(low, moment.tolerated), initial.tolerated);
  if (lowest < initial.tolerated) {
    const start = between.findIndex((moment) => moment.tolerated === lowest);
    const end = between.findIndex((moment, index) => index > start && moment.tolerated > lowest);
    const at = between[start]!;
    span = { tolerated: lowest, voting: at.voting, started: at.voting, from: at.step, ...(end === -1 ? {} : { until: between[end]!.step }) };
  }
  return restarting && restarting.tolerated < span.tolerated ? restarting : span;
}

/** The honest sentence about quorum for a membership change: at the tightest moment, how many run and what survives. */
export function describeQuorumSpan(span: QuorumSpan): string {
  if (span.tolerated >= 1) return `${span.tolerated === 1 ? 'one failure is' : `${span.tolerated} failures are`} tolerated at every step`;
  const count = `${span.started} of ${span.voting} voting members run`;
  if (span.tolerated < 0) return `at one step ${count}, fewer than the quorum of ${quorum(span.voting)}: etcd stops taking writes`;
  const where = span.from ? `from ${stepMoment(span.from)}${span.until ? ` until ${stepMoment(span.until)}` : ' on'}, ` : 'while each member restarts, ';
  return `${where}${count}: quorum holds, but no failure is tolerated`;
}

function stepMoment(step: Step): string {
  switch (step.kind) {
    case 'etcd-member-remove':
      return `the removal of ${step.member}`;
    case 'etcd-member-promote':
      return `${step.member} is promoted`;
    default:
      return step.id;
  }
}

/**
 * The order a rolling restart takes at run time (issue 11): a member that is already unhealthy first (restarting it
 * costs nothing), the healthy followers next, and the leader last, after leadership moved to a restarted follower —
 * so the cluster elects once, on purpose, instead of once per restart by surprise.
 */
export function rollingOrder(members: readonly string[], health: { leader?: string; unhealthy: readonly string[] }): Step[] {
  const unhealthy = members.filter((name) => health.unhealthy.includes(name));
  const followers = members.filter((name) => !health.unhealthy.includes(name) && name !== health.leader);
  const leader = health.leader !== undefined && members.includes(health.leader) && !health.unhealthy.includes(health.leader) ? [health.leader] : [];
  const restart = (member: string): Step => ({ id: `etcd-member-restart:${member}`, kind: 'etcd-member-restart', member, changes: [], verifyAfter: [CHECKS.etcdStatus] });
  return [
    ...unhealthy.map(restart),
    ...followers.map(restart),
    ...leader.flatMap((member): Step[] => [{ id: `etcd-move-leader:${member}`, kind: 'etcd-move-leader', awayFrom: member, changes: [], verifyAfter: [CHECKS.leaderIsNot(member)] }, restart(member)]),
  ];
}
