// `milvus-swarm deploy --env local` for real: preflight refusals change nothing (a missing secret, drifted rendered/ —
// both in scratch copies of the repository), host preparation through swarm jobs, convergence, the report table, the
// pruning of unused hashed configs and secrets, and the deployed-topology record the next deploy plans against.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../generator/docker/cli.ts';
import { dockerOk } from './support/docker.ts';
import { RECORD_KIND, RECORD_LABEL, STACK_LABEL } from '../../generator/deploy/operations/deployedTopology.ts';
import { PREPARE_LABEL, prepareJobs, runPrepareJobs } from '../../generator/deploy/operations/hostDirectories.ts';
import { VERIFY_CONTAINER_LABEL } from '../../generator/cluster/etcdctl.ts';
import { buildModel } from '../../generator/model/build.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { validateTopology } from '../../generator/topology/validate.ts';
import { processDocker } from '../../generator/docker/runner.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { containersOf, deployFromRepository, scale, swarmSnapshot } from './support/stack.ts';

let model: ClusterModel;
const scratches: Scratch[] = [];
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
});
afterAll(async () => {
  for (const scratch of scratches) await scratch.remove();
});

async function scratch(): Promise<Scratch> {
  const copy = await scratchRepository();
  scratches.push(copy);
  return copy;
}

const errors = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error: '));

describe('deploy preflight refuses, exit 1, before anything changes', () => {
  it('a secret the topology names that does not exist', async () => {
    const copy = await scratch();
    await copy.edit('environments/local.yaml', (text) => text.replace('rootPasswordSecret: milvus_minio_root_password', 'rootPasswordSecret: milvus_minio_root_password_e2e_missing'));
    await copy.render();
    const before = await swarmSnapshot(model);
    const result = await deployFromRepository(model, copy.root);
    expect(result.code).toBe(1);
    expect(errors(result.stderr)).toEqual([
      'error: secret milvus_minio_root_password_e2e_missing does not exist: create it with `printf \'%s\' "$VALUE" | docker secret create milvus_minio_root_password_e2e_missing -`',
    ]);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('deploy local: failed in preflight, nothing was changed (1 problem)');
    expect(result.stdout).toBe('');
    expect(await swarmSnapshot(model)).toEqual(before);
  });

  it('rendered/ that is not what the generator renders now (edited by hand)', async () => {
    const copy = await scratch();
    await copy.edit('rendered/local/nginx.conf', (text) => text.replace('worker_connections 4096;', 'worker_connections 8192;'));
    const before = await swarmSnapshot(model);
    const result = await deployFromRepository(model, copy.root);
    expect(result.code).toBe(1);
    expect(errors(result.stderr)).toEqual([
      'error: rendered/local/ is not what the generator renders now (nginx.conf changed): run `npx milvus-swarm render --env local` and commit rendered/local/',
    ]);
    expect(await swarmSnapshot(model)).toEqual(before);
  });
});

