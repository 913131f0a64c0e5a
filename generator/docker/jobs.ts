// One-shot swarm jobs (mode replicated-job, restart none) pinned by constraints: how milvus-swarm reaches a host's disk
// without ssh (deploy's host preparation and data-dir set-aside, a restore's etcd members). The command head and the
// judgement of a job's tasks; what the job runs is its caller's.
import { dockerDo, dockerJson, dockerLines, dockerValue } from './calls.ts';
import type { DockerRunner } from './runner.ts';

/**
 * The head of every host job's `docker service create`: a one-shot replicated job on the nodes the constraints name,
 * labelled so it can be found and removed (host preparation here, the etcd restore in backup/swarmMembers.ts).
 */
export function hostJobArgs(job: { name: string; label: string; constraints: readonly string[]; registryAuth?: boolean; resolveImage?: 'always' | 'changed' | 'never' }): string[] {
  return [
    'service',
    'create',
    '--detach',
    '--quiet',
    '--name',
    job.name,
    '--mode',
    'replicated-job',
    '--restart-condition',
    'none',
    ...(job.registryAuth ? ['--with-registry-auth'] : []),
    // As the stack deploy does: `never` is for images that exist only on the nodes, where asking costs minutes.
    ...(job.resolveImage === 'never' ? ['--no-resolve-image'] : []),
    '--label',
    job.label,
    ...job.constraints.flatMap((constraint) => ['--constraint', constraint]),
  ];
}

export interface JobTask {
  state: string;
  error: string;
}

export type JobState = { kind: 'complete' } | { kind: 'running' } | { kind: 'failed'; error: string };

/** A replicated job of one task: complete, still going (new/pending/assigned/preparing/starting/running), or failed. */
export function judgeJobTasks(tasks: readonly JobTask[]): JobState {
  if (tasks.some((task) => task.state === 'complete')) return { kind: 'complete' };
  const failed = tasks.find((task) => ['failed', 'rejected', 'shutdown', 'orphaned', 'remove'].includes(task.state));
  if (failed) return { kind: 'failed', error: `${failed.state}: ${failed.error || 'no error given'}` };
  return { kind: 'running' };
}

/**
 * The engine failed to start a job's container for a cause of its own, before anything of the job ran: the remount of
 * the container's secrets tmpfs read-only fails with EBUSY (moby#48783, "more often with less free memory"; seen here
 * once in a loaded CI run, fetching a snapshot for a restore). Such a job is created again; any other failure is the
 * job's own (a missing mkdir, a bind source that does not exist) and final.
 */
export function engineStartGlitch(error: string): boolean {
  return /starting container failed/i.test(error) && /device or resource busy/i.test(error);
}

/** A job is created at most this often when the engine keeps failing to start its container. */
const START_ATTEMPTS = 3;

export interface HostJob {
  name: string;
  /** The whole `docker service create` (hostJobArgs and the job's own). */
  args: readonly string[];
}

export interface JobRun {
  state: JobState;
  /** What the job printed (`docker service logs --raw`): all of it when it completed, its last 3 lines when it failed. */
  output: string;
  /** Each engine start failure after which the job was created again (engineStartGlitch), for the caller's notes. */
  retried: string[];
  /** Still going when the wait ran out (state is then `failed`, saying so). */
  timedOut?: true;
}

/**
 * Creates the jobs, waits until each completes or fails (bounded by timeoutMs for all), reads what each printed, and
 * removes them whatever happened (a job left by a killed run only takes a name nobody reuses). A job whose container
 * the engine failed to start is removed and created again (engineStartGlitch).
 */
export async function runJobs(runner: DockerRunner, jobs: readonly HostJob[], timeoutMs: number, pollMs = 1_000): Promise<Map<string, JobRun>> {
  const runs = new Map<string, JobRun>();
  const created = new Set<string>();
  const retried = new Map<string, string[]>(jobs.map((job) => [job.name, []]));
  const create = async (job: HostJob): Promise<boolean> => {
    // Counted before the call: a create that timed out on our side may still have been made, and must be removed too.
    created.add(job.name);
    const made = await dockerDo(runner, job.args, { timeoutMs: 30_000 });
    if (!made.ok) runs.set(job.name, { state: { kind: 'failed', error: made.reason }, output: '', retried: retried.get(job.name)! });
    return made.ok;
  };
  const deadline = Date.now() + timeoutMs;
  try {
    const pending = new Set<HostJob>();
    for (const job of jobs) if (await create(job)) pending.add(job);
    while (pending.size > 0) {
      for (const job of [...pending]) {
        const state = await jobState(runner, job.name);
        if (state.kind === 'running') continue;
        const glitches = retried.get(job.name)!;
        if (state.kind === 'failed' && engineStartGlitch(state.error) && glitches.length < START_ATTEMPTS - 1) {
          // Created again only once the failed one is gone; else its failure stands (and the cleanup below tries again).
          const removed = await dockerDo(runner, ['service', 'rm', job.name], { timeoutMs: 30_000 });
          if (removed.ok) {
            glitches.push(state.error);
            created.delete(job.name);
            if (!(await create(job))) pending.delete(job);
            continue;
          }
        }
        pending.delete(job);
        const logs = await dockerValue(runner, ['service', 'logs', '--raw', ...(state.kind === 'failed' ? ['--tail', '3'] : []), job.name], (stdout) => stdout, { timeoutMs: 15_000 });
        runs.set(job.name, { state, output: logs.ok ? logs.value : '', retried: glitches });
      }
      if (pending.size === 0) break;
      if (Date.now() + pollMs > deadline) {
        for (const job of pending) runs.set(job.name, { state: { kind: 'failed', error: `did not finish within ${Math.round(timeoutMs / 1000)} s (docker service ps ${job.name})` }, output: '', retried: retried.get(job.name)!, timedOut: true });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    if (created.size > 0) await dockerDo(runner, ['service', 'rm', ...created], { timeoutMs: 30_000 });
  }
  return runs;
}

/** One job: runJobs for a single `docker service create`. */
export async function runJob(runner: DockerRunner, name: string, args: readonly string[], timeoutMs: number, pollMs = 1_000): Promise<JobRun> {
  return (await runJobs(runner, [{ name, args }], timeoutMs, pollMs)).get(name)!;
}

/** "etcd3's container failed to start (…), created it again": what a caller says of a job's engine start failures. */
export const retriedNotes = (what: string, run: JobRun): string[] =>
  run.retried.map((error) => `${what}: the engine failed to start its container (${error.slice(0, 200)}), so the job was created again`);

interface TaskInspect {
  Status: { State: string; Err?: string };
}

/** A job's state from its tasks. A look that fails counts as still running: the caller's own deadline ends the wait. */
export async function jobState(runner: DockerRunner, name: string): Promise<JobState> {
  const ids = await dockerLines(runner, ['service', 'ps', '--quiet', '--no-trunc', name], { timeoutMs: 15_000 });
  if (!ids.ok || ids.value.length === 0) return { kind: 'running' };
  const inspected = await dockerJson<TaskInspect[]>(runner, ['inspect', ...ids.value], { timeoutMs: 15_000 });
  if (!inspected.ok) return { kind: 'running' };
  return judgeJobTasks(inspected.value.map((task) => ({ state: task.Status.State, error: task.Status.Err ?? '' })));
}
