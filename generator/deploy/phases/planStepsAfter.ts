// What the new stack file no longer runs (a decommissioned pool's nodes), removed by the plan's steps after the stack
// (steps/run.ts runs them), once the rest serves without it.
import type { Phase } from '../runner/contract.ts';
import { stepsAround } from '../steps/index.ts';
import { runSteps } from '../steps/run.ts';

export const planStepsAfter: Phase = {
  name: 'plan steps after the stack',
  stage: 'converge',
  run: (context) => runSteps(context, stepsAround(context.steps).after),
};
