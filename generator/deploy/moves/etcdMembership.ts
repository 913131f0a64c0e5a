// The etcd moves steps and phases share while membership changes or members restart: every member either topology
// names, a bounded poll, waiting until every listed member answers with one leader, and leadership moved away from a
// member before it stops — with the check that the other voting members that answer are a quorum on their own.
import type { EndpointStatus, Member } from '../../cluster/etcdctlJson.ts';
import { hexId, leaderOf, type EtcdCluster } from '../../cluster/etcdCluster.ts';
import { quorum } from '../../plan/etcdMembership.ts';
import type { DeployContext } from '../runner/contract.ts';

const POLL_MS = 2_000;

/** Every member either topology names: during a membership change the cluster lists some of each. */
export function knownMembers(context: DeployContext): string[] {
  const names = [...(context.deployed?.etcd.members ?? []), ...context.topology.etcd.members].map((member) => member.name);
  return [...new Set(names)];
}

export const stepWait = (context: DeployContext) => context.model.swarm.deployTimeoutSeconds * 1000;

/** Polls `check` until it returns a value or the time is up; the last reason it gave names the failure. */
export async function pollFor<T>(timeoutMs: number, check: () => Promise<{ value: T } | { reason: string }>, pollMs = POLL_MS): Promise<{ ok: true; value: T; ms: number } | { ok: false; reason: string }> {
  const started = performance.now();
  for (;;) {
    const result = await check();
    if ('value' in result) return { ok: true, value: result.value, ms: Math.round(performance.now() - started) };
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason: `${result.reason} (after ${Math.round((performance.now() - started) / 1000)} s)` };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Every listed member started answers with one leader: the state the next step may start from. */
async function clusterSettled(cluster: EtcdCluster, context: DeployContext): Promise<{ value: Member[] } | { reason: string }> {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { reason: listed.reason };
  const unnamed = listed.value.filter((member) => member.name === '');
  if (unnamed.length > 0) return { reason: `member ${unnamed.map((member) => member.peerUrls.join(' ')).join(', ')} is listed but has not started` };
  const statuses = await cluster.statuses(listed.value.map((member) => member.name));
  const silent = listed.value.filter((member) => !statuses.some((status) => status.endpoint === cluster.endpoint(member.name)));
  if (silent.length > 0) return { reason: `${silent.map((member) => member.name).join(', ')} did not answer endpoint status` };
  if (!leaderOf(statuses)) return { reason: `the members do not agree on one leader yet` };
  return { value: listed.value };
}

export const waitSettled = (cluster: EtcdCluster, context: DeployContext) => pollFor(stepWait(context), () => clusterSettled(cluster, context));

/** The voting members etcd lists, and the status of each that answered. */
interface ClusterSeen {
  voting: Member[];
  statuses: EndpointStatus[];
}

async function voteAndStatus(cluster: EtcdCluster, context: DeployContext): Promise<ClusterSeen | { reason: string }> {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { reason: `cannot list etcd's members (${listed.reason})` };
  const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== '');
  return { voting, statuses: await cluster.statuses(voting.map((entry) => entry.name)) };
}

/**
 * When `member` leads, leadership goes to the most caught-up other voting member (etcdctl move-leader, asked of the
 * leader), and the members must agree on the new one; when it does not lead, nothing happens.
 */
