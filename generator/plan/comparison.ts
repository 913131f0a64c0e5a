// Both sides of a change as the classifiers read them: the validated topology and the model built from it.
import { buildModel } from '../model/build.ts';
import type { ClusterModel } from '../model/types.ts';
import type { Templates } from '../render/index.ts';
import type { Topology } from '../topology/schema.ts';
import type { Change } from './change.ts';

export interface Revision {
  topology: Topology;
  /** Derived names, expanded paths and placements: what actually runs, so `{name}` and defaults compare equal. */
  model: ClusterModel;
}

/** The nginx template on each side, when the caller knows both (plan --base reads it at the base ref). */
export interface TemplatePair {
  before: Templates;
  after: Templates;
}

export interface PlanContext {
  environment: string;
  templates?: TemplatePair;
}

export interface Comparison {
  environment: string;
  before: Revision;
  after: Revision;
  templates?: TemplatePair;
}

export function compareRevisions(before: Topology, after: Topology, context: PlanContext): Comparison {
  const source = `environments/${context.environment}.yaml`;
  const revision = (topology: Topology): Revision => ({ topology, model: buildModel(context.environment, source, topology) });
  return { environment: context.environment, before: revision(before), after: revision(after), templates: context.templates };
}

/** One classifier per kind of change: reads both sides, returns the changes of its kind (usually none). */
export type Classifier = (comparison: Comparison) => Change[];

/** One line of the plan's checklist: a classifier and the topology fields whose changes it decides. */
export interface ChecklistItem {
  classify: Classifier;
  /** Topology fields whose changes this classifier decides (patterns, see fields.ts). */
  fields: readonly string[];
}
