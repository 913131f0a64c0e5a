// The workflows themselves, not only their bundles: act runs deploy.yml and verify.yml (workflow_dispatch, environment
// local) on this machine against the local swarm, with the credentials through --secret-file. A merge is a scratch
// clone whose nginx template changed in a second commit, which makes this also the template drill: deploy.yml rolls
// the change out as a new content-hashed config, removes the old one and verifies, and we time merge → verified green.
// Re-running the deploy of the commit before it is refused (it would roll the template back). Then deploy.yml from a
// copy of this repository rolls the committed template back out and removes the drill's config, and verify.yml checks
// on demand. act v0.2.89 does not know node24: every run is in a copy whose action.yml files say node20 (scratch.ts).
// Last, issue 12's drill 3: with recovery points set up, a care change deployed by deploy.yml makes a new point first,
// and the job summary shows it with the figures `backup list` shows.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';
import { dockerOk } from './support/docker.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { isReserved } from '../../generator/backup/bucketCut.ts';
import { parseManifest } from '../../generator/backup/manifest.ts';
import { bucketFigures, etcdFigures, formatBytes } from '../../generator/backup/report.ts';
import { listObjectVersions, readRecoveryWindow } from '../../generator/backup/s3.ts';
import { readDeployedTopology } from '../../generator/deploy/operations/deployedTopology.ts';
import { processDocker } from '../../generator/docker/runner.ts';
import { ensureAct } from './harness/act.ts';
import { envFile, LOCAL_ENV_FILE, REPO_ROOT } from './harness/paths.ts';
import { startFakeGitHub, type FakeGitHub } from '../actions/fakeGitHub.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { runWorkflow, tail, type ActRun } from './support/act.ts';
import { localCredentials, minioClient } from './support/clients.ts';
import { milvusSwarm } from './support/cli.ts';
import { commitAll, scratchRepository, type Scratch } from './support/scratch.ts';
import { pointsDir as pointsDirOutsideTmp } from '../processes/support/processes.ts';
import { configNames, containersOf, deployFromRepository, proxyConfigName, restoreByDeploy } from './support/stack.ts';

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
  // Where the time went: the slowest phases, each named and timed.
  expect(summary).toMatch(/\nslowest phases: [^,\n]+ \d+\.\d s(, [^,\n]+ \d+\.\d s)*\n/);
  expect(summary).toContain('| service | image | replicas | placement | state |');
  for (const service of model.services) {
    expect(summary).toContain(`| ${model.stack}_${service.name} | ${service.image} | ${service.replicas}/${service.replicas} | ${service.everyNode ? 'every node' : service.placement.kind === 'managers' ? 'managers' : 'any node'} | converged |`);
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
    log(`act deploy.yml (merge → verified green): ${(run.wallMs / 1000).toFixed(1)} s (target < 30 s)`);
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

// Issue 12, drill 3. A scratch copy whose local.yaml gains a backup: section (a directory target on this machine,
// the runner's host) is deployed first by the CLI: that is itself a care change (backup-enable), so it leaves a first
// point and versions Milvus's bucket. The drill is the next merge: `keep: 5` → `keep: 4`, the cheapest change that
// is still care (it restarts nothing; the next backup prunes more), deployed by deploy.yml under act. Its job summary
// must name a point that did not exist before the run, whose manifest and `backup list` row carry the summary's
// figures. afterAll deploys the repository again (no backup: section) and takes back what versioning left in the
// bucket (the rule, versioning suspended, the points' cut markers), as backupDrills.test.ts does.
describe('drill: deploy makes a recovery point first (issue 12)', () => {
  let backedUp: Scratch;
  let pointsDir: string;
  let setupPoint: string;

  const pointIds = async () => (await readdir(pointsDir)).filter((name) => /^\d{8}T\d{6}\.\d{3}Z$/.test(name)).sort();

  beforeAll(async () => {
    const started = performance.now();
    pointsDir = pointsDirOutsideTmp('act');
    backedUp = await scratchRepository({ forAct: true });
    await backedUp.edit('environments/local.yaml', (text) => `${text}\nbackup:\n  schedule: "17 3 * * *"\n  keep: 5\n  windowDays: 7\n  targets:\n    directory: ${pointsDir}\n`);
    await backedUp.render();
    await commitAll(backedUp.root, 'recovery points for local');
    // The plan needs a deployed topology to compare with: a stack deployed by other means has none yet.
    if (!(await readDeployedTopology(processDocker, model.stack).then((record) => record.ok && record.value))) await restoreByDeploy(model);
    const enabled = await deployFromRepository(model, backedUp.root, '--env-file', envFile('local'));
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stderr).toMatch(/^recovery point \S+ before backup-enable:milvus-bucket \(care\): /m);
    const points = await pointIds();
    expect(points).toHaveLength(1);
    setupPoint = points[0]!;
    await waitUntilReady(model, 120_000);
    await backedUp.edit('environments/local.yaml', (text) => text.replace('  keep: 5\n', '  keep: 4\n'));
    await backedUp.render();
    await commitAll(backedUp.root, 'keep 4 recovery points');
    log(`recovery point drill: set up (backup: section deployed, first point ${setupPoint}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    const started = performance.now();
    try {
      // The repository's topology again (backup-disable: no point, the bucket stays versioned, which S3 cannot undo).
      await restoreByDeploy(model);
    } finally {
      const minio = await minioClient(model);
      for (const entry of (await listObjectVersions(minio, model.milvus.bucketName)).filter((version) => isReserved(version.key))) {
        await minio.removeObject(model.milvus.bucketName, entry.key, { versionId: entry.versionId }).catch(() => undefined);
      }
      await minio.setBucketVersioning(model.milvus.bucketName, { Status: 'Suspended' }).catch(() => undefined);
      await minio.removeBucketLifecycle(model.milvus.bucketName).catch(() => undefined);
      await backedUp?.remove();
      if (pointsDir) await rm(pointsDir, { recursive: true, force: true });
      log(`recovery point drill: the repository's topology deployed back and the bucket's versioning undone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  });

  it('deploy.yml: a care change (keep 5 → 4) leaves a new recovery point first, in the job summary with the figures `backup list` shows', async () => {
    const before = await pointIds();
    expect(before).toEqual([setupPoint]);
    const commit = (await git(backedUp.root, 'rev-parse', 'HEAD')).trim();
    const run = await runWorkflow('deploy.yml', { cwd: backedUp.root, inputs: { environment: 'local' }, timeoutMs: ACT_TIMEOUT_MS });
    log(`act deploy.yml (care change with recovery points): ${(run.wallMs / 1000).toFixed(1)} s`);
    await expectGreen(run, ['deploy', 'verify']);
    const summary = run.summaries.get('deploy');
    expectDeploySummary(summary);
    // The verify step's rows include the point's age now, and every row passes.
    expectVerifySummary(run.summaries.get('verify'));
    expect(run.summaries.get('verify')).toMatch(/^\| ✅ pass \| [^|]+ \| backup: last recovery point \| /m);

    // (a) the summary names a point made by this run: a heading, then the point's line.
    const line = new RegExp(
      `^<h3>recovery point</h3>\\nrecovery point (\\S+) before backup-keep:5 \\(care\\): etcd (revision (\\d+), (\\d+) keys, snapshot ([\\d.]+ [KMG]?i?B) \\(sha256 ([0-9a-f]{12})…\\)); bucket (milvus-bucket as of (\\S+): (\\d+) objects?, ([\\d.]+ [KMG]?i?B)); in directory ${pointsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(etcd and the bucket back to this moment: npx milvus-swarm restore --env local --point \\1 --yes\\)$`,
      'm',
    ).exec(summary ?? '');
    expect(line, summary).not.toBeNull();
    const [, id, etcd, revision, keys, snapshot, sha, bucket, cut, objects, bytes] = line!;
    expect(before).not.toContain(id);
    expect(await pointIds()).toEqual([setupPoint, id].sort());

    // (b) the point exists: its manifest (written last) carries the summary's figures, and so does `backup list`.
    const manifest = parseManifest(await readFile(path.join(pointsDir, id!, 'manifest.json'), 'utf8'));
    if (!manifest.ok) throw new Error(manifest.problem);
    expect(manifest.manifest.reason).toBe(`before deploy of ${commit.slice(0, 12)}: backup-keep:5 (care)`);
    expect(etcdFigures(manifest.manifest)).toBe(etcd);
    expect(bucketFigures(manifest.manifest)).toBe(bucket);
    expect(manifest.manifest.etcd.sha256.slice(0, 12)).toBe(sha);
    expect(manifest.manifest.cut).toBe(cut);
    const listed = await milvusSwarm(['backup', 'list', '--env', 'local', '--env-file', envFile('local')], { cwd: backedUp.root, timeoutMs: 60_000 });
    expect(listed.code, listed.stderr).toBe(0);
    const row = listed.stdout.split('\n').find((text) => text.startsWith(`${id} `));
    expect(row, listed.stdout).toBeDefined();
    expect(row!.split(/ {2,}/).map((cell) => cell.trim())).toEqual([
      id,
      manifest.manifest.reason,
      cut!.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      revision,
      keys,
      snapshot,
      objects,
      bytes,
      'etcd + bucket',
      'directory',
    ]);
    expect(formatBytes(manifest.manifest.etcd.bytes)).toBe(snapshot);
    expect(listed.stdout).toMatch(new RegExp(`^${setupPoint} `, 'm'));
    log(`recovery point drill: ${line![0].split('\n')[1]!.replace(/ \(etcd and the bucket.*$/, '')}`);
    // The deploy went on after the point: the bucket keeps its window, and the deployed record says keep 4.
    expect(await readRecoveryWindow(await minioClient(model), model.milvus.bucketName)).toEqual({ versioning: 'Enabled', windowDays: 7 });
  });
});

// Issue 25: a scheduled verify that fails opens one issue per environment with the failing rows, a second failure
// comments on it, a green run closes it. GitHub cannot be reached from here: the API is a FAKE GitHub API server this
// test runs (test/actions/fakeGitHub.ts, the one stand-in of the suite), which act points the job at (GITHUB_API_URL);
// everything else — act, the workflow, the action's bundle, GitHub's own client in it, verify against the local swarm
// — is real. A failing run is verify with a wrong MinIO password for its user (the MinIO rows fail; nothing is
// changed on the swarm); the green run has the right one.
describe('verify.yml on a schedule keeps one issue per environment while it is red', () => {
  const TOKEN = 'ghs_fake-token-for-the-fake-api';
  let github: FakeGitHub;
  let secrets: string;
  let goodSecrets: string;
  let badSecrets: string;

  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN });
    secrets = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-act-secrets-'));
    const local = await readFile(LOCAL_ENV_FILE, 'utf8');
    goodSecrets = path.join(secrets, 'good.env');
    badSecrets = path.join(secrets, 'bad.env');
    await writeFile(goodSecrets, `${local.trimEnd()}\nGITHUB_TOKEN=${TOKEN}\n`, { mode: 0o600 });
    await writeFile(badSecrets, `${local.replace(/^MINIO_VERIFY_PASSWORD=.*$/m, 'MINIO_VERIFY_PASSWORD=not-the-password-of-verifys-user').trimEnd()}\nGITHUB_TOKEN=${TOKEN}\n`, { mode: 0o600 });
  });

  afterAll(async () => {
    await github?.close();
    if (secrets) await rm(secrets, { recursive: true, force: true });
  });

  const scheduled = (secretFile: string) =>
    runWorkflow('verify.yml', {
      cwd: repository.root,
      event: { name: 'schedule' },
      vars: { VERIFY_ENVIRONMENTS: '["local"]' },
      env: { GITHUB_API_URL: github.url },
      secretFile,
      timeoutMs: ACT_TIMEOUT_MS,
    });
  const ours = () => github.issues.filter((issue) => issue.body.startsWith('<!-- milvus-swarm:verify:local -->'));

  it('a failing run opens an issue with the failing rows', async () => {
    const run = await scheduled(badSecrets);
    log(`act verify.yml on a schedule, failing: ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.jobResult, tail(run)).toBe('failure');
    expect(ours(), tail(run)).toHaveLength(1);
    const [issue] = ours();
    expect(issue).toMatchObject({ title: 'verify local is failing', state: 'open' });
    expect(issue!.body).toMatch(/^\*\*verify local: FAIL — \d+ pass, \d+ warn, \d+ fail in \d+\.\d\ds\*\* \(\[this run\]\(https:\/\/github\.com\/.+\/actions\/runs\/\d+\)\)$/m);
    expect(issue!.body).toMatch(/^\| ❌ fail \| [^|]+ \| minio: nodes and drives \| 4\d\d from \/minio\/v2\/metrics\/cluster: the token was refused/m);
    // Only the failing rows, and never a credential.
    expect(issue!.body).not.toContain('✅ pass');
    const credentials = await localCredentials();
    for (const value of [credentials.verifyPassword, credentials.password]) expect(issue!.body).not.toContain(value);
  });

  it('a second failing run comments on it (no second issue)', async () => {
    const run = await scheduled(badSecrets);
    expect(run.jobResult, tail(run)).toBe('failure');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.comments).toEqual([expect.stringMatching(/^Still red: \*\*verify local: FAIL/)]);
  });

  it('a green run closes it', async () => {
    const run = await scheduled(goodSecrets);
    log(`act verify.yml on a schedule, green: ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.jobResult, tail(run)).toBe('success');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(ours()[0]!.comments.at(-1)).toMatch(/^Green again: \*\*verify local: PASS/);
    expect(github.calls.filter((call) => !call.startsWith('GET'))).toEqual([
      expect.stringMatching(/^POST \/repos\/[^/]+\/[^/]+\/issues$/),
      expect.stringMatching(/^POST \/repos\/[^/]+\/[^/]+\/issues\/1\/comments$/),
      expect.stringMatching(/^POST \/repos\/[^/]+\/[^/]+\/issues\/1\/comments$/),
      expect.stringMatching(/^PATCH \/repos\/[^/]+\/[^/]+\/issues\/1$/),
    ]);
  });
});
