// The step `minio-pool-decommission` (plan/planSteps.ts): before the stack deploy drops a pool from MinIO's command
// line, every object of the pool must have moved to the other pools. MinIO refuses to start on a command line
// without a pool whose decommission began and did not complete, and on one that still lists a completed pool; so
// this step runs to `complete` before the stack deploy, and the pool's services go only after it (service-remove).
//
// Idempotent, as every step runner (types.ts): it reads the pool's status first and
//   never decommissioned → starts it; running → only waits; complete → passes at once;
//   failed or canceled → starts it again. Deploy run again is the resume command, and MinIO says of a failed
//   decommission "please retry"; RELEASE.2023-03-20 ends a canceled one as failed, so the two cannot be told apart.
//   An operator who wants to keep the pool reverts the topology change: the plan then has no such step.
// A failure or a cancel while this run waits stops the deploy (MinIO's log says why; a restart in a loop would hide it).
// The status is polled every 2 s through the MinIO proxy, signed as root (the only user with the admin right), and a
// progress line goes to the log at most every 10 s. Nothing here prints a credential: problems pass through redact().
import { formatBytes } from '../../backup/report.ts';
import { MinioAdminError, type MinioAdmin, type PoolStatus } from '../../minio/admin.ts';
import { PASSWORD_VARIABLE, USER_VARIABLE, redact } from '../../cluster/credentials.ts';
import { endpointsFromModel, formatHostPort } from '../../cluster/endpoints.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import type { DeployContext, PhaseResult } from '../runner/contract.ts';
import { passed, stopped } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { minioAdminFor } from '../operations/verifyUserAccount.ts';
import type { StepOf, StepRunner } from './types.ts';

/**
 * How long deploy waits for one pool (DeployOptions.decommissionTimeoutMs). A bound on the deploy, not on the
 * decommission: MinIO goes on by itself after a stop, and deploy run again waits on. 30 min keeps a CI job within
 * its limits while a pool of a few hundred GiB moves at LAN speed; a bigger pool takes several deploy runs.
 */
export const DECOMMISSION_TIMEOUT_MS = 30 * 60_000;
export const POLL_MS = 2_000;
export const PROGRESS_EVERY_MS = 10_000;
/** Status reads that may fail in a row (a MinIO node restarting behind the proxy) before the runner gives up. */
export const STATUS_ATTEMPTS = 3;
const LOCATE_MS = 5_000;
const ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/** The calls this step makes (MinioAdmin has them; a test may pass any object that does). */
export type PoolAdmin = Pick<MinioAdmin, 'decommissionStart' | 'decommissionStatus'>;

export type PoolState = 'idle' | 'running' | 'complete' | 'failed' | 'canceled';

/** What MinIO's answer says: the flags, else a start time that is not Go's zero time means running. */
export function poolState(status: PoolStatus): PoolState {
  const info = status.decommissionInfo;
  if (!info) return 'idle';
  if (info.complete) return 'complete';
  if (info.failed) return 'failed';
  if (info.canceled) return 'canceled';
  const started = Date.parse(info.startTime);
  return Number.isNaN(started) || started <= ZERO_TIME ? 'idle' : 'running';
}

export interface PoolFigures {
  bytesMoved: number;
  /** The pool's used space when the decommission started (usable capacity minus free): about what there is to move. */
  usedAtStart: number;
  /** Only releases after RELEASE.2023-03-20 count objects. */
  objects?: number;
  objectsFailed?: number;
  bytesFailed?: number;
}

/**
 * The figures of a status. RELEASE.2023-03-20 sends sizes only: startSize is the pool's free space at the start and
 * currentSize = startSize + bytes moved (cmd/erasure-server-pool-decom.go); later releases add the counts.
 */
export function poolFigures(status: PoolStatus): PoolFigures {
  const info = status.decommissionInfo;
  if (!info) return { bytesMoved: 0, usedAtStart: 0 };
  const started = info.startSize > 0;
  return {
    bytesMoved: info.bytesDecommissioned ?? (started ? Math.max(0, info.currentSize - info.startSize) : 0),
    usedAtStart: Math.max(0, info.totalSize - (started ? info.startSize : info.currentSize)),
    ...(info.objectsDecommissioned === undefined ? {} : { objects: info.objectsDecommissioned }),
    ...(info.objectsDecommissionedFailed ? { objectsFailed: info.objectsDecommissionedFailed } : {}),
    ...(info.bytesDecommissionedFailed ? { bytesFailed: info.bytesDecommissionedFailed } : {}),
  };
}

