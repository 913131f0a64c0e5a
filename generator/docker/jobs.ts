// One-shot swarm jobs (mode replicated-job, restart none) pinned by constraints: how milvus-swarm reaches a host's disk
// without ssh (deploy's host preparation and data-dir set-aside, a restore's etcd members). The command head and the
// judgement of a job's tasks; what the job runs is its caller's.

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
