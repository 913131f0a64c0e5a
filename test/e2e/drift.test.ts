// Hand edits on a manager (issue 20): an image, a replica count and an environment variable changed with `docker
// service update`, as an operator would. `diff` reports each (exit 1), the scheduled drift workflow goes red under act
// with the table in its job summary, and the next deploy names the edits it reverts — after which diff is in sync.
// Issue 25: the red drift run opens the environment's drift issue with the table, and drift.yml green again closes it
// (against a FAKE GitHub API server this test runs, test/actions/fakeGitHub.ts: GitHub cannot be reached here).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../actions/fakeGitHub.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { readDeployedTopology, STACK_RECORD_KIND } from '../../generator/deploy/operations/deployedTopology.ts';
import { processDocker } from '../../generator/docker/runner.ts';
import { envFile } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { runWorkflow, tail } from './support/act.ts';
import { milvusSwarm } from './support/cli.ts';
import { dockerOk } from './support/docker.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { deployFromRepository, restoreByDeploy } from './support/stack.ts';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
const HAND_IMAGE = 'nginx:1.22.1-hand-edit';

let model: ClusterModel;
let repository: Scratch;
let github: FakeGitHub;
let secrets: string;
const TOKEN = 'ghs_fake-token-for-the-fake-api';

/** drift.yml under act with the job's token, its API the fake one. */
const drift = () =>
  runWorkflow('drift.yml', { cwd: repository.root, inputs: { environment: 'local' }, env: { GITHUB_API_URL: github.url }, secretFile: path.join(secrets, 'secrets.env'), timeoutMs: 5 * 60_000 });
const driftIssues = () => github.issues.filter((issue) => issue.body.startsWith('<!-- milvus-swarm:drift:local -->'));

interface DiffJson {
  inSync: boolean;
  services: { service: string; state: string; deploy: string; differences: { field: string; live: string; rendered: string }[] }[];
}

async function diff(): Promise<{ code: number; report: DiffJson; ms: number }> {
  const result = await milvusSwarm(['diff', '--env', 'local', '--json'], { timeoutMs: 60_000 });
  return { code: result.code, report: JSON.parse(result.stdout) as DiffJson, ms: result.elapsedMs };
}

beforeAll(async () => {
  model = await loadModel();
  // Hand edits are named against the stack file the last successful deploy recorded: a stack brought up by other
  // means (the harness's own `docker stack deploy`) has none.
  if (!(await readDeployedTopology(processDocker, model.stack, STACK_RECORD_KIND).then((record) => record.ok && record.value))) await restoreByDeploy(model);
  await waitUntilReady(model, 120_000);
  repository = await scratchRepository({ forAct: true });
  github = await startFakeGitHub({ token: TOKEN });
  secrets = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-act-secrets-'));
  // diff needs no credential: the job's token is its only secret.
  await writeFile(path.join(secrets, 'secrets.env'), `GITHUB_TOKEN=${TOKEN}\n`, { mode: 0o600 });
});

afterAll(async () => {
  const after = await diff().catch(() => undefined);
  if (!after || after.code !== 0) await restoreByDeploy(model);
  await dockerOk(['image', 'rm', HAND_IMAGE], { timeoutMs: 30_000 }).catch(() => undefined);
  await repository?.remove();
  await github?.close();
  if (secrets) await rm(secrets, { recursive: true, force: true });
});

describe('hand edits', () => {
  it('a converged stack: diff exits 0, in sync', async () => {
    const { code, report, ms } = await diff();
    log(`diff --env local on a converged stack: ${(ms / 1000).toFixed(2)} s`);
    expect(report.services.filter((service) => service.state !== 'in-sync')).toEqual([]);
    expect(code).toBe(0);
  });

  it('an image, a replica count and an environment variable changed by hand: diff reports each, exit 1', async () => {
    await dockerOk(['tag', model.minio.proxy.image, HAND_IMAGE], { timeoutMs: 30_000 });
    const proxy = `${model.stack}_${model.minio.proxy.name}`;
    await dockerOk(['service', 'update', '--detach', '--quiet', '--no-resolve-image', '--image', HAND_IMAGE, '--env-add', 'HAND_EDIT=on-a-manager', proxy], { timeoutMs: 60_000 });
    await dockerOk(['service', 'update', '--detach', '--quiet', '--replicas', '0', `${model.stack}_${model.etcd.proxy.name}`], { timeoutMs: 60_000 });
    const { code, report } = await diff();
    expect(code).toBe(1);
    const differing = Object.fromEntries(report.services.filter((service) => service.state !== 'in-sync').map((service) => [service.service, service.differences.map((difference) => `${difference.field}: ${difference.live} → ${difference.rendered}`)]));
    expect(differing).toEqual({
      [model.etcd.proxy.name]: ['replicas: 0 → 1'],
      [model.minio.proxy.name]: [`image: ${HAND_IMAGE} → ${model.minio.proxy.image}`, 'environment HAND_EDIT: on-a-manager → (not set)'],
    });
  });

  it('drift.yml under act goes red, the edits in its job summary and in the drift issue it opens', async () => {
    const run = await drift();
    log(`act drift.yml: ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.jobResult, tail(run)).toBe('failure');
    const summary = run.summaries.get('diff') ?? '';
    expect(summary, tail(run)).toContain('## diff local: 2 of 10 services differ');
    expect(summary).toContain(`image: ${HAND_IMAGE} → ${model.minio.proxy.image}`);
    expect(summary).toContain('environment HAND_EDIT: on-a-manager → (not set)');
    expect(summary).toContain('| etcd-proxy | differs | scale it from 0 to 1 task |');
    expect(driftIssues()).toHaveLength(1);
    const [issue] = driftIssues();
    expect(issue).toMatchObject({ title: 'local has drifted from rendered/local/', state: 'open' });
    expect(issue!.body).toContain('**diff local: 2 of 10 services differ**');
    expect(issue!.body).toContain(`image: ${HAND_IMAGE} → ${model.minio.proxy.image}`);
    expect(issue!.body).toContain('| etcd-proxy | differs | scale it from 0 to 1 task |');
  });

  it('the next deploy names each edit it reverts; diff is in sync after it', async () => {
    const deployed = await deployFromRepository(model, undefined, '--credentials', envFile('local'));
    expect(deployed.code, deployed.stderr).toBe(0);
    const reverted = deployed.stderr.split('\n').filter((line) => line.startsWith('hand edit, reverted by this deploy: '));
    expect(reverted).toContain(`hand edit, reverted by this deploy: ${model.minio.proxy.name}: image ${HAND_IMAGE} (the last deploy made it ${model.minio.proxy.image}); environment HAND_EDIT added by hand (on-a-manager)`);
    expect(reverted).toContain(`hand edit, reverted by this deploy: ${model.etcd.proxy.name}: replicas 0 (the last deploy made it 1)`);
    await waitUntilReady(model, 120_000);
    const { code, report } = await diff();
    expect(report.services.filter((service) => service.state !== 'in-sync')).toEqual([]);
    expect(code).toBe(0);
  });

  it('drift.yml green again closes the drift issue', async () => {
    const run = await drift();
    log(`act drift.yml, in sync: ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.jobResult, tail(run)).toBe('success');
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(driftIssues()[0]!.comments).toEqual([expect.stringMatching(/^Green again: \*\*diff local: in sync with rendered\/local\/\*\*/)]);
  });
});