describe('host preparation through swarm jobs', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'milvus-e2e-hosts-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** The local topology with its data directories under `base`, as a model. */
  async function modelWithDataUnder(base: string): Promise<ClusterModel> {
    const text = (await readFile(path.join(REPO_ROOT, 'environments/local.yaml'), 'utf8')).replaceAll('/var/lib/milvus-swarm/local', base);
    const validated = validateTopology('environments/local.yaml', text);
    if (!validated.ok) throw new Error('the edited local topology is invalid');
    return buildModel('local', 'environments/local.yaml', validated.topology);
  }

  it('creates every data directory with its mode (etcd 0700, MinIO 0755) and removes the jobs', async () => {
    const base = path.join(root, 'present');
    // The parents are the data volumes' mount points: they must exist (deploy never creates them).
    for (const parent of ['etcd', 'minio']) await mkdir(path.join(base, parent), { recursive: true });
    const jobs = prepareJobs(await modelWithDataUnder(base), randomBytes(3).toString('hex'));
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    const prepared = await runPrepareJobs(processDocker, jobs.jobs, 120_000);
    expect(prepared.problems).toEqual([]);
    expect(prepared.done).toEqual([`any node: 3 directories under ${base}/etcd (mode 0700)`, `any node: 8 directories under ${base}/minio (mode 0755)`]);
    const mode = async (directory: string) => ((await stat(path.join(base, directory))).mode & 0o777).toString(8);
    expect(await mode('etcd/etcd2')).toBe('700');
    expect(await mode('minio/minio4/disk2')).toBe('755');
    const left = await dockerOk(['service', 'ls', '--quiet', '--filter', `label=${PREPARE_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(left.trim()).toBe('');
  });

  it('fails with what to do when a data volume is not mounted (the parent is missing)', async () => {
    const base = path.join(root, 'absent');
    const jobs = prepareJobs(await modelWithDataUnder(base), randomBytes(3).toString('hex'));
    if (!jobs.ok) throw new Error(jobs.problems.join('\n'));
    const prepared = await runPrepareJobs(processDocker, jobs.jobs, 120_000);
    expect(prepared.problems).toHaveLength(2);
    // The two jobs fail in whichever order swarm reports them.
    expect([...prepared.problems].sort()[0]).toMatch(new RegExp(`^any node: ${base}/etcd does not exist: mount the data volume there \\(or create it\\), then deploy again \\(.*bind source path does not exist`));
    const left = await dockerOk(['service', 'ls', '--quiet', '--filter', `label=${PREPARE_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(left.trim()).toBe('');
  });
});

describe('deploy --env local', () => {
  // A config of ours a template change left behind (the hashed scheme), and another team's unused config and secret
  // in the same stack namespace (the runbook's stack holds Milvus too): only the first is deploy's to remove.
  const unusedConfig = `milvus_nginx_conf_${randomBytes(6).toString('hex')}`;
  const foreignConfig = `milvus_e2e_foreign_${randomBytes(4).toString('hex')}`;
  const unusedSecret = `milvus_e2e_unused_${randomBytes(4).toString('hex')}`;
  let result: Awaited<ReturnType<typeof deployFromRepository>>;

  beforeAll(async () => {
    // Left over as a previous deploy leaves them: labelled with the stack's namespace, used by no service.
    for (const [kind, name] of [['config', unusedConfig], ['config', foreignConfig], ['secret', unusedSecret]] as const) {
      await dockerOk([kind, 'create', '--label', `com.docker.stack.namespace=${model.stack}`, name, '-'], { timeoutMs: 15_000, input: 'left over\n' });
    }
    // Something for deploy to converge: the etcd proxy scaled away, as an operator might have left it.
    await scale(model, model.etcd.proxy.name, 0);
    result = await deployFromRepository(model);
    log(`deploy --env local (etcd proxy back from 0): ${result.stderr.trim().split('\n').at(-1)} (process ${(result.elapsedMs / 1000).toFixed(1)} s)`);
  });
  afterAll(async () => {
    await docker(['config', 'rm', unusedConfig, foreignConfig], { timeoutMs: 15_000 });
    await docker(['secret', 'rm', unusedSecret], { timeoutMs: 15_000 });
  });

  it('converges, exit 0, and says how long each phase took', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect(await containersOf(model, model.etcd.proxy.name)).toHaveLength(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^deploy local: converged \(preflight \d+\.\d s, prepare \d+\.\d s, deploy \d+\.\d s, converge \d+\.\d s\)$/);
  });

  it('prepared the host directories through jobs and removed them', async () => {
    expect(result.stderr).toContain('prepared any node: 3 directories under /var/lib/milvus-swarm/local/etcd (mode 0700)');
    expect(result.stderr).toContain('prepared any node: 8 directories under /var/lib/milvus-swarm/local/minio (mode 0755)');
    const left = await dockerOk(['service', 'ls', '--quiet', '--filter', `label=${PREPARE_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(left.trim()).toBe('');
  });

  it('ran its etcdctl calls in one probe container on the stack\'s network, and removed it', async () => {
    // The failure budget before and after asks etcd: the answers came through the probe (docker exec), which is gone.
    expect(result.stderr).toMatch(/^failure budget after: etcd: 3 voting members, 3 answer, tolerates 1 more/m);
    const left = await dockerOk(['container', 'ls', '--all', '--quiet', '--filter', `label=${VERIFY_CONTAINER_LABEL}=${model.stack}`], { timeoutMs: 15_000 });
    expect(left.trim()).toBe('');
  });

  it('reports every service with image, replicas, placement and state, as a table on stdout', () => {
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+IMAGE\s+REPLICAS\s+PLACEMENT\s+STATE$/);
    const rows = lines.slice(1).map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual(
      model.services
        .map((service) => [`${model.stack}_${service.name}`, service.image, `${service.replicas}/${service.replicas}`, service.everyNode ? 'every node' : service.placement.kind === 'managers' ? 'managers' : 'any node', 'converged'])
        .sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it('removed its own unused nginx config, and nothing it did not render (another team\'s config and secret stay)', async () => {
    expect(result.stderr).toContain(`removed unused config ${unusedConfig}`);
    expect(result.stderr).not.toContain(foreignConfig);
    expect(result.stderr).not.toContain(unusedSecret);
    const configs = (await dockerOk(['config', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).split('\n').filter(Boolean);
    expect(configs).not.toContain(unusedConfig);
    expect(configs).toContain(foreignConfig);
    expect(configs).toContain((await readFile(path.join(REPO_ROOT, 'rendered/local/stack.yaml'), 'utf8')).match(/name: (milvus_nginx_conf_[0-9a-f]{12})/)![1]);
    const secrets = (await dockerOk(['secret', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).split('\n').filter(Boolean);
    expect(secrets).toContain(unusedSecret);
    // External secrets carry no stack namespace: never candidates.
    expect(secrets).toEqual(expect.arrayContaining(model.secrets.map((secret) => secret.name)));
  });

  it('recorded the deployed topology in the swarm: one record, which the next deploy plans against', async () => {
    const records = (await dockerOk(['config', 'ls', '--format', '{{.Name}}', '--filter', `label=${RECORD_LABEL}=${RECORD_KIND}`, '--filter', `label=${STACK_LABEL}=${model.stack}`], { timeoutMs: 15_000 }))
      .split('\n')
      .filter(Boolean);
    expect(records).toHaveLength(1);
    const text = await dockerOk(['config', 'inspect', '--format', '{{printf "%s" .Spec.Data}}', records[0]!], { timeoutMs: 15_000 });
    // docker ends its --format output with a newline of its own.
    expect(text.replace(/\n$/, '')).toBe(await readFile(path.join(REPO_ROOT, 'environments/local.yaml'), 'utf8'));
    const again = await deployFromRepository(model);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('plan against the deployed topology: no changes');
  });
});
