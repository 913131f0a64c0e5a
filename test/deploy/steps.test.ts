// The deploy steps' pure parts: host preparation jobs, the deployed-topology record, the plan gate, pruning, the report.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskFailures, type ServiceState, type TaskFailure } from '../../generator/deploy/operations/convergence.ts';
import { convergeNextStep } from '../../generator/deploy/moves/stackWait.ts';
import { latestRecord, recordCreateArgs, recordName } from '../../generator/deploy/operations/deployedTopology.ts';
import { judgePlan, planAgainstDeployed } from '../../generator/deploy/operations/planGate.ts';
import { commonParent, explainJobFailure, prepareJobs } from '../../generator/deploy/operations/hostDirectories.ts';
import { judgeJobTasks } from '../../generator/docker/jobs.ts';
import { formatReportMarkdown, formatReportText } from '../../generator/deploy/report.ts';
import { placementNames, reportRows } from '../../generator/deploy/operations/serviceRows.ts';
import { deployStack } from '../../generator/deploy/operations/deployStackFile.ts';
import { validateTopology } from '../../generator/topology/validate.ts';
import { baseTopology } from '../unit/support.ts';
import { frozenText } from '../frozen.ts';
import { failed, frozenModel, ok, repoRoot, scriptedDocker, topologyModel } from './support.ts';

describe('host preparation jobs', () => {
  it('production: one job per host, pinned by node id, mounting the data volume /mnt/data, with the helper image', async () => {
    const jobs = prepareJobs(frozenModel('production'), 'r1');
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    expect(jobs.jobs.map((job) => [job.host, job.parent, job.mode, job.directories])).toEqual([
      ['gp22aitppapcsve', '/mnt/data', '0700', ['/mnt/data/etcd']],
      ['gp22aitppap92xg', '/mnt/data', '0700', ['/mnt/data/etcd']],
      ['gp22aitppapch5z', '/mnt/data', '0700', ['/mnt/data/etcd']],
      ['gp22aitppapwc2g', '/mnt/data', '0755', ['/mnt/data/disk1', '/mnt/data/disk2']],
      ['gp22aitppapxpeg', '/mnt/data', '0755', ['/mnt/data/disk1', '/mnt/data/disk2']],
      ['gp22aitppap7keb', '/mnt/data', '0755', ['/mnt/data/disk1', '/mnt/data/disk2']],
      ['gp22aitppapnch3', '/mnt/data', '0755', ['/mnt/data/disk1', '/mnt/data/disk2']],
    ]);
    expect(jobs.jobs[3]!.args).toEqual([
      'service', 'create', '--detach', '--quiet', '--name', 'milvus-prepare-r1-4', '--mode', 'replicated-job', '--restart-condition', 'none',
      '--with-registry-auth', '--label', 'io.milvus-swarm.prepare=milvus', '--constraint', 'node.id == w9qfcpvtfstnxsudcom2wj6ii',
      '--mount', 'type=bind,source=/mnt/data,target=/milvus-swarm-host', '--entrypoint', 'mkdir', 'busybox:1.36.1',
      '-p', '-m', '0755', '/milvus-swarm-host/disk1', '/milvus-swarm-host/disk2',
    ]);
  });

  it('local: unpinned, one job per mode under each kind\'s common parent, never a service image (etcd\'s has no mkdir)', async () => {
    const jobs = prepareJobs(frozenModel('local'), 'r1');
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    expect(jobs.jobs.map((job) => [job.constraints, job.image, job.parent, job.directories.length])).toEqual([
      [[], 'busybox:1.36.1', '/var/lib/milvus-swarm/local/etcd', 3],
      [[], 'busybox:1.36.1', '/var/lib/milvus-swarm/local/minio', 8],
    ]);
    // Images that exist only on the nodes: no registry is asked for a digest (it costs minutes without a route out).
    expect(jobs.jobs[0]!.args).toContain('--no-resolve-image');
  });

  it('places a labelled host\'s job by its labels, as the stack places its services', async () => {
    const labelled = frozenText('production').replace('roles: [zk1, etcd1] }', 'roles: [zk1, etcd1], labels: { zk1: "true" } }');
    const jobs = prepareJobs(topologyModel(labelled, 'production'), 'r1');
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    expect(jobs.jobs[0]).toMatchObject({ host: 'gp22aitppapcsve', constraints: ['node.labels.zk1 == true'] });
    expect(jobs.jobs[0]!.args).not.toContain('--no-resolve-image');
  });

  it('never bind-mounts the root', async () => {
    const model = frozenModel('local');
    const rooted = { ...model, services: model.services.map((service) => (service.role === 'etcd-member' ? { ...service, mounts: [{ source: `/${service.name}`, target: '/var/lib/etcd' }] } : service)) };
    const jobs = prepareJobs(rooted, 'r1');
    expect(jobs.ok).toBe(false);
    expect(!jobs.ok && jobs.problems[0]).toMatch(/share no parent below \/: deploy will not bind-mount the root/);
    expect(commonParent(['/a/b/c', '/a/b/d/e'])).toBe('/a/b');
    expect(commonParent(['/mnt/data/etcd'])).toBe('/mnt/data');
  });

  it('judges a job by its task and explains the usual failure', () => {
    expect(judgeJobTasks([{ state: 'complete', error: '' }])).toEqual({ kind: 'complete' });
    expect(judgeJobTasks([{ state: 'preparing', error: '' }])).toEqual({ kind: 'running' });
    expect(judgeJobTasks([{ state: 'rejected', error: 'invalid mount config for type "bind": bind source path does not exist: /mnt/data' }]).kind).toBe('failed');
    const job = { name: 'j', host: 'h1', constraints: [], image: 'minio:v23.03', mode: '0755', parent: '/mnt/data', directories: ['/mnt/data/disk1'], args: [] };
    expect(explainJobFailure(job, 'invalid mount config for type "bind": bind source path does not exist: /mnt/data')).toMatch(/^h1: \/mnt\/data does not exist: mount the data volume there/);
  });
});

