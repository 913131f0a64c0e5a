// Waiting for the stack to converge from a phase or a step (operations/convergence.ts judges swarm's own state), and
// what a failed wait says: the reason, the next step, each failing task's error and the commands that go on or back.
import { describeService, waitForConvergence, type ConvergeResult, type ServiceState } from '../operations/convergence.ts';
import { placementNames, reportRows } from '../operations/serviceRows.ts';
import { stopped, type DeployContext, type PhaseResult } from '../runner/contract.ts';
import { resumeDeploy, rollbackServices } from './stopPoints.ts';

/**
 * Bounded by the topology's deploy timeout, with a progress line at most every 10 s. `settleMs`: how long every task
 * must have run (convergence.ts's default, 5 s, unless a step's own check follows). `onLook`: every look's services,
 * for a step that starts its own check while the tasks settle.
 */
export function waitForStack(context: DeployContext, since: Date, settleMs?: number, onLook?: (services: ServiceState[]) => void): Promise<ConvergeResult> {
  const { model, runner, log, progress } = context;
  return waitForConvergence({
    stack: model.stack,
    timeoutMs: model.swarm.deployTimeoutSeconds * 1000,
    since,
    ...(settleMs === undefined ? {} : { settleMs }),
    runner,
    onProgress: (services, elapsedMs) => {
      onLook?.(services);
      if (elapsedMs - progress.lastMs < 10_000) return;
      progress.lastMs = elapsedMs;
      log(`  ${Math.round(elapsedMs / 1000)} s: ${services.map(describeService).join(', ')}`);
    },
  });
}

export const rowsOf = (context: DeployContext, converged: ConvergeResult) => reportRows(converged.services, placementNames(context.model));

/** The problems of a stack that did not converge: the reason and next step, then each failing task's error. */
export function convergeFailed(context: DeployContext, converged: Extract<ConvergeResult, { ok: false }>, state: string): PhaseResult {
  const { stack } = context.model;
  const failing = [...new Set(converged.failures.map((failure) => failure.service))].sort();
  return stopped(
    [
      `${stack} did not converge: ${converged.message} — ${convergeNextStep(stack, converged)}`,
      ...converged.failures.map((failure) => `${failure.service} task ${failure.task.slice(0, 12)} on ${failure.node || '?'}: ${failure.error}`),
    ],
    {
      rows: rowsOf(context, converged),
      failures: converged.failures,
      stopped: { state, resume: resumeDeploy(context.environment), ...(failing.length > 0 ? { revert: rollbackServices(failing) } : {}) },
    },
  );
}

/** What to do about a failed convergence: where the tasks' own words are, and that a rolled-back service still runs. */
export function convergeNextStep(stack: string, converged: Extract<ConvergeResult, { ok: false }>): string {
  const failing = [...new Set(converged.failures.map((failure) => failure.service))].sort();
  const look =
    failing.length > 0
      ? `the task errors follow; \`docker service logs --tail 50 ${failing[0]}\`${failing.length > 1 ? ` (and ${failing.slice(1).join(', ')})` : ''} shows why`
      : `\`docker stack ps --no-trunc ${stack}\` shows the tasks`;
  return `${look}; fix the topology or the image and deploy again (a rolled-back service keeps running its previous spec)`;
}
