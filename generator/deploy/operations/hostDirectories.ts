// Host preparation without ssh: each host's data directories are created by short swarm jobs pinned to that node
// (mode replicated-job), which bind-mount the directories' parent and run `mkdir -p -m MODE`. The parent must exist:
// on a real host it is the data volume's mount point (/mnt/data), and a job that cannot mount it fails instead of
// filling the root disk. Every job runs the topology's helper image (swarm.helperImage, a small pinned busybox),
// never a service's image: the upstream etcd image is distroless and has no mkdir. Modes are set on creation only;
// `rendered/<env>/prepare-hosts.sh` also fixes the modes of existing directories.
import { dockerDo, dockerLines } from '../../docker/calls.ts';
import { hostJobArgs, retriedNotes, runJobs } from '../../docker/jobs.ts';
import path from 'node:path';
import { pinnedHost } from '../../model/placement.ts';
import type { ClusterModel } from '../../model/types.ts';
import { swarmConstraints } from '../../render/swarmPlacement.ts';
import { hostPathProblem } from '../../topology/hostPaths.ts';
import { prepareJobName } from '../../topology/swarmNames.ts';
import type { DockerRunner } from '../../docker/runner.ts';

export const PREPARE_LABEL = 'io.milvus-swarm.prepare';
export const MOUNT_TARGET = '/milvus-swarm-host';

export interface PrepareJob {
  /** Swarm service name of the job. */
  name: string;
  /** The topology's host, or undefined for unpinned services (any node of a one-node swarm). */
  host?: string;
  constraints: string[];
  image: string;
  mode: string;
  parent: string;
  directories: string[];
  args: string[];
}

export type PrepareJobs = { ok: true; jobs: PrepareJob[] } | { ok: false; problems: string[] };

/** The deepest directory containing every path (each path's parent at least). */
export function commonParent(paths: readonly string[]): string {
  const split = paths.map((entry) => path.posix.dirname(entry).split('/').filter(Boolean));
  const first = split[0] ?? [];
  let depth = 0;
  while (depth < first.length && split.every((parts) => parts[depth] === first[depth])) depth++;
  return `/${first.slice(0, depth).join('/')}`;
}

/** One job per (node, mode): etcd data dirs 0700, MinIO drives 0755, all with the helper image. */
// ~65 lines: grouping by (node, mode) and naming the jobs share one map; split, each half would rebuild it.
export function prepareJobs(model: ClusterModel, runId: string): PrepareJobs {
  const modes = new Map(model.hostPreparation.flatMap((preparation) => preparation.directories.map((directory) => [directory.path, directory.mode])));
  const groups = new Map<string, Omit<PrepareJob, 'name' | 'parent' | 'args'>>();
  for (const service of model.services.filter((candidate) => candidate.stateful)) {
    for (const mount of service.mounts) {
      const mode = modes.get(mount.source) ?? '0755';
      const constraints = swarmConstraints(service.placement);
      const key = JSON.stringify([constraints, mode]);
      const group = groups.get(key) ?? { host: pinnedHost(service.placement), constraints, image: model.swarm.helperImage, mode, directories: [] };
      if (!group.directories.includes(mount.source)) group.directories.push(mount.source);
      groups.set(key, group);
    }
  }
  const problems: string[] = [];
  const jobs: PrepareJob[] = [];
  [...groups.values()].forEach((group, index) => {
    const parent = commonParent(group.directories);
    const where = group.host ?? 'any node';
    // The schema already refused such paths; a model built some other way must not put a "," into `--mount`.
    const unsafe = [parent, ...group.directories].map((directory) => [directory, hostPathProblem(directory)] as const).find(([, problem]) => problem);
    if (unsafe) {
      problems.push(`${where}: ${JSON.stringify(unsafe[0])}: ${unsafe[1]}`);
      return;
    }
    if (parent === '/') {
      problems.push(`${where}: ${group.directories.join(', ')} share no parent below /: deploy will not bind-mount the root; give them a common data directory in ${model.source}`);
      return;
    }
    const name = prepareJobName(model.stack, runId, index + 1);
    const inside = group.directories.map((directory) => path.posix.join(MOUNT_TARGET, path.posix.relative(parent, directory)));
    jobs.push({
      ...group,
      name,
      parent,
      args: [
        ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: group.constraints, registryAuth: true, resolveImage: model.swarm.resolveImage }),
        '--mount',
        `type=bind,source=${parent},target=${MOUNT_TARGET}`,
        '--entrypoint',
        'mkdir',
        group.image,
        '-p',
        '-m',
        group.mode,
        ...inside,
      ],
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, jobs };
}

/** Why a job failed, in what to do: the usual cause is a missing parent directory (no data volume mounted). */
export function explainJobFailure(job: PrepareJob, error: string): string {
  const where = job.host ?? 'any node';
  if (/bind source path does not exist|invalid mount config/i.test(error)) {
    return `${where}: ${job.parent} does not exist: mount the data volume there (or create it), then deploy again (${error})`;
  }
  if (/executable file not found|no such file or directory.*mkdir|"mkdir"/i.test(error)) {
    return `${where}: helper image ${job.image} has no mkdir: set swarm.helperImage to a busybox image (busybox:1.36.1), or run rendered/<env>/prepare-hosts.sh on the host (${error})`;
  }
  if (/No such image|pull access denied|manifest unknown/i.test(error)) return `${where}: image ${job.image} cannot be pulled on that node (${error})`;
  return `${where}: creating ${job.directories.join(', ')} failed: ${error}`;
}

export interface PrepareResult {
  problems: string[];
  /** One line per job for the log. */
  done: string[];
  /** Engine start failures a job was created again after. */
  notes: string[];
}

/** The jobs run (docker/jobs.ts), each bounded by timeoutMs, and removed whatever happened. */
export async function runPrepareJobs(runner: DockerRunner, jobs: readonly PrepareJob[], timeoutMs: number, pollMs = 1_000): Promise<PrepareResult> {
  const problems: string[] = [];
  const done: string[] = [];
  const notes: string[] = [];
  const runs = await runJobs(runner, jobs, timeoutMs, pollMs);
  for (const job of jobs) {
    const run = runs.get(job.name)!;
    const where = job.host ?? 'any node';
    notes.push(...retriedNotes(`${where}: host preparation`, run));
    if (run.state.kind === 'complete') done.push(`${where}: ${job.directories.length} directories under ${job.parent} (mode ${job.mode})`);
    else if (run.timedOut) problems.push(`${where}: host preparation did not finish within ${Math.round(timeoutMs / 1000)} s (pulling ${job.image}?): see \`docker service ps ${job.name}\``);
    else if (run.state.kind === 'failed') problems.push(explainJobFailure(job, run.state.error));
  }
  return { problems, done, notes };
}

/** Jobs left by a deploy that was killed: removed before new ones are created. */
export async function removeLeftoverJobs(runner: DockerRunner, stack: string): Promise<void> {
  const listed = await dockerLines(runner, ['service', 'ls', '--quiet', '--filter', `label=${PREPARE_LABEL}=${stack}`], { timeoutMs: 15_000 });
  // Best effort: a leftover job only takes a name nobody else uses; the new jobs have their own.
  if (listed.ok && listed.value.length > 0) await dockerDo(runner, ['service', 'rm', ...listed.value], { timeoutMs: 30_000 });
}
