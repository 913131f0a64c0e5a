// The step etcd-member-add: the member joins as a learner (no vote, quorum untouched), asked of the members that
// list it; skipped when etcd already lists its peer URL.
import { byPeerUrl, etcdCluster, type EtcdCluster } from '../../cluster/etcdCluster.ts';
import { passed } from '../runner/contract.ts';
import { pollFor, removeCommand } from '../moves/etcdMembership.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import type { StepRunner } from './types.ts';

export const runMemberAdd: StepRunner<'etcd-member-add'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(', ')} (${listed.reason}): bring them back, then deploy again`, 'nothing changed in this step');
  if (byPeerUrl(listed.value, step.peerUrl)) return passed({ notes: [`${step.member} is already listed (${step.peerUrl}): not added again`] });
  const added = await addLearner(cluster, step.through, step.member, step.peerUrl);
  if (!added.ok) return stepStopped(context, `etcdctl member add ${step.member}: ${added.reason}`, `${step.member} may or may not be listed as a learner; a learner has no vote, quorum is unchanged`, removeCommand(context, step.member));
  return passed({ notes: [`${step.member} added as a learner${added.tries > 1 ? ` (${added.tries} tries: etcd said "unhealthy cluster" until its leader had been connected to every voting member for 5 s)` : ''}`] });
};

/**
 * etcd refuses a member add until its leader has been connected to every voting member for 5 s (etcdserver's
 * mayAddMember, HealthInterval: "etcdserver: unhealthy cluster"), as right after the member before was promoted.
 * That answer is asked again (pollFor), every second for up to 20 s; a try whose answer was lost may have added it, so
 * the list is read before each new try.
 */
async function addLearner(cluster: EtcdCluster, through: readonly string[], member: string, peerUrl: string): Promise<{ ok: true; tries: number } | { ok: false; reason: string }> {
  let tries = 0;
  const added = await pollFor(
    ADD_WAIT_MS,
    async (): Promise<{ value: { ok: true } | { ok: false; reason: string } } | { reason: string }> => {
      if (tries > 0) {
        const listed = await cluster.members(through);
        if (listed.ok && byPeerUrl(listed.value, peerUrl)) return { value: { ok: true } };
      }
      tries++;
      const answer = await cluster.etcdctl(through, ['member', 'add', member, `--peer-urls=${peerUrl}`, '--learner']);
      if (answer.ok) return { value: { ok: true } };
      return UNHEALTHY.test(answer.reason) ? { reason: answer.reason } : { value: { ok: false, reason: answer.reason } };
    },
    1_000,
  );
  if (!added.ok) return added;
  return added.value.ok ? { ok: true, tries } : added.value;
}

const UNHEALTHY = /etcdserver: unhealthy cluster/;
const ADD_WAIT_MS = 20_000;