export type PoolAction = 'start' | 'wait' | 'done' | 'stop';

/**
 * The runner's decision on a status: on `entry` (the first read of this run) and while `waiting` for a decommission
 * this run started or found running. A pool read as idle while waiting is a MinIO node that has not reloaded the
 * pool's state yet (the proxy spreads the reads): waited on, within the timeout.
 */
export function nextAction(state: PoolState, moment: 'entry' | 'waiting'): PoolAction {
  switch (state) {
    case 'complete':
      return 'done';
    case 'running':
      return 'wait';
    case 'idle':
      return moment === 'entry' ? 'start' : 'wait';
    case 'failed':
    case 'canceled':
      return moment === 'entry' ? 'start' : 'stop';
  }
}

/** `8.2 MiB of about 1.1 GiB moved`, with objects when MinIO counts them. */
export function describeProgress(figures: PoolFigures): string {
  const objects = figures.objects === undefined ? '' : `, ${figures.objects} object${figures.objects === 1 ? '' : 's'}`;
  const failed = figures.objectsFailed || figures.bytesFailed ? `; failed: ${figures.objectsFailed ?? 0} objects, ${formatBytes(figures.bytesFailed ?? 0)}` : '';
  return `${formatBytes(figures.bytesMoved)} of about ${formatBytes(figures.usedAtStart)} moved${objects}${failed}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface PoolDecommissionDependencies {
  /** The admin client, or a one-line problem (default: root's pair, through the MinIO proxy swarm runs). */
  connect?: (step: StepOf<'minio-pool-decommission'>, context: DeployContext) => Promise<{ admin: PoolAdmin; through: string; notes: string[] } | { problem: string }>;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the timeout and the progress lines. */
  now?: () => number;
  pollMs?: number;
}

/** Signs as root through the S3 port of a node that runs the MinIO proxy (deploy's verify-user phase does the same). */
async function connectThroughProxy(step: StepOf<'minio-pool-decommission'>, context: DeployContext) {
  const root = context.options.minio?.root;
  if (!root) {
    const { rootUser, rootPassword } = context.model.minio.secrets;
    return {
      problem: `decommission of pool ${step.pool}: ${USER_VARIABLE}/${PASSWORD_VARIABLE} not set; MinIO's pool calls need the root pair: set both to the values of the swarm secrets ${rootUser}/${rootPassword} (deploy.yml sets them; --credentials FILE by hand)`,
    };
  }
  const located = await locateProxies(context.runner, context.model, endpointsFromModel(context.model), [], LOCATE_MS);
  return { admin: minioAdminFor(context.model, located.endpoints.s3, root), through: formatHostPort(located.endpoints.s3), notes: located.notes };
}

export function poolDecommissionRunner(dependencies: PoolDecommissionDependencies = {}): StepRunner<'minio-pool-decommission'> {
  const connect = dependencies.connect ?? connectThroughProxy;
  const sleep = dependencies.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = dependencies.now ?? (() => performance.now());
  const pollMs = dependencies.pollMs ?? POLL_MS;

  return async (step, context): Promise<PhaseResult> => {
    const { pool } = step;
    const secrets = [context.options.minio?.root?.accessKey, context.options.minio?.root?.secretKey];
    const resume = resumeDeploy(context.environment);
    const byHand = step.command ? ` (by hand: ${step.command})` : '';
    const stop = (problem: string, state: string, notes: string[] = []): PhaseResult =>
      stopped([redact(problem, secrets)], { notes, stopped: { state: `${state}; the stack was not deployed`, resume } });

    const connection = await connect(step, context);
    if ('problem' in connection) return stop(connection.problem, `pool ${pool} was not touched`);
    const { admin, through, notes } = connection;
    const what = `decommission of pool ${pool} (through ${through})`;

    let status: PoolStatus;
    try {
      status = await admin.decommissionStatus(pool);
    } catch (error) {
      return stop(`${what}: ${problemOf(error, context)}`, `pool ${pool} was not touched (its decommission state could not be read)`, notes);
    }
    const entry = poolState(status);
    if (nextAction(entry, 'entry') === 'done') {
      return passed({ notes: [...notes, `pool ${pool}: decommissioned already (complete since ${status.lastUpdate}): ${describeProgress(poolFigures(status))}`] });
    }

    const started = now();
    if (nextAction(entry, 'entry') === 'start') {
      try {
        await admin.decommissionStart(pool);
      } catch (error) {
        return stop(`${what}: start refused: ${problemOf(error, context)}${byHand}`, `pool ${pool} is not being decommissioned (MinIO refused the start)`, notes);
      }
      const again = entry === 'failed' || entry === 'canceled' ? ` again (it had ${entry === 'failed' ? 'failed' : 'been canceled'}; objects moved before stay moved)` : '';
      context.log(`pool ${pool}: decommission started${again}`);
      if (again) notes.push(`pool ${pool}: decommission started${again}`);
    } else {
      context.log(`pool ${pool}: decommission running already: waiting for it`);
    }

    return waitUntilComplete({ admin, pool, what, byHand, notes, started, status, stop, log: context.log, timeoutMs: context.options.decommissionTimeoutMs ?? DECOMMISSION_TIMEOUT_MS, sleep, now, pollMs, problemOf: (error) => problemOf(error, context) });
  };
}

