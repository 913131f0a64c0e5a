// deploy: load the environment, then run its phases (phases/index.ts) in order with runPhases: preflight (decided
// before anything changes, the plan gate and the steps' acknowledgements included) → a recovery point before a care
// or destructive change → node labels and host preparation → the plan's executed steps (etcd members joining and
// leaving, MinIO pools drained: steps/) → orphan removal → etcd members that would restart rolled one at a time, the
// leader last → bounded `docker stack deploy` → wait for convergence → in dnsrr mode, restart the MinIO proxy if
// MinIO tasks started after it → wait until MinIO serves through it → the steps after the stack (a drained pool's
// services removed) → verify's own MinIO user → the recovery window → remove unused configs → record the deployed
// topology. One report value comes back; the CLI prints it and the action writes it to the job summary.
import path from 'node:path';
import type { SwarmSites } from '../backup/sites.ts';
import type { DockerRunner } from '../docker/runner.ts';
import type { MinioCredentials } from '../cluster/credentials.ts';
import type { LocatedProblem } from '../topology/problems.ts';
import type { ResolveImage } from '../topology/schema.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { RENDERED_DIR } from '../workspace/repository.ts';
import type { TaskFailure } from './operations/convergence.ts';
import { DEPLOY_PHASES } from './phases/index.ts';
import type { PlanTopologies } from './operations/planGate.ts';
import type { ReportRow } from './report.ts';
import { runPhases, type DeployContext, type Phase, type StopPoint } from './runner/runPhases.ts';

export { convergeNextStep } from './phases/converge.ts';
export { PREPARE_TIMEOUT_MS } from './phases/prepare.ts';
export { STACK_DEPLOY_TIMEOUT_MS } from './phases/stackDeploy.ts';

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
  /** Set when a phase that changes the cluster failed: where, in what state, and the commands that go on or back. */
  stopped?: StopPoint;
  /** The recovery point made before the plan's care or destructive changes, with its figures. */
  recoveryPoint?: string;
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

export async function runDeploy(options: DeployOptions, phases: readonly Phase[] = DEPLOY_PHASES): Promise<DeployReport> {
  const loaded = await loadEnvironment(options.root, options.environment);
  const report: DeployReport = {
    environment: options.environment,
    stack: loaded.ok ? loaded.model.stack : '',
    ok: false,
    phase: 'topology',
    topologyProblems: loaded.ok ? loaded.warnings : loaded.problems,
    problems: [],
    notes: [],
    rows: [],
    failures: [],
    timings: [],
  };
  if (!loaded.ok) {
    report.problems.push(`${loaded.source.file} is invalid: fix it before deploying`);
    return report;
  }
  const context: DeployContext = {
    options,
    runner: options.runner,
    log: options.log,
    environment: options.environment,
    source: loaded.source,
    topology: loaded.topology,
    model: loaded.model,
    composeFile: path.join(options.root, RENDERED_DIR, options.environment, 'stack.yaml'),
    nodes: [],
    planned: [],
    steps: [],
    progress: { lastMs: 0 },
  };
  return runPhases(phases, context, report);
}
