// etcd's members seen from inside the stack's network, as the runbook checks them (cluster/etcdctl.ts runs etcdctl
// there; cluster/etcdStatus.ts judges endpoint status): the member list against the topology and the probe key read
// from each member. Pure; etcdInNetwork.ts runs them.
import { hexId } from '../cluster/etcdctl.ts';
import type { Member } from '../cluster/etcdctlJson.ts';
import type { StatusJudgement } from '../cluster/etcdStatus.ts';
import { fail, pass, warn, type Outcome } from './rows.ts';

/** `member list` names exactly the topology's members. */
export function judgeMemberList(topologyNames: readonly string[], members: readonly Member[]): Outcome {
  const names = members.map((member) => member.name || `(unstarted, peer ${member.peerUrls.join(' ') || hexId(member.id)})`);
  const missing = topologyNames.filter((name) => !members.some((member) => member.name === name));
  const extra = names.filter((name) => !topologyNames.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(extra.length > 0 ? [`not in the topology: ${extra.join(', ')}`] : []),
    ];
    return fail(
      `member list is ${names.join(', ') || 'empty'}, the topology has ${topologyNames.join(', ')} (${parts.join('; ')}): deploy the topology (deploy adds and removes members itself, as \`npx milvus-swarm plan\` lists the steps), or, after a deploy that stopped half way, deploy it again`,
    );
  }
  // etcd lists members by id, which a restore (new cluster, new ids) reshuffles: name them in the topology's order.
  const inTopologyOrder = [...names].sort((a, b) => topologyNames.indexOf(a) - topologyNames.indexOf(b));
  const learners = members.filter((member) => member.isLearner).map((member) => member.name);
  if (learners.length > 0) return warn(`${inTopologyOrder.join(', ')} as the topology, but ${learners.join(', ')} is a learner: promote it (etcdctl member promote)`);
  return pass(`${inTopologyOrder.join(', ')}, as the topology`);
}

/**
 * The probe key read from one member. A member that did not answer `endpoint status` either is already reported
 * there: while quorum holds its read is a warning, otherwise a failure.
 */
export function judgeProbeRead(
  member: string,
  read: { ok: true; values: string[] } | { ok: false; error: string },
  expected: string | undefined,
  status: Pick<StatusJudgement, 'missing' | 'quorumHolds'>,
): Outcome {
  if (expected === undefined) return fail('not read: the probe key could not be written through the proxy (see the etcd proxy row)');
  if (!read.ok) {
    const why = status.missing.get(member) ?? read.error;
    return status.quorumHolds && status.missing.has(member) ? warn(`not read: ${why} (quorum holds without it)`) : fail(`not read: ${why}`);
  }
  if (read.values.length === 0) return fail('the probe key written through the proxy is missing on this member: it is not replicating — check its log');
  if (read.values[0] !== expected) return fail('the probe key has a different value on this member: it serves stale or foreign data');
  return pass('read the probe key written through the proxy');
}
