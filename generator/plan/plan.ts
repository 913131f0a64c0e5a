// The plan of one environment: every change between two validated topologies, classified and acknowledged.
// Pure: no files, no git, no clock. `plan` compares two commits with it, and deploy compares what runs.
import type { Topology } from '../topology/schema.ts';
import { blocks, CHANGE_CLASSES, type Change } from './change.ts';
import { checklist, IGNORED_FIELDS } from './checklist.ts';
import { environmentAdded, environmentRemoved } from './classifiers/environment.ts';
import { unclassifiedFields } from './classifiers/unclassified.ts';
import { compareRevisions, type PlanContext } from './comparison.ts';
import { planSteps, stepsFor } from './planSteps.ts';
import type { Step } from './steps.ts';

/**
 * `before` undefined: the environment is new; `after` undefined: it is removed. Changes come most severe first,
 * and in checklist order within a class, which is also the order their procedures are meant to run in.
 */
export function planEnvironment(before: Topology | undefined, after: Topology | undefined, context: PlanContext): Change[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return acknowledge([environmentAdded(context.environment, after!)], after!.acknowledge);
  // A deleted file cannot hold its own acknowledgement: it must be listed before the deletion, in its own review.
  if (after === undefined) return acknowledge([environmentRemoved(context.environment, before)], before.acknowledge);
  const comparison = compareRevisions(before, after, context);
  const changes = [...checklist.flatMap((item) => item.classify(comparison)), ...unclassifiedFields(checklist, IGNORED_FIELDS)(comparison)].map((change) => {
    const steps = stepsFor(comparison, change.id);
    return steps.length > 0 ? { ...change, steps } : change;
  });
  return bySeverity(acknowledge(changes, after.acknowledge));
}

/**
 * The steps deploy runs for this environment's changes, in order (planSteps.ts): the same values each change
 * carries as `steps`. None for an environment added or removed: a first deploy and a removal have no steps.
 */
export function planEnvironmentSteps(before: Topology | undefined, after: Topology | undefined, context: PlanContext): Step[] {
  if (before === undefined || after === undefined) return [];
  return planSteps(compareRevisions(before, after, context));
}

function acknowledge(changes: readonly Change[], acknowledged: readonly string[]): Change[] {
  return changes.map((change) => ({ ...change, acknowledged: acknowledged.includes(change.id) }));
}

function bySeverity(changes: readonly Change[]): Change[] {
  return [...changes].sort((a, b) => CHANGE_CLASSES.indexOf(a.class) - CHANGE_CLASSES.indexOf(b.class));
}

/**
 * Acknowledgements that match no change of this plan. Left in the file after their change is deployed, they would
 * silently accept the next change with the same id: the plan lists them so they get removed.
 */
export function unusedAcknowledgements(after: Topology | undefined, changes: readonly Change[]): string[] {
  return (after?.acknowledge ?? []).filter((id) => !changes.some((change) => change.id === id) && !DEPLOY_TIME_KINDS.some((kind) => id.startsWith(`${kind}:`)));
}

/**
 * Acknowledgements of what only deploy sees, comparing the live swarm with the topology (not git with git): the
 * takeover of a cluster milvus-swarm did not deploy (deploy/operations/liveChanges.ts). A plan never matches them.
 */
export const DEPLOY_TIME_KINDS = ['takeover'] as const;

/** Destructive changes nobody acknowledged: any of them makes `plan` exit 3 and deploy refuse. */
export const blockingChanges = (changes: readonly Change[]): Change[] => changes.filter(blocks);
