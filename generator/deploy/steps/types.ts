// What runs one executed step of a plan (plan/steps.ts): a function of the step and the deploy's context that does
// the work, waits for the step's own checks (its verifyAfter) and says how it went. A step runner is idempotent:
// deploy run again after a stop plans the same steps (against the same deployed topology) and each runner skips
// what is already done, so "run deploy again" is always the resume command.
import type { Step, StepKind } from '../../plan/steps.ts';
import type { DeployContext, PhaseResult } from '../runner/contract.ts';

export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

export type StepRunner<K extends StepKind> = (step: StepOf<K>, context: DeployContext) => Promise<PhaseResult>;
