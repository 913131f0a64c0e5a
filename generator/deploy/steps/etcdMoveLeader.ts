// The step etcd-move-leader: leadership away from a member about to leave (moves/etcdMembership.ts moves it).
import { etcdCluster } from '../../cluster/etcdCluster.ts';
import { moveLeaderAway } from '../moves/etcdMembership.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runMoveLeader: StepRunner<'etcd-move-leader'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const moved = await moveLeaderAway(cluster, context, step.awayFrom);
  return moved.ok ? passed({ notes: [moved.note] }) : stepStopped(context, moved.reason, `${step.awayFrom} may still lead; the membership is unchanged`);
};
