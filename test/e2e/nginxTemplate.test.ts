// Drill: a change to the nginx template rolls out as a new content-hashed swarm config on redeploy, and the old config
// is removed. The change is made in a scratch copy of the repository (the committed template is never touched); then
// deploying the repository itself rolls the committed template back out and removes the drill's config.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk } from '../../generator/docker/cli.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { verifyLocal } from './support/cli.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { configNames, containersOf, deployFromRepository, proxyConfigName, restoreByDeploy } from './support/stack.ts';

const TEMPLATE = 'conf/nginx/nginx.conf.hbs';
const tag = `e2e-template-drill-${randomBytes(4).toString('hex')}`;
const configIn = async (root: string) => (await readFile(path.join(root, 'rendered/local/stack.yaml'), 'utf8')).match(/name: (milvus_nginx_conf_[0-9a-f]{12})/)![1]!;
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

let model: ClusterModel;
let scratch: Scratch;
let committedTemplate: string;
let committedConfig: string;
let drillConfig: string;

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
  committedTemplate = await readFile(path.join(REPO_ROOT, TEMPLATE), 'utf8');
  committedConfig = await configIn(REPO_ROOT);
  scratch = await scratchRepository();
  await scratch.edit(TEMPLATE, (text) => text.replace('    worker_connections 4096;\n', `    worker_connections 4096;\n    # ${tag}\n`));
  await scratch.render();
  drillConfig = await configIn(scratch.root);
});

afterAll(async () => {
  // Whatever failed: the stack runs the committed template again, and the drill's config is gone.
  if ((await proxyConfigName(model)) !== committedConfig || (await configNames()).includes(drillConfig)) await restoreByDeploy(model);
  await scratch?.remove();
});

/** What the running nginx reads (the config swarm mounted into its container). */
async function runningNginxConf(): Promise<string> {
  const [container] = await containersOf(model, model.minio.proxy.name);
  return dockerOk(['exec', container!, 'cat', '/etc/nginx/nginx.conf'], { timeoutMs: 15_000 });
}

describe('drill: the nginx template changes', () => {
  it('the change renders to a config with a new content hash', () => {
    expect(drillConfig).toMatch(/^milvus_nginx_conf_[0-9a-f]{12}$/);
    expect(drillConfig).not.toBe(committedConfig);
  });

  it('deploy rolls it out as the new config and removes the old one', async () => {
    expect(await proxyConfigName(model)).toBe(committedConfig);
    const deployed = await deployFromRepository(model, scratch.root);
    log(`template rollout: ${deployed.stderr.trim().split('\n').at(-1)} (process ${(deployed.elapsedMs / 1000).toFixed(1)} s)`);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain(`removed unused config ${committedConfig}`);
    expect(await proxyConfigName(model)).toBe(drillConfig);
    const configs = await configNames();
    expect(configs).toContain(drillConfig);
    expect(configs).not.toContain(committedConfig);
    expect(await runningNginxConf()).toContain(`# ${tag}\n`);
    await waitUntilReady(model, 120_000);
    const run = await verifyLocal();
    expect(run.rows.filter((row) => row.status !== 'pass').map((row) => `${row.status} ${row.check}: ${row.reason}`)).toEqual([]);
  });

  it('deploying the repository rolls the committed template back out and removes the drill\'s config', async () => {
    const deployed = await deployFromRepository(model);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain(`removed unused config ${drillConfig}`);
    expect(await proxyConfigName(model)).toBe(committedConfig);
    expect(await configNames()).not.toContain(drillConfig);
    expect(await runningNginxConf()).not.toContain(tag);
    // The committed template was never touched.
    expect(await readFile(path.join(REPO_ROOT, TEMPLATE), 'utf8')).toBe(committedTemplate);
    await waitUntilReady(model, 120_000);
  });
});
