// Which data directories a host has already, in swarm's own words: a task running on a node with a bind mount of a
// directory proves the directory is there (swarm refuses to start a task whose bind source is missing: "invalid mount
// config for type "bind": bind source path does not exist"). Host preparation skips a host whose every directory is
// proven so: most deploys change a flag or a template, and seven short jobs (a container on each host) cost a deploy
// about 4 s on the staging swarm for directories that exist.
import { dockerLines, dockerValue, type DockerValue } from '../../docker/calls.ts';
import { parseNodeList, nodeOfHost } from '../../docker/swarm.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { PrepareJob } from './hostDirectories.ts';

interface TaskMounts {
  NodeID?: string;
  Status?: { State?: string };
  Spec?: { ContainerSpec?: { Mounts?: { Type?: string; Source?: string }[] | null } };
}

/** `docker inspect` of tasks: each node's bind sources that a task in state `running` mounts. */
export function parseMountedDirectories(stdout: string): Map<string, Set<string>> {
  const mounted = new Map<string, Set<string>>();
  for (const task of JSON.parse(stdout.trim() || '[]') as TaskMounts[]) {
    if (task.Status?.State !== 'running' || !task.NodeID) continue;
    const sources = mounted.get(task.NodeID) ?? new Set<string>();
    for (const mount of task.Spec?.ContainerSpec?.Mounts ?? []) if (mount.Type === 'bind' && mount.Source) sources.add(mount.Source);
    mounted.set(task.NodeID, sources);
  }
  return mounted;
}

/** The bind sources mounted by the stack's running tasks, by node id. */
export async function mountedDirectories(runner: DockerRunner, stack: string, timeoutMs: number): Promise<DockerValue<Map<string, Set<string>>>> {
  const ids = await dockerLines(runner, ['stack', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', stack], { timeoutMs });
  // No stack yet (a first deploy): nothing is proven, every job runs.
  if (!ids.ok) return /nothing found in stack/i.test(ids.error) ? { ok: true, value: new Map() } : ids;
  if (ids.value.length === 0) return { ok: true, value: new Map() };
  return dockerValue(runner, ['inspect', '--type', 'task', ...ids.value], parseMountedDirectories, { timeoutMs });
}

/**
 * The jobs still due, and those left out. A job is left out only when it is pinned to a host and a running task on
 * that host's node mounts every directory it would make; an unpinned job may run on any node, where a task elsewhere
 * proves nothing.
 */
export function jobsStillDue(
  jobs: readonly PrepareJob[],
  hosts: ClusterModel['hosts'],
  nodes: ReturnType<typeof parseNodeList>,
  mounted: ReadonlyMap<string, ReadonlySet<string>>,
): { due: PrepareJob[]; present: PrepareJob[] } {
  const due: PrepareJob[] = [];
  const present: PrepareJob[] = [];
  for (const job of jobs) {
    const host = job.host === undefined ? undefined : hosts.find((candidate) => candidate.name === job.host);
    const node = host ? nodeOfHost(host, nodes) : undefined;
    const sources = node ? mounted.get(node.id) : undefined;
    (job.host !== undefined && sources && job.directories.every((directory) => sources.has(directory)) ? present : due).push(job);
  }
  return { due, present };
}

/** The one line deploy prints for the jobs left out (none when every job ran). */
export function presentNote(present: readonly PrepareJob[]): string[] {
  if (present.length === 0) return [];
  const directories = present.reduce((sum, job) => sum + job.directories.length, 0);
  return [`host preparation: no job on ${present.map((job) => job.host).join(', ')}: ${present.length === 1 ? 'its' : 'their'} ${directories} data ${directories === 1 ? 'directory is' : 'directories are'} mounted by tasks running there`];
}

/** jobsStillDue against the live swarm; when the swarm cannot be read, every job is due (making a directory again is harmless). */
export async function dueJobs(runner: DockerRunner, model: ClusterModel, jobs: readonly PrepareJob[], timeoutMs = 20_000): Promise<{ due: PrepareJob[]; present: PrepareJob[] }> {
  if (!jobs.some((job) => job.host !== undefined)) return { due: [...jobs], present: [] };
  const [nodes, mounted] = await Promise.all([dockerValue(runner, ['node', 'ls', '--format', '{{json .}}'], parseNodeList, { timeoutMs }), mountedDirectories(runner, model.stack, timeoutMs)]);
  if (!nodes.ok || !mounted.ok) return { due: [...jobs], present: [] };
  return jobsStillDue(jobs, model.hosts, nodes.value, mounted.value);
}