interface DecommissionWait {
  admin: PoolAdmin;
  pool: string;
  /** `decommission of pool … (through HOST:PORT)`, the head of every problem line. */
  what: string;
  byHand: string;
  notes: string[];
  started: number;
  /** The status read before the start: the progress a stop reports when no later read succeeded. */
  status: PoolStatus;
  stop: (problem: string, state: string, notes?: string[]) => PhaseResult;
  log: (line: string) => void;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  pollMs: number;
  problemOf: (error: unknown) => string;
}

/**
 * Polls the pool's status until MinIO says complete (passed), failed or canceled (a stop), or the time is up (a stop:
 * MinIO goes on by itself and deploy run again waits on); a progress line at most every PROGRESS_EVERY_MS; a few
 * failed reads in a row (a node restarting behind the proxy) are tolerated.
 */
async function waitUntilComplete(wait: DecommissionWait): Promise<PhaseResult> {
  const { admin, pool, what, byHand, notes, started, stop, timeoutMs, sleep, now, pollMs } = wait;
  let lastProgress = Number.NEGATIVE_INFINITY;
  let failedReads = 0;
  let last = wait.status;
  for (;;) {
    await sleep(pollMs);
    try {
      last = await admin.decommissionStatus(pool);
      failedReads = 0;
    } catch (error) {
      failedReads += 1;
      if (failedReads >= STATUS_ATTEMPTS) {
        return stop(
          `${what}: ${STATUS_ATTEMPTS} status reads in a row failed, the last: ${wait.problemOf(error)}; MinIO goes on by itself: run deploy again to wait on`,
          `pool ${pool} is being decommissioned (${describeProgress(poolFigures(last))} when last read)`,
          notes,
        );
      }
      continue;
    }
    const state = poolState(last);
    const figures = poolFigures(last);
    const elapsed = now() - started;
    const action = nextAction(state, 'waiting');
    if (action === 'done') {
      return passed({ notes: [...notes, `pool ${pool} decommissioned in ${seconds(elapsed)}: ${describeProgress(figures)}`] });
    }
    if (action === 'stop') {
      return stop(
        `${what} ${state} after ${seconds(elapsed)} (${describeProgress(figures)}): MinIO's log on the node that ran it says why; fix that, then run deploy again, which starts it again${byHand}`,
        `the decommission of pool ${pool} ${state} (${describeProgress(figures)}); the pool keeps the rest, takes no new objects and serves reads`,
        notes,
      );
    }
    if (elapsed >= timeoutMs) {
      return stop(
        `${what}: not complete within ${seconds(timeoutMs)} (${describeProgress(figures)}); MinIO goes on by itself: run deploy again to wait on (or raise decommissionTimeoutMs)`,
        `pool ${pool} is being decommissioned: ${describeProgress(figures)}`,
        notes,
      );
    }
    if (elapsed - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = elapsed;
      wait.log(`pool ${pool}: decommissioning, ${describeProgress(figures)} in ${seconds(elapsed)}`);
    }
  }
}

export const runPoolDecommission: StepRunner<'minio-pool-decommission'> = poolDecommissionRunner();

/** One line an operator can act on. */
function problemOf(error: unknown, context: DeployContext): string {
  if (error instanceof MinioAdminError) {
    const { rootUser, rootPassword } = context.model.minio.secrets;
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied'].includes(error.code)) {
      return `${error.message} — ${USER_VARIABLE}/${PASSWORD_VARIABLE} must be the values of the swarm secrets ${rootUser}/${rootPassword}`;
    }
    if (error.code === 'XMinioAdminInvalidArgument' || error.code === 'NotImplemented') {
      return `${error.message} — MinIO runs no pool of exactly this server argument (or only one pool): its command line is not the deployed topology's; compare docker service inspect of a MinIO node with the plan`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
