// A deploy is a list of phases (phases/index.ts), each a function of the deploy's context that returns what it
// found and whether the deploy goes on. This runner is the only code that touches the report's phase, timings (each
// stage's and each phase's) and progress log, and the only place that stops: a phase never returns the report early or remembers to time itself.
// The executed steps of a plan (issue 11: member add, pool decommission) are phases of the same kind.
import type { DeployContext, DeployPhase, DeployReport, Phase } from './contract.ts';

/**
 * Runs the phases in order into the report (which starts in `topology`). Entering a new stage logs
 * `deploy <env>: <stage>` and closes the previous stage's timing; the first phase that is not ok ends the deploy
 * in its stage; after the last phase the report is ok and `done`.
 */
export async function runPhases(phases: readonly Phase[], context: DeployContext, report: DeployReport, now: () => number = () => performance.now()): Promise<DeployReport> {
  let stageStarted = now();
  const closeStage = () => report.timings.push({ phase: report.phase, ms: Math.round(now() - stageStarted) });
  const enter = (stage: DeployPhase) => {
    closeStage();
    report.phase = stage;
    stageStarted = now();
    context.log(`deploy ${context.environment}: ${stage}`);
  };
  for (const phase of phases) {
    if (phase.stage !== report.phase) enter(phase.stage);
    const phaseStarted = now();
    const result = await phase.run(context);
    report.phaseTimes.push({ name: phase.name, ms: Math.round(now() - phaseStarted) });
    report.notes.push(...(result.notes ?? []));
    report.problems.push(...(result.problems ?? []));
    if (result.rows) report.rows = result.rows;
    if (result.failures) report.failures = result.failures;
    if (result.recoveryPoint) report.recoveryPoint = result.recoveryPoint;
    if (result.failureBudget) report.failureBudget = { ...report.failureBudget, ...result.failureBudget };
    if (!result.ok) {
      if (result.stopped) report.stopped = { phase: phase.name, ...result.stopped };
      closeStage();
      return report;
    }
  }
  report.ok = true;
  enter('done');
  return report;
}
