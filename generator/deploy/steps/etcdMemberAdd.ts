// The step etcd-member-add: the member joins as a learner (no vote, quorum untouched), asked of the members that
// list it; skipped when etcd already lists its peer URL.
import { byPeerUrl, etcdCluster } from '../../cluster/etcdCluster.ts';
import { passed } from '../runner/contract.ts';
import { removeCommand } from '../moves/etcdMembership.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import type { StepRunner } from './types.ts';

export const runMemberAdd: StepRunner<'etcd-member-add'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(', ')} (${listed.reason}): bring them back, then deploy again`, 'nothing changed in this step');
  if (byPeerUrl(listed.value, step.peerUrl)) return passed({ notes: [`${step.member} is already listed (${step.peerUrl}): not added again`] });
  const added = await cluster.etcdctl(step.through, ['member', 'add', step.member, `--peer-urls=${step.peerUrl}`, '--learner']);
  if (!added.ok) return stepStopped(context, `etcdctl member add ${step.member}: ${added.reason}`, `${step.member} may or may not be listed as a learner; a learner has no vote, quorum is unchanged`, removeCommand(context, step.member));
  return passed({ notes: [`${step.member} added as a learner`] });
};
