// Which runner executes which kind of step, and where in the deploy it runs. The steps before the stack file is
// deployed change etcd's membership, drain MinIO pools and restart every MinIO node on a command line with a new
// pool; the roll of etcd members and the stack itself are the deploy's own phases (rollingMembers, stackDeploy,
// converge); the steps after the stack remove what the new stack file no longer runs.
import type { Step, StepKind } from '../../plan/steps.ts';
import { runDataDirEmpty } from './etcdDataDirEmpty.ts';
import { runMemberAdd } from './etcdMemberAdd.ts';
import { runMemberPromote } from './etcdMemberPromote.ts';
import { runMemberRemove } from './etcdMemberRemove.ts';
import { runMemberStart } from './etcdMemberStart.ts';
import { runMoveLeader } from './etcdMoveLeader.ts';
import { runServiceRemove } from './serviceRemove.ts';
import { runPoolAdd } from './minioPoolAdd.ts';
import { runPoolDecommission } from './minioPoolDecommission.ts';
import type { StepRunner } from './types.ts';

/** A kind the deploy's own phases carry out (the roll, the stack file), named by the phase that does. */
export interface CarriedByPhase {
  carriedBy: 'rollingMembers' | 'stackDeploy';
}

/**
 * Every kind of step the plan can ask for, and what executes it: a runner, or a phase of the deploy. The type asks for
 * every StepKind, so a kind added to plan/steps.ts does not compile until it is executed here (or by a phase).
 */
export const STEP_RUNNERS: { readonly [K in StepKind]: StepRunner<K> | CarriedByPhase } = {
  'etcd-member-add': runMemberAdd,
  'etcd-member-start': runMemberStart,
  'etcd-member-promote': runMemberPromote,
  'etcd-move-leader': runMoveLeader,
  'etcd-member-remove': runMemberRemove,
  'etcd-data-dir-empty': runDataDirEmpty,
  'service-remove': runServiceRemove,
  'minio-pool-decommission': runPoolDecommission,
  'minio-pool-add': runPoolAdd,
  'etcd-members-roll': { carriedBy: 'rollingMembers' },
  'etcd-member-restart': { carriedBy: 'rollingMembers' },
  'stack-deploy': { carriedBy: 'stackDeploy' },
};

const carried = (step: Step): boolean => typeof STEP_RUNNERS[step.kind] !== 'function';

/** The plan's steps split around its stack deploy: those before run first, those after once the stack converged. */
export function stepsAround(steps: readonly Step[]): { before: Step[]; after: Step[] } {
  const stackAt = steps.findIndex((step) => step.kind === 'stack-deploy');
  const split = stackAt === -1 ? steps.length : stackAt;
  const own = (step: Step) => !carried(step);
  return { before: steps.slice(0, split).filter(own), after: steps.slice(split + 1).filter(own) };
}

/** The runner of a step that has one (every kind stepsAround hands out); undefined for the kinds phases carry out. */
export function runnerOf(step: Step): StepRunner<StepKind> | undefined {
  const entry = STEP_RUNNERS[step.kind];
  return typeof entry === 'function' ? (entry as StepRunner<StepKind>) : undefined;
}