describe('the deployed-topology record', () => {
  const text = frozenText('local');

  it('is a config named by content hash, labelled for the stack, with the text on stdin', () => {
    expect(recordName('milvus', text)).toMatch(/^milvus_topology_[0-9a-f]{12}$/);
    expect(recordName('milvus', `${text}\n`)).not.toBe(recordName('milvus', text));
    const args = recordCreateArgs('milvus', 'local', text, new Date('2026-01-02T03:04:05Z'), 'abc123');
    expect(args).toEqual([
      'config', 'create', '--label', 'io.milvus-swarm.record=deployed-topology', '--label', 'io.milvus-swarm.stack=milvus', '--label', 'io.milvus-swarm.environment=local',
      '--label', 'io.milvus-swarm.deployed-at=2026-01-02T03:04:05.000Z', '--label', 'io.milvus-swarm.commit=abc123', recordName('milvus', text), '-',
    ]);
  });

  it('reads the newest record from `docker config inspect`', () => {
    const config = (name: string, at: string, body: string) => ({
      Spec: { Name: name, Labels: { 'io.milvus-swarm.record': 'deployed-topology', 'io.milvus-swarm.environment': 'local', 'io.milvus-swarm.deployed-at': at }, Data: Buffer.from(body).toString('base64') },
    });
    expect(latestRecord([config('a', '2026-01-01T00:00:00Z', 'old'), config('b', '2026-02-01T00:00:00Z', 'new')])).toMatchObject({ name: 'b', text: 'new' });
    expect(latestRecord([])).toBeUndefined();
  });
});

describe('the plan gate', () => {
  const topology = (text: string) => {
    const result = validateTopology('environments/production.yaml', text);
    if (!result.ok) throw new Error('invalid');
    return result.topology;
  };
  const production = frozenText('production');

  it('refuses a destructive change nobody acknowledged, with the id to acknowledge (real plan library)', () => {
    const changed = production.replace('/mnt/data/disk1, /mnt/data/disk2]', '/mnt/data/disk1, /mnt/data/disk3]');
    expect(changed).not.toBe(production);
    const verdict = judgePlan({ kind: 'planned', changes: planAgainstDeployed(topology(production), topology(changed), 'production') }, 'production');
    expect(verdict.problems.length).toBeGreaterThan(0);
    expect(verdict.problems[0]).toMatch(/^plan: \S+ is destructive: .* add "\S+" under acknowledge: in environments\/production.yaml$/);
  });

  it('lets an unchanged topology, a first deploy and an acknowledged change through', () => {
    expect(judgePlan({ kind: 'planned', changes: planAgainstDeployed(topology(production), topology(production), 'production') }, 'production')).toEqual({
      problems: [],
      notes: ['plan against the deployed topology: no changes'],
    });
    expect(judgePlan({ kind: 'first-deploy' }, 'local').problems).toEqual([]);
    const acknowledged = { id: 'x:y', class: 'destructive' as const, what: 'w', why: 'y', acknowledged: true };
    expect(judgePlan({ kind: 'planned', changes: [acknowledged] }, 'local')).toMatchObject({ problems: [], notes: [expect.any(String), 'plan: x:y is destructive and acknowledged: deploying it'] });
  });
});

