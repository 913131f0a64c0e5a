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

export interface JobRun {
  state: JobState;
  /** What the job printed (`docker service logs --raw`), when it completed. */
  output: string;
}

/**
 * Creates a job from its `docker service create` arguments, waits until its task completes or fails (bounded), reads
 * what it printed, and removes it whatever happened (a job left by a killed run only takes a name nobody reuses).
 */
export async function runJob(runner: DockerRunner, name: string, args: readonly string[], timeoutMs: number, pollMs = 1_000): Promise<JobRun> {
  const created = await dockerDo(runner, args, { timeoutMs: 30_000 });
  if (!created.ok) return { state: { kind: 'failed', error: created.reason }, output: '' };
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const state = await jobState(runner, name);
      if (state.kind === 'complete') {
        const logs = await dockerValue(runner, ['service', 'logs', '--raw', name], (stdout) => stdout, { timeoutMs: 15_000 });
        return { state, output: logs.ok ? logs.value : '' };
      }
      if (state.kind === 'failed') return { state, output: '' };
      if (Date.now() + pollMs > deadline) return { state: { kind: 'failed', error: `did not finish within ${Math.round(timeoutMs / 1000)} s (docker service ps ${name})` }, output: '' };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    await dockerDo(runner, ['service', 'rm', name], { timeoutMs: 30_000 });
  }
}

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