export async function moveLeaderAway(cluster: EtcdCluster, context: DeployContext, member: string, seen?: ClusterSeen): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  const read = seen ?? (await voteAndStatus(cluster, context));
  if ('reason' in read) return { ok: false, reason: read.reason };
  const { voting, statuses } = read;
  const leader = leaderOf(statuses);
  if (!leader) return { ok: false, reason: `the members that answered (${statuses.length} of ${voting.length}) do not agree on a leader: wait for an election, then deploy again` };
  const leaderName = voting.find((entry) => entry.id === leader.memberId)?.name;
  if (leaderName !== member) return { ok: true, note: `${member} does not lead (${leaderName ?? leader.memberId} does): leadership stays` };
  const candidates = statuses.filter((status) => status.memberId !== leader.memberId && !status.isLearner).sort((a, b) => b.raftAppliedIndex - a.raftAppliedIndex);
  const target = candidates[0];
  if (!target) return { ok: false, reason: `${member} leads and no other voting member answers: leadership cannot move` };
  const targetName = voting.find((entry) => entry.id === target.memberId)?.name ?? target.memberId;
  const answer = await cluster.etcdctl([member], ['move-leader', hexId(target.memberId)]);
  if (!answer.ok) return { ok: false, reason: `etcdctl move-leader to ${targetName}: ${answer.reason}` };
  const settled = await pollFor(stepWait(context), async () => {
    const now = leaderOf(await cluster.statuses(voting.map((entry) => entry.name)));
    return now && now.memberId !== leader.memberId ? { value: now } : { reason: `${member} still leads` };
  });
  if (!settled.ok) return { ok: false, reason: `leadership did not move away from ${member}: ${settled.reason}` };
  return { ok: true, note: `leadership moved from ${member} to ${targetName}` };
}

/**
 * Before a member restarts: the other voting members that answer must be a quorum on their own (a member down
 * elsewhere plus this restart would stop etcd, and Milvus with it); then leadership moves away from it.
 */
export async function readyToRestart(cluster: EtcdCluster, context: DeployContext, member: string): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  const seen = await voteAndStatus(cluster, context);
  if ('reason' in seen) return { ok: false, reason: seen.reason };
  const { voting, statuses } = seen;
  const others = voting.filter((entry) => entry.name !== member);
  const answering = others.filter((entry) => statuses.some((status) => status.endpoint === cluster.endpoint(entry.name)));
  const needed = quorum(voting.length);
  // A member that does not answer serves nobody: restarting it cannot cost a vote.
  const silentItself = voting.some((entry) => entry.name === member) && !statuses.some((status) => status.endpoint === cluster.endpoint(member));
  if (!silentItself && answering.length < needed) {
    const silent = others.filter((entry) => !answering.includes(entry)).map((entry) => entry.name);
    return {
      ok: false,
      reason: `restarting ${member} now would leave ${answering.length} of ${voting.length} voting members running, fewer than the ${needed} etcd needs: ${silent.join(', ')} ${silent.length === 1 ? 'does' : 'do'} not answer — bring ${silent.length === 1 ? 'it' : 'them'} back first, then deploy again${allAtOnceAdvice(context, ' (or deploy with --all-members-at-once, accepting that etcd stops until every member is back)')}`,
    };
  }
  // What was just read decides the leader too: each etcdctl is a container on the overlay network (about a second).
  return moveLeaderAway(cluster, context, member, seen);
}

/** Undoing a member add by hand: remove it again (a learner or a member that never caught up). */
export const removeCommand = (context: DeployContext, member: string): string =>
  `docker run --rm --network ${context.model.network.name} --entrypoint etcdctl ${context.model.etcd.image} --endpoints=${knownMembers(context)
    .filter((name) => name !== member)
    .map((name) => `${name}:${context.model.etcd.clientPort}`)
    .join(',')} member remove <id of ${member} in member list>`;

/**
 * `--all-members-at-once` restarts every member together: harmless for a change every member needs, data lost when
 * the members would start on other data dirs (a data-dir change in the plan, or a member that already started as
 * another cluster). The advice is given only when neither is the case; otherwise nothing is proposed in its place.
 */
export function allAtOnceAdvice(context: Pick<DeployContext, 'planned'>, advice: string, reason = ''): string {
  const otherData = (context.planned ?? []).some((change) => change.id.startsWith('etcd-data-dir')) || /cluster id|cluster ID mismatch/i.test(reason);
  return otherData ? '' : advice;
}
