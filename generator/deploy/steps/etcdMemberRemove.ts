// The step etcd-member-remove: `member remove` asked of the members that stay, then every member answering with one
// leader. Skipped when etcd no longer lists it.
import { etcdCluster, hexId } from '../../cluster/etcdCluster.ts';
import { waitSettled } from '../moves/etcdMembership.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runMemberRemove: StepRunner<'etcd-member-remove'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(', ')} (${listed.reason})`, 'nothing changed in this step');
  const member = listed.value.find((entry) => entry.name === step.member);
  if (!member) return passed({ notes: [`${step.member} is not listed: nothing to remove`] });
  const removed = await cluster.etcdctl(step.through, ['member', 'remove', hexId(member.id)]);
  if (!removed.ok) return stepStopped(context, `etcdctl member remove ${step.member}: ${removed.reason}`, `${step.member} may or may not be listed still`);
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after removing ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is removed from the cluster; its service still exists`);
  return passed({ notes: [`${step.member} removed from the cluster; ${settled.value.length} members answer with one leader`] });
};