describe('pruning and the report', () => {
  it('tables services, image, replicas, placement and state', () => {
    const services: ServiceState[] = [
      { name: 'milvus_etcd1', id: '1', image: 'etcd:v3.5.5', mode: 'replicated', desired: 1, running: 1, settled: 1, constraints: ['node.id == feat9cenkv7h5itauklaueqp6'] },
      { name: 'milvus_minio-proxy', id: '2', image: 'nginx:v1.22.1', mode: 'replicated', desired: 2, running: 1, settled: 0, constraints: ['node.role == manager'], updateState: 'updating' },
    ];
    const rows = reportRows(services, new Map([['node.id == feat9cenkv7h5itauklaueqp6', 'host gp22aitppapcsve'], ['node.role == manager', 'managers']]));
    expect(formatReportText(rows).split('\n')).toEqual([
      'SERVICE             IMAGE          REPLICAS  PLACEMENT             STATE',
      'milvus_etcd1        etcd:v3.5.5    1/1       host gp22aitppapcsve  converged',
      'milvus_minio-proxy  nginx:v1.22.1  1/2       managers              1/2 running (0 settled), update updating',
    ]);
    expect(formatReportMarkdown(rows)).toContain('| milvus_etcd1 | etcd:v3.5.5 | 1/1 | host gp22aitppapcsve | converged |');
  });

  it('names the model\'s placements (a host by node id or hostname, the managers) and shows other constraints as they are', () => {
    const names = placementNames(topologyModel(baseTopology));
    const running = (name: string, constraints: string[]): ServiceState => ({ name, id: name, image: 'i', mode: 'replicated', desired: 1, running: 1, settled: 1, constraints });
    const rows = reportRows(
      [
        running('milvus_etcd1', ['node.id == aaaaaaaaaaaaaaaaaaaaaaaaa']),
        running('milvus_etcd2', ['node.hostname == host-b']),
        running('milvus_minio-proxy', ['node.role == manager']),
        running('milvus_other', ['node.hostname == elsewhere', 'node.role == worker']),
        running('milvus_anywhere', []),
      ],
      names,
    );
    expect(rows.map((row) => row.placement)).toEqual(['host host-a', 'host host-b', 'managers', 'node.hostname==elsewhere, node.role==worker', 'any node']);
  });
});

describe('docker stack deploy', () => {
  it('passes the compose file by absolute path, since it runs in the file\'s folder (the action\'s root is ".")', async () => {
    const cwd: (string | undefined)[] = [];
    const docker = scriptedDocker([['stack deploy', ok('')]]);
    const recording: typeof docker = Object.assign(async (args: readonly string[], options?: { cwd?: string }) => {
      cwd.push(options?.cwd);
      return docker(args);
    }, { calls: docker.calls });
    const relative = path.relative(process.cwd(), path.join(repoRoot, 'rendered/local/stack.yaml'));
    const deployed = await deployStack({ composeFile: relative, stack: 'milvus', timeoutMs: 1_000, resolveImage: 'never', runner: recording });
    expect(deployed.ok).toBe(true);
    const absolute = path.join(repoRoot, 'rendered/local/stack.yaml');
    expect(docker.calls).toEqual([`stack deploy --compose-file ${absolute} --with-registry-auth --detach=true --resolve-image never milvus`]);
    expect(cwd).toEqual([path.dirname(absolute)]);
  });

  it('takes --resolve-image from the topology: never for imported images (local), the registry otherwise', async () => {
    expect(frozenModel('local').swarm.resolveImage).toBe('never');
    expect(frozenModel('production').swarm.resolveImage).toBe('always');
  });
});

describe('a failed convergence says what to do next', () => {
  const failure = (service: string, task: string): TaskFailure => ({ service, task, node: 'vm', desiredState: 'shutdown', currentState: 'rejected', error: 'No such image: nginx:v0' });
  const failed = (failures: TaskFailure[]) => ({ ok: false as const, reason: 'rolled-back' as const, message: 'x', elapsedMs: 1, services: [], failures });

  it('points at the failing services\' logs, first one by name, and says a rolled-back service still runs', () => {
    expect(convergeNextStep('milvus', failed([failure('milvus_minio-proxy', 'a'), failure('milvus_etcd1', 'b'), failure('milvus_minio-proxy', 'c')]))).toBe(
      'the task errors follow; `docker service logs --tail 50 milvus_etcd1` (and milvus_minio-proxy) shows why; fix the topology or the image and deploy again (a rolled-back service keeps running its previous spec)',
    );
  });

  it('points at the stack\'s tasks when no task failed (a timeout while tasks are pending)', () => {
    expect(convergeNextStep('milvus', failed([]))).toMatch(/^`docker stack ps --no-trunc milvus` shows the tasks; fix the topology/);
  });
});

