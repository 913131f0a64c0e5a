// The deploy runner's contract: what a phase is, what it reads (the deploy's context and options) and returns, and the
// report the runner fills. The runner (runPhases.ts) and every phase, move and step import this; it imports none of
// them, nor the command that drives a deploy (kubeadm's workflow/phase.go: the runner defines the data interface).
import type { SwarmSites } from '../../backup/sites.ts';
import type { MinioCredentials } from '../../cluster/credentials.ts';
import type { EtcdctlCall } from '../../cluster/etcdctlProbe.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import type { SwarmNode } from '../../docker/swarm.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { Change } from '../../plan/change.ts';
import type { Step } from '../../plan/steps.ts';
import type { LocatedProblem } from '../../topology/problems.ts';
import type { ResolveImage } from '../../topology/resolveImage.ts';
import type { Topology } from '../../topology/schema.ts';
import type { TopologySource } from '../../workspace/pipeline.ts';
import type { DiffReport } from '../../diff/diff.ts';
import type { TaskFailure } from '../operations/convergence.ts';
import type { PlanTopologies } from '../operations/planGate.ts';
import type { ReportRow } from '../operations/serviceRows.ts';

/** The report's phases: each phase of phases/index.ts counts in one of them (its `stage`). */
export type DeployPhase = 'topology' | 'preflight' | 'prepare' | 'deploy' | 'converge' | 'done';

export interface DeployReport {
  environment: string;
  stack: string;
  ok: boolean;
  /** Where it stopped (`done` when it succeeded). */
  phase: DeployPhase;
  /** Topology file problems, located for annotations. */
  topologyProblems: LocatedProblem[];
  /** One line each: what failed and what to do. */
  problems: string[];
  notes: string[];
  rows: ReportRow[];
  failures: TaskFailure[];
  timings: { phase: DeployPhase; ms: number }[];
  /** Each phase's own time, in the order they ran (a stage's timing is the sum of its phases'). */
  phaseTimes: { name: string; ms: number }[];
  /** Set when a phase that changes the cluster failed: where, in what state, and the commands that go on or back. */
  stopped?: StopPoint;
  /** The recovery point made before the plan's care or destructive changes, with its figures. */
  recoveryPoint?: string;
  /** How many more failures etcd and MinIO survived before the change and after it (verify/failureBudget.ts). */
  failureBudget?: FailureBudgetLines;
}

export interface FailureBudgetLines {
  before?: string;
  after?: string;
}

export interface DeployOptions {
  root: string;
  environment: string;
  runner: DockerRunner;
  /** Progress lines (stderr for the CLI, the log for the action). */
  log: (line: string) => void;
  resolveImage?: ResolveImage;
  /** Skip rolling etcd members one at a time: every member restarts together (quorum is lost meanwhile). */
  allMembersAtOnce?: boolean;
  /** Recorded with the deployed topology (GITHUB_SHA in the action). */
  commit?: string;
  plan?: PlanTopologies;
  stackDeployTimeoutMs?: number;
  prepareTimeoutMs?: number;
  /** How long MinIO may take to serve through its load balancer after convergence (phases/minioServing.ts). */
  servingTimeoutMs?: number;
  /**
   * How long deploy waits for one MinIO pool's decommission (steps/minioPools.ts; default 30 min). It bounds the
   * deploy, not the decommission: MinIO goes on after a stop, and deploy run again waits on.
   */
  decommissionTimeoutMs?: number;
  /** MinIO's root pair and verify's: deploy's verify-user phase makes verify's user with them (phases/verifyUser.ts). */
  minio?: { root?: MinioCredentials; verify?: MinioCredentials };
  /** Go on without the recovery point made before care and destructive changes (phases/recoveryPoint.ts). */
  noRecoveryPoint?: boolean;
  /** Where the backup S3 target's keys are looked up, earliest first (the env file, then the environment). */
  backupValues?: Record<string, string | undefined>[];
  /** How a recovery point reaches etcd (default: the swarm the runner reaches). */
  swarmSites?: SwarmSites;
}

/** What every phase reads: the options, the environment being deployed, and what earlier phases learnt. */
export interface DeployContext {
  options: DeployOptions;
  runner: DockerRunner;
  /** How the deploy's etcdctl calls run: its probe container (cluster/etcdctlProbe.ts); absent, a one-off container each. */
  etcdctl?: EtcdctlCall;
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
  /** What runs against what is rendered, as preflight read it (generator/diff): a takeover, hand edits. */
  live?: DiffReport;
  /** When the rendered stack file was deployed: convergence ignores update states older than this. */
  stackDeployedAt?: Date;
  /** One progress clock for every convergence wait of this deploy: a line at most every 10 s. */
  progress: { lastMs: number };
  /** Prometheus and Alertmanager, when this deploy changed their files (phases/monitoringFiles.ts): reloaded later. */
  monitoringFilesChanged?: string[];
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
  /** The failure budget this phase read (phases/failureBudgetBefore.ts, failureBudgetAfter.ts). */
  failureBudget?: FailureBudgetLines;
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
