// Hand edits on a manager (issue 20): an image, a replica count and an environment variable changed with `docker
// service update`, as an operator would. `diff` reports each (exit 1), the scheduled drift workflow goes red under act
// with the table in its job summary, and the next deploy names the edits it reverts — after which diff is in sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../generator/model/types.ts';
import { readDeployedTopology } from '../../generator/deploy/operations/deployedTopology.ts';
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
  // Hand edits are named against the last successful deploy's record: a stack brought up by other means has none.
  if (!(await readDeployedTopology(processDocker, model.stack).then((record) => record.ok && record.value))) await restoreByDeploy(model);
  await waitUntilReady(model, 120_000);
  repository = await scratchRepository({ forAct: true });
});

afterAll(async () => {
  const after = await diff().catch(() => undefined);
  if (!after || after.code !== 0) await restoreByDeploy(model);
  await dockerOk(['image', 'rm', HAND_IMAGE], { timeoutMs: 30_000 }).catch(() => undefined);
  await repository?.remove();
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

  it('drift.yml under act goes red, the edits in its job summary', async () => {
    const run = await runWorkflow('drift.yml', { cwd: repository.root, inputs: { environment: 'local' }, timeoutMs: 5 * 60_000 });
    log(`act drift.yml: ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.jobResult, tail(run)).toBe('failure');
    const summary = run.summaries.get('diff') ?? '';
    expect(summary, tail(run)).toContain('## diff local: 2 of 9 services differ');
    expect(summary).toContain(`image: ${HAND_IMAGE} → ${model.minio.proxy.image}`);
    expect(summary).toContain('environment HAND_EDIT: on-a-manager → (not set)');
    expect(summary).toContain('| etcd-proxy | differs | scale it from 0 to 1 task |');
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
});