describe('the task errors a failed convergence reports', () => {
  // `docker service ps --no-trunc --format '{{json .}}'` and the task times, as engine 20.10 printed them.
  const ps = [
    '{"CurrentState":"Rejected 3 seconds ago","DesiredState":"Shutdown","Error":"\\"No such image: nginx:v0.0.0-e2e-missing\\"","ID":"56xq4e8ldyseodtmfvbdcqm6d","Image":"nginx:v0.0.0-e2e-missing","Name":"milvus_minio-proxy.1","Node":"vm","Ports":""}',
    '{"CurrentState":"Running 2 minutes ago","DesiredState":"Running","Error":"","ID":"ss3zbmm9b4r16c49fy1utq7k3","Image":"nginx:v1.22.1","Name":"milvus_minio-proxy.1","Node":"vm","Ports":"*:9090->9090/tcp"}',
    '{"CurrentState":"Failed 2 minutes ago","DesiredState":"Shutdown","Error":"\\"task: non-zero exit (1)\\"","ID":"4fh1mtliyomki4alejsvk0aw4","Image":"nginx:v1.22.1","Name":"milvus_minio-proxy.1","Node":"vm","Ports":""}',
  ].join('\n');
  const times = '56xq4e8ldyseodtmfvbdcqm6d 2026-11-26T10:27:40.120Z\n4fh1mtliyomki4alejsvk0aw4 2026-11-26T10:25:31.489Z\n';
  const docker = () => scriptedDocker([['service ps', ok(ps)], ['inspect', ok(times)]]);
  const service = [{ name: 'milvus_minio-proxy', id: 'svc1' }];

  it('are only those of tasks that changed since the deploy began, unquoted', async () => {
    const runner = docker();
    const failures = await taskFailures(service, runner, Date.parse('2026-11-26T10:27:30Z'));
    expect(failures.map((failure) => [failure.task, failure.error])).toEqual([['56xq4e8ldyseodtmfvbdcqm6d', 'No such image: nginx:v0.0.0-e2e-missing']]);
    expect(runner.calls).toContainEqual(expect.stringMatching(/^inspect --format .+ 56xq4e8ldyseodtmfvbdcqm6d 4fh1mtliyomki4alejsvk0aw4$/));
  });

  it("carry the newest failed task's last log lines, which say why (a CI log cannot ask the swarm afterwards)", async () => {
    const words = 'nginx-start: minio5 does not resolve after 40 s; starting nginx anyway\nnginx: [emerg] host not found in upstream "minio5:9000" in /etc/nginx/nginx.conf:31\n';
    const runner = scriptedDocker([['service ps', ok(ps)], ['inspect', ok(times)], ['service logs', ok(words)]]);
    const failures = await taskFailures(service, runner, Date.parse('2026-11-26T10:27:30Z'));
    expect(failures.map((failure) => failure.error)).toEqual([
      'No such image: nginx:v0.0.0-e2e-missing; its last lines: nginx-start: minio5 does not resolve after 40 s; starting nginx anyway | nginx: [emerg] host not found in upstream "minio5:9000" in /etc/nginx/nginx.conf:31',
    ]);
    expect(runner.calls).toContain('service logs --raw --no-task-ids --tail 3 56xq4e8ldyseodtmfvbdcqm6d');
  });

  it('keep a task whose time cannot be read, and every error when no start is given', async () => {
    const unreadable = scriptedDocker([['service ps', ok(ps)], ['inspect', failed('Error: No such object: 4fh1mtliyomki4alejsvk0aw4')]]);
    expect((await taskFailures(service, unreadable, Date.parse('2026-11-26T10:27:30Z'))).map((failure) => failure.task)).toEqual(['56xq4e8ldyseodtmfvbdcqm6d', '4fh1mtliyomki4alejsvk0aw4']);
    expect((await taskFailures(service, docker())).map((failure) => failure.error)).toEqual(['No such image: nginx:v0.0.0-e2e-missing', 'task: non-zero exit (1)']);
  });
});
