// The plan library: classify the changes between two topologies of one environment, and write them as markdown.
export { blocks, type Change, type ChangeClass } from './change.ts';
export type { PlanContext, TemplatePair } from './comparison.ts';
export { renderPlan, type EnvironmentPlan } from './markdown.ts';
export { blockingChanges, planEnvironment, planEnvironmentSteps, unusedAcknowledgements } from './plan.ts';
export { describeStep, type Step } from './steps.ts';
