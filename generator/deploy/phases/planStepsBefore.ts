// The plan's membership steps and pool drains (steps/run.ts runs them), before any member or node restarts on the new
// stack file.
import type { Phase } from '../runner/contract.ts';
import { stepsAround } from '../steps/index.ts';
import { runSteps } from '../steps/run.ts';

export const planStepsBefore: Phase = {
  name: 'plan steps',
  stage: 'deploy',
  run: (context) => runSteps(context, stepsAround(context.steps).before),
};
