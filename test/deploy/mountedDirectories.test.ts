// Host preparation leaves out a host whose directories running tasks mount already: the parser on real `docker inspect`
// output of staging's tasks (etcd1 on stg-etcd1, minio1 on stg-minio1, a load balancer task on stg-mgr2) and
// `docker node ls` of the same swarm, and the rule that decides which jobs still run.
import { describe, expect, it } from 'vitest';
import { prepareJobs } from '../../generator/deploy/operations/hostDirectories.ts';
import { dueJobs, jobsStillDue, parseMountedDirectories, presentNote } from '../../generator/deploy/operations/mountedDirectories.ts';
import { parseNodeList } from '../../generator/docker/swarm.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { failed, fixture, frozenModel, ok, repoRoot, scriptedDocker, topologyModel } from './support.ts';

const tasks = fixture('staging-tasks-inspect.json');
const nodes = parseNodeList(fixture('staging-node-ls.jsonl'));
const STG_ETCD1 = 'jt3wjwdtlw97d7f2hmm8ice8z';
const STG_MINIO1 = '505lmwmvgcu09y7jtuto1ydhj';
// The swarm the fixtures come from runs environments/staging.yaml.
const staging = topologyModel(readFileSync(path.join(repoRoot, 'environments/staging.yaml'), 'utf8'), 'staging');

function stagingJobs() {
  const jobs = prepareJobs(staging, 'r1');
  if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
  return jobs.jobs;
}

describe('directories mounted by running tasks', () => {
  it('reads each node\'s bind sources from real task output; a node whose task mounts nothing has none', () => {
    const mounted = parseMountedDirectories(tasks);
    expect(mounted.get(STG_ETCD1)).toEqual(new Set(['/mnt/data/etcd']));
    expect(mounted.get(STG_MINIO1)).toEqual(new Set(['/mnt/data/disk1', '/mnt/data/disk2']));
    expect([...mounted.values()].map((sources) => sources.size).sort()).toEqual([0, 1, 2]);
  });

  it('a task that is not running proves nothing (it may be failing on that very mount)', () => {
    const starting = (JSON.parse(tasks) as { Status: { State: string } }[]).map((task) => ({ ...task, Status: { ...task.Status, State: 'starting' } }));
    expect(parseMountedDirectories(JSON.stringify(starting)).size).toBe(0);
  });

  it('leaves out only the hosts whose every directory is mounted there: stg-etcd1 and stg-minio1, not the other five', () => {
    const { due, present } = jobsStillDue(stagingJobs(), staging.hosts, nodes, parseMountedDirectories(tasks));
    expect(due.map((job) => job.host)).toEqual(['stg-etcd2', 'stg-etcd3', 'stg-minio2', 'stg-minio3', 'stg-minio4']);
    expect(present.map((job) => job.host)).toEqual(['stg-etcd1', 'stg-minio1']);
    expect(presentNote(present)).toEqual(['host preparation: no job on stg-etcd1, stg-minio1: their 3 data directories are mounted by tasks running there']);
    expect(presentNote(present.slice(0, 1))).toEqual(['host preparation: no job on stg-etcd1: its 1 data directory is mounted by tasks running there']);
    expect(presentNote([])).toEqual([]);
  });

  it('a directory the running task does not mount (a drive added) keeps the host\'s job', () => {
    const mounted = new Map([[STG_MINIO1, new Set(['/mnt/data/disk1'])]]);
    expect(jobsStillDue(stagingJobs(), staging.hosts, nodes, mounted).due.map((job) => job.host)).toContain('stg-minio1');
  });

  it('the same directory mounted on another node proves nothing for this host (a member moved: its new host has no data dir)', () => {
    const mounted = new Map([[STG_MINIO1, new Set(['/mnt/data/etcd'])]]);
    expect(jobsStillDue(stagingJobs(), staging.hosts, nodes, mounted).present).toEqual([]);
  });

  it('unpinned jobs (local) always run: a task on one node says nothing of another the job could land on', async () => {
    const jobs = prepareJobs(frozenModel('local'), 'r1');
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    const docker = scriptedDocker([]);
    expect((await dueJobs(docker, frozenModel('local'), jobs.jobs)).due).toHaveLength(jobs.jobs.length);
    expect(docker.calls).toEqual([]);
  });

  it('a swarm that cannot be read, or a stack not deployed yet, leaves every job due', async () => {
    const unreadable = scriptedDocker([['node ls', failed('Error response from daemon: This node is not a swarm manager.')], ['stack ps', ok('')]]);
    expect((await dueJobs(unreadable, staging, stagingJobs())).due).toHaveLength(7);
    const first = scriptedDocker([['node ls', ok(fixture('staging-node-ls.jsonl'))], ['stack ps', failed('nothing found in stack: milvus')]]);
    expect(await dueJobs(first, staging, stagingJobs())).toEqual({ due: stagingJobs(), present: [] });
  });
});
