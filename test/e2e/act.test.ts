// The workflows themselves, not only their bundles: act runs deploy.yml and verify.yml (workflow_dispatch, environment
// local) on this machine against the local swarm, with the credentials through --secret-file. A merge is a scratch
// clone whose nginx template changed in a second commit, which makes this also the template drill: deploy.yml rolls
// the change out as a new content-hashed config, removes the old one and verifies, and we time merge → verified green.
// Re-running the deploy of the commit before it is refused (it would roll the template back). Then deploy.yml from a
// copy of this repository rolls the committed template back out and removes the drill's config, and verify.yml checks
// on demand. act v0.2.89 does not know node24: every run is in a copy whose action.yml files say node20 (scratch.ts).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';
import { dockerOk } from './support/docker.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { ensureAct } from './harness/act.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { runWorkflow, tail, type ActRun } from './support/act.ts';
import { localCredentials } from './support/clients.ts';
import { commitAll, scratchRepository, type Scratch } from './support/scratch.ts';
import { configNames, containersOf, proxyConfigName, restoreByDeploy } from './support/stack.ts';

const TEMPLATE = 'conf/nginx/nginx.conf.hbs';
const configIn = async (root: string) => (await readFile(path.join(root, 'rendered/local/stack.yaml'), 'utf8')).match(/name: (milvus_nginx_conf_[0-9a-f]{12})/)![1]!;
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
async function git(root: string, ...args: string[]): Promise<string> {
  const result = await runCommand('git', args, { cwd: root, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}
const ACT_TIMEOUT_MS = 10 * 60_000;

const tag = `e2e act merge ${randomBytes(4).toString('hex')}`;

let model: ClusterModel;
let merged: Scratch;
/** A copy of this repository as committed, for act (its action.yml files say node20). */
let repository: Scratch;
let committedTemplate: string;
let committedConfig: string;
let mergedConfig: string;

beforeAll(async () => {
  model = await loadModel();
  const act = await ensureAct();
  log(`act: ${act.built ? `built with go install in ${(act.ms / 1000).toFixed(1)} s` : 'cached'} (${act.binary})`);
  await waitUntilReady(model, 120_000);
  committedTemplate = await readFile(path.join(REPO_ROOT, TEMPLATE), 'utf8');
  committedConfig = await configIn(REPO_ROOT);
  merged = await scratchRepository({ forAct: true });
  repository = await scratchRepository({ forAct: true });
  await merged.edit(TEMPLATE, (text) => text.replace('    worker_connections 4096;\n', `    worker_connections 4096;\n    # ${tag}\n`));
  await merged.render();
  await commitAll(merged.root, 'nginx template change, merged');
  mergedConfig = await configIn(merged.root);
});

afterAll(async () => {
  if ((await proxyConfigName(model)) !== committedConfig || (await configNames()).includes(mergedConfig)) await restoreByDeploy(model);
  await merged?.remove();
  await repository?.remove();
});

/** What the running nginx reads (the config swarm mounted into its container). */
async function runningNginxConf(): Promise<string> {
  const [container] = await containersOf(model, model.minio.proxy.name);
  return dockerOk(['exec', container!, 'cat', '/etc/nginx/nginx.conf'], { timeoutMs: 15_000 });
}

/** The job succeeded, step by step, and act's log never shows the MinIO credentials (but to mask them). */
async function expectGreen(run: ActRun, steps: string[]): Promise<void> {
  expect(run.code, tail(run)).toBe(0);
  expect(run.jobResult).toBe('success');
  expect(Object.fromEntries(steps.map((step) => [step, run.steps.get(step)]))).toEqual(Object.fromEntries(steps.map((step) => [step, 'success'])));
  const { user, password } = await localCredentials();
  expect(run.outputWithoutMaskCommands.includes(password)).toBe(false);
  expect(run.outputWithoutMaskCommands.includes(user)).toBe(false);
}

/** The deploy step's job summary: heading, the report table with every service converged. */
function expectDeploySummary(summary: string | undefined): void {
  expect(summary).toMatch(/^<h2>deploy local: converged<\/h2>\npreflight \d+\.\d s, prepare \d+\.\d s, deploy \d+\.\d s, converge \d+\.\d s\n/);
  expect(summary).toContain('| service | image | replicas | placement | state |');
  for (const service of model.services) {
    expect(summary).toContain(`| ${model.stack}_${service.name} | ${service.image} | ${service.replicas}/${service.replicas} | ${service.placement.kind === 'managers' ? 'managers' : 'any node'} | converged |`);
  }
}

/** The verify step's job summary: heading, the rows table, every row passing. */
function expectVerifySummary(summary: string | undefined): void {
  expect(summary).toMatch(/^<h2>verify local: pass<\/h2>\nverify local: PASS — (\d+) pass, 0 warn, 0 fail in \d+\.\d\ds\n/);
  expect(summary).toContain('| status | time | check | reason |');
  const rows = (summary ?? '').split('\n').filter((line) => /^\| (✅|⚠️|❌)/.test(line));
  expect(rows.length).toBe(Number(/— (\d+) pass/.exec(summary ?? '')?.[1]));
  expect(rows.filter((line) => !line.startsWith('| ✅ pass |'))).toEqual([]);
  expect(rows.some((line) => line.includes('| etcd members: endpoint status |'))).toBe(true);
  expect(rows.some((line) => line.includes('| minio: nodes and drives |'))).toBe(true);
}

describe('the workflows under act, against the local swarm', () => {
  it('deploy.yml: a merged nginx template change rolls out as a new hashed config, the old one is removed, verify is green', async () => {
    expect(mergedConfig).toMatch(/^milvus_nginx_conf_[0-9a-f]{12}$/);
    expect(mergedConfig).not.toBe(committedConfig);
    expect(await proxyConfigName(model)).toBe(committedConfig);
    const run = await runWorkflow('deploy.yml', { cwd: merged.root, inputs: { environment: 'local' }, timeoutMs: ACT_TIMEOUT_MS });
    // Timed for the log and the README (target < 90 s), not asserted: speed is measured, not tested.
    log(`act deploy.yml (merge → verified green): ${(run.wallMs / 1000).toFixed(1)} s`);
    await expectGreen(run, ['deploy', 'verify']);
    expectDeploySummary(run.summaries.get('deploy'));
    expect(run.summaries.get('deploy')).toContain(`<li>removed unused config ${committedConfig}</li>`);
    expectVerifySummary(run.summaries.get('verify'));
    expect(await proxyConfigName(model)).toBe(mergedConfig);
    const configs = await configNames();
    expect(configs).toContain(mergedConfig);
    expect(configs).not.toContain(committedConfig);
    expect(await runningNginxConf()).toContain(`# ${tag}\n`);
  });

  it('deploy.yml refuses to re-run the commit before the deployed one, and changes nothing', async () => {
    const deployedCommit = (await git(merged.root, 'rev-parse', 'HEAD')).trim();
    await git(merged.root, 'reset', '--quiet', '--hard', 'HEAD~1');
    try {
      const run = await runWorkflow('deploy.yml', { cwd: merged.root, inputs: { environment: 'local' }, timeoutMs: ACT_TIMEOUT_MS });
      expect(run.code, tail(run)).not.toBe(0);
      expect(run.steps.get('deploy')).toBe('failure');
      expect(run.summaries.get('deploy')).toMatch(new RegExp(`^<h2>deploy local: refused</h2>\n[0-9a-f]{12} is older than the deployed commit ${deployedCommit.slice(0, 12)}: re-running an old deploy would roll main back`));
      expect(await proxyConfigName(model)).toBe(mergedConfig);
    } finally {
      await git(merged.root, 'reset', '--quiet', '--hard', deployedCommit);
    }
  });

  it('deploy.yml from this repository rolls the committed template back out and verifies it', async () => {
    const run = await runWorkflow('deploy.yml', { cwd: repository.root, inputs: { environment: 'local' }, timeoutMs: ACT_TIMEOUT_MS });
    log(`act deploy.yml (this repository): ${(run.wallMs / 1000).toFixed(1)} s`);
    await expectGreen(run, ['deploy', 'verify']);
    expectDeploySummary(run.summaries.get('deploy'));
    expectVerifySummary(run.summaries.get('verify'));
    expect(run.summaries.get('deploy')).toContain(`<li>removed unused config ${mergedConfig}</li>`);
    expect(await proxyConfigName(model)).toBe(committedConfig);
    expect(await configNames()).not.toContain(mergedConfig);
    expect(await runningNginxConf()).not.toContain(tag);
    expect(await readFile(path.join(REPO_ROOT, TEMPLATE), 'utf8')).toBe(committedTemplate);
  });

  it('verify.yml on demand: green, with the rows table in the job summary', async () => {
    const run = await runWorkflow('verify.yml', { cwd: repository.root, inputs: { environment: 'local' }, timeoutMs: ACT_TIMEOUT_MS });
    log(`act verify.yml: ${(run.wallMs / 1000).toFixed(1)} s`);
    await expectGreen(run, ['verify']);
    expectVerifySummary(run.summaries.get('verify'));
  });
});
