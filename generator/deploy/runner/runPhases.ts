// A deploy is a list of phases (phases/index.ts), each a function of the deploy's context that returns what it
// found and whether the deploy goes on. This runner is the only code that touches the report's phase, timings and
// progress log, and the only place that stops: a phase never returns the report early or remembers to time itself.
// The executed steps of a plan (issue 11: member add, pool decommission) are phases of the same kind.
import type { DockerRunner } from '../../docker/runner.ts';
import type { SwarmNode } from '../../docker/swarm.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { Change } from '../../plan/change.ts';
import type { Step } from '../../plan/steps.ts';
import type { Topology } from '../../topology/schema.ts';
import type { TopologySource } from '../../workspace/pipeline.ts';
import type { TaskFailure } from '../operations/convergence.ts';
import type { DeployOptions, DeployPhase, DeployReport } from '../deploy.ts';
import type { ReportRow } from '../report.ts';

/** What every phase reads: the options, the environment being deployed, and what earlier phases learnt. */
export interface DeployContext {
  options: DeployOptions;
  runner: DockerRunner;
  log: (line: string) => void;
  environment: string;
  source: TopologySource;
  topology: Topology;
  model: ClusterModel;
  /** rendered/<env>/stack.yaml under the repository root. */
  composeFile: string;
  /** The swarm's nodes with their labels, as preflight read them (prepare labels them). */
  nodes: SwarmNode[];
  /** The plan against the deployed topology, as the gate judged it (empty on a first deploy): its steps say how. */
  planned: Change[];
  /** The plan's executable steps in the order deploy runs them (plan/planSteps.ts); empty on a first deploy. */
  steps: Step[];
  /** The topology the swarm runs now (the record of the last deploy): steps between the two read it. */
  deployed?: Topology;
  /** When the rendered stack file was deployed: convergence ignores update states older than this. */
  stackDeployedAt?: Date;
  /** One progress clock for every convergence wait of this deploy: a line at most every 10 s. */
  progress: { lastMs: number };
}

/**
 * Where a deploy that had begun to change the cluster stopped, so the operator can go on from there: the report
 * carries it, and the CLI and the action print it. Executed steps (issue 11) fill `step`.
 */
export interface StopPoint {
  /** The phase that failed, as the log names it: `rolling etcd members`, `stack deploy`. */
  phase: string;
  /** An executed step of the plan: its id and place (`etcd-member-add:etcd4`, 2 of 4). */
  step?: { id: string; number: number; of: number };
  /** What state the cluster is in, in the operator's words: what changed, what did not. */
  state: string;
  /** The exact command that carries on from here once the cause is fixed. */
  resume: string;
  /** The exact command that undoes what the failed phase changed, when one exists. */
  revert?: string;
}

export interface PhaseResult {
  /** false stops the deploy after this phase. */
  ok: boolean;
  /** One line each: what failed and what to do (only when not ok). */
  problems?: string[];
  notes?: string[];
  /** The stack's services as last seen: replaces the report's rows. */
  rows?: ReportRow[];
  failures?: TaskFailure[];
  /** Set by a phase that changes the cluster, when it fails. */
  stopped?: Omit<StopPoint, 'phase'>;
  /** The recovery point this phase made (phases/recoveryPoint.ts): the report and the job summary show it. */
  recoveryPoint?: string;
}

export interface Phase {
  /** In the log and in a stop point: `orphan removal`, `rolling etcd members`. */
  name: string;
  /** The report's phase this one belongs to: its time counts there, and a failure names it. */
  stage: Exclude<DeployPhase, 'topology' | 'done'>;
  run: (context: DeployContext) => Promise<PhaseResult>;
}

/**
 * A plan step (plan/steps.ts) as a phase: the step runner of issue 11 gives each executed step its work, and a
 * failure then names the step and its place in the plan (`etcd-member-add:etcd4`, 2 of 4) in the stop point.
 */
export function stepPhase(step: Step, number: number, of: number, run: (context: DeployContext) => Promise<PhaseResult>): Phase {
  return {
    name: step.id,
    stage: 'deploy',
    run: async (context) => {
      const result = await run(context);
      if (result.ok || !result.stopped) return result;
      return { ...result, stopped: { ...result.stopped, step: { id: step.id, number, of } } };
    },
  };
}

export const passed = (result: Omit<PhaseResult, 'ok'> = {}): PhaseResult => ({ ok: true, ...result });
export const stopped = (problems: string[], result: Omit<PhaseResult, 'ok' | 'problems'> = {}): PhaseResult => ({ ok: false, problems, ...result });

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
    const result = await phase.run(context);
    report.notes.push(...(result.notes ?? []));
    report.problems.push(...(result.problems ?? []));
    if (result.rows) report.rows = result.rows;
    if (result.failures) report.failures = result.failures;
    if (result.recoveryPoint) report.recoveryPoint = result.recoveryPoint;
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
