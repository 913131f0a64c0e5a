// The step etcd-member-promote: retried until etcd says the learner caught up with the leader, then every member
// answering with one leader.
import { etcdCluster, hexId } from '../../cluster/etcdCluster.ts';
import { knownMembers, pollFor, removeCommand, stepWait, waitSettled } from '../moves/etcdMembership.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runMemberPromote: StepRunner<'etcd-member-promote'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  let tries = 0;
  const promoted = await pollFor(stepWait(context), async () => {
    const listed = await cluster.members(knownMembers(context));
    if (!listed.ok) return { reason: listed.reason };
    const member = listed.value.find((entry) => entry.name === step.member);
    if (!member) return { reason: `${step.member} is not listed as started` };
    if (!member.isLearner) return { value: tries };
    tries++;
    // etcd refuses until the learner has caught up with the leader ("can only promote a learner member which is in sync with leader").
    const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== '').map((entry) => entry.name);
    const answer = await cluster.etcdctl(voting, ['member', 'promote', hexId(member.id)]);
    return answer.ok ? { value: tries } : { reason: answer.reason };
  });
  if (!promoted.ok) return stepStopped(context, `${step.member} was not promoted within ${stepWait(context) / 1000} s: ${promoted.reason}`, `${step.member} runs as a learner (no vote: quorum unchanged)`, removeCommand(context, step.member));
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after promoting ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is a voting member`);
  const what = promoted.value === 0 ? `${step.member} is already a voting member` : `${step.member} promoted to a voting member (${(promoted.ms / 1000).toFixed(1)} s, ${promoted.value} ${promoted.value === 1 ? 'try' : 'tries'})`;
  return passed({ notes: [`${what}; ${settled.value.length} members answer with one leader`] });
};
