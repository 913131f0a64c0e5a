// Which runner executes which kind of step, and where in the deploy it runs. The steps before the stack file is
// deployed change etcd's membership, drain MinIO pools and restart every MinIO node on a command line with a new
// pool; the roll of etcd members and the stack itself are the deploy's own phases (rollingMembers, stackDeploy,
// converge); the steps after the stack remove what the new stack file no longer runs.
import type { Step, StepKind } from '../../plan/steps.ts';
import { runDataDirEmpty, runMemberAdd, runMemberPromote, runMemberRemove, runMemberStart, runMoveLeader, runServiceRemove } from './etcdMembers.ts';
import { runPoolAdd } from './minioPoolAdd.ts';
import { runPoolDecommission } from './minioPools.ts';
import type { StepRunner } from './types.ts';

type Runners = { [K in StepKind]?: StepRunner<K> };

export const STEP_RUNNERS: Runners = {
  'etcd-member-add': runMemberAdd,
  'etcd-member-start': runMemberStart,
  'etcd-member-promote': runMemberPromote,
  'etcd-move-leader': runMoveLeader,
  'etcd-member-remove': runMemberRemove,
  'etcd-data-dir-empty': runDataDirEmpty,
  'service-remove': runServiceRemove,
  'minio-pool-decommission': runPoolDecommission,
  'minio-pool-add': runPoolAdd,
};

/** Kinds the deploy's own phases carry out: the roll (rollingMembers) and the stack file (stackDeploy). */
export const CARRIED_BY_PHASES: readonly StepKind[] = ['etcd-members-roll', 'etcd-member-restart', 'stack-deploy'];

/** The plan's steps split around its stack deploy: those before run first, those after once the stack converged. */
export function stepsAround(steps: readonly Step[]): { before: Step[]; after: Step[] } {
  const stackAt = steps.findIndex((step) => step.kind === 'stack-deploy');
  const split = stackAt === -1 ? steps.length : stackAt;
  const own = (step: Step) => !CARRIED_BY_PHASES.includes(step.kind);
  return { before: steps.slice(0, split).filter(own), after: steps.slice(split + 1).filter(own) };
}

export function runnerOf(step: Step): StepRunner<StepKind> | undefined {
  return STEP_RUNNERS[step.kind] as StepRunner<StepKind> | undefined;
}
