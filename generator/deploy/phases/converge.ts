// Waiting for the stack to converge once the rendered file is deployed (moves/stackWait.ts waits and explains).
import { passed, type Phase } from '../runner/contract.ts';
import { convergeFailed, rowsOf, waitForStack } from '../moves/stackWait.ts';

export const converge: Phase = {
  name: 'converge',
  stage: 'converge',
  async run(context) {
    const converged = await waitForStack(context, context.stackDeployedAt ?? new Date());
    if (!converged.ok) return convergeFailed(context, converged, `the rendered stack file is deployed, but not every service runs it: ${converged.message}`);
    return passed({ rows: rowsOf(context, converged) });
  },
};
