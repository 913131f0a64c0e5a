// Taking over the runbook's cluster (issue 20) on the staging swarm: the stack the runbook builds by hand
// (runbookStack.ts) replaces the repository's, with etcd keys under Milvus's root path and objects in its bucket and a
// stand-in for Milvus in the same stack. A layout whose etcd keeps its data one level down in the mount (bitnami's)
// and MinIO on other root credentials than the secrets are refused before anything changes (same tasks). The runbook's
// own layout: `diff` shows the takeover, `deploy` takes it over while a client writes through the etcd proxies and
// another through nginx, then the same etcd cluster id, every key and object byte-equal, the stand-in never restarted,
// verify green; the S3 pause is printed; diff on the converged stack is in sync within seconds.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'minio';
import { MinioAdmin } from '../../../generator/minio/admin.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEndpointStatus } from '../../../generator/cluster/etcdctlJson.ts';
import { containerProblem } from '../../../generator/cluster/etcdctl.ts';
import { runOnStackNetwork } from '../../../generator/cluster/stackNetworkRun.ts';
import { waitForConvergence } from '../../../generator/deploy/operations/convergence.ts';
import { docker } from '../../../generator/docker/cli.ts';
import { processDocker } from '../../../generator/docker/runner.ts';
import { envFile, REPO_ROOT } from '../harness/paths.ts';
import { removeDeployedTopologyRecords, removeStack } from '../harness/stackRemove.ts';
import { STAGING } from '../harness/staging.ts';
import { nodePaths } from '../harness/swarmNodes.ts';
import { milvusSwarm } from '../support/cli.ts';
import { dockerOk } from '../support/docker.ts';
import { scratchRepository, type Scratch } from '../support/scratch.ts';
import { deployFromRepository, until } from '../support/stack.ts';
import { milvusStandIn, runbookNginxConf, runbookStack, type RunbookVariant } from './runbookStack.ts';
import { etcdThroughProxies, etcdTraffic } from './etcdTraffic.ts';
import { s3Traffic } from './s3Traffic.ts';
import { clean, endpoints, log, ready, s3Client, staging, verifyUntil, type Staging } from './support.ts';

let context: Staging;
let work: string;
let acknowledged: Scratch;
/** Set once the takeover deploy converged: the stack is milvus-swarm's again. */
let takenOver = false;

const KEYS = 500;
const OBJECTS = 40;
const TAKEOVER_ID = 'takeover:milvus';
const stackName = () => context.model.stack;

beforeAll(async () => {
  context = await staging();
  work = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-runbook-'));
  acknowledged = await scratchRepository();
  await acknowledged.edit(`environments/${STAGING}.yaml`, (text) => `${text}\nacknowledge: [${TAKEOVER_ID}]\n`);
  await acknowledged.render(STAGING);
});

afterAll(async () => {
  // A drill that stopped half way leaves the runbook's stack: the repository's stack comes back on empty data.
  if (!takenOver && context) {
    await removeEverything();
    const deployed = await deployFromRepository(context.model, REPO_ROOT, '--credentials', envFile(STAGING));
    if (deployed.code !== 0) log(`restoring the repository's stack after the takeover drill failed: ${deployed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    await ready(context);
  }
  // Milvus's stand-in goes with the drill: left running, the co-tenancy file's own foreign service of the same name
  // was deployed over it as an update, still in progress when that file took its "before" (CI run of 03:52).
  if (context) {
    const removed = await docker(['service', 'rm', `${stackName()}_milvus-proxy`], { timeoutMs: 30_000 });
    if (removed.code !== 0 && !/not found/i.test(removed.stderr)) log(`removing Milvus's stand-in after the takeover drill: ${removed.stderr.trim()}`);
  }
  await acknowledged?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The stack, its records and every etcd and MinIO data dir on the hosts (the runbook starts on empty ones). */
async function removeEverything(): Promise<void> {
  const removed = await removeStack({ stack: stackName(), timeoutMs: 180_000 });
  if (!removed.ok) throw new Error(`docker stack rm ${stackName()}: ${removed.message}`);
  await removeDeployedTopologyRecords(processDocker, stackName());
  const hosts = new Set([...context.model.etcd.members.map((member) => member.host!), ...context.model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.host!))]);
  for (const host of hosts) {
    const mnt = nodePaths(STAGING, host).mnt;
    for (const dir of ['etcd', 'disk1', 'disk2']) {
      await rm(path.join(mnt, dir), { recursive: true, force: true });
      await mkdir(path.join(mnt, dir), { recursive: true });
    }
  }
}

/** The runbook's `docker stack deploy`, then Milvus's stand-in from its own file; waits until both serve. */
async function deployRunbook(variant: Omit<RunbookVariant, 'nginxConf' | 'rootUser' | 'rootPassword'>): Promise<void> {
  const started = performance.now();
  await removeEverything();
  const nginxConf = path.join(work, 'nginx.conf');
  await writeFile(nginxConf, runbookNginxConf(context.model));
  const file = path.join(work, 'etcd-minio.yaml');
  await writeFile(file, runbookStack(context.model, { ...variant, nginxConf, rootUser: context.credentials.user, rootPassword: context.credentials.password }));
  await dockerOk(['stack', 'deploy', '--compose-file', file, '--resolve-image', 'never', stackName()], { timeoutMs: 120_000 });
  const converged = await waitForConvergence({ stack: stackName(), timeoutMs: 240_000, runner: processDocker });
  if (!converged.ok) throw new Error(`the runbook's stack did not converge: ${converged.message}`);
  if (!variant.etcdOnly) {
    await writeFile(path.join(work, 'milvus.yaml'), milvusStandIn(context.model.swarm.helperImage));
    await dockerOk(['stack', 'deploy', '--compose-file', path.join(work, 'milvus.yaml'), '--resolve-image', 'never', stackName()], { timeoutMs: 60_000 });
    // Every MinIO node initialised (a node answers 503 until it is, and nginx picks any), the etcd proxy answering.
    await ready(context);
  }
  await until('etcd answering on every member', 120_000, async () => ((await clusterId().catch(() => undefined)) ? true : undefined), 1_000);
  log(`the runbook's stack (etcd --data-dir=${variant.etcdDataDir}) up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** etcd's cluster id, as the members report it (they must agree). */
async function clusterId(): Promise<string> {
  const args = ['run', '--rm', '--network', context.model.network.name, '--entrypoint', 'etcdctl', context.model.etcd.image, `--endpoints=${context.model.etcd.members.map((member) => `${member.name}:2379`).join(',')}`, '--dial-timeout=2s', '--command-timeout=4s', 'endpoint', 'status', '-w', 'json'];
  const result = await runOnStackNetwork(processDocker, { network: context.model.network.name, args, timeoutMs: () => 60_000 });
  if (result.code !== 0) throw new Error(`etcdctl endpoint status: ${containerProblem(result.code, result.stderr) ?? result.stderr.trim().split('\n').at(-1)}`);
  const ids = new Set(parseEndpointStatus(result.stdout).map((status) => status.clusterId));
  if (ids.size !== 1) throw new Error(`the members report ${ids.size} cluster ids`);
  return [...ids][0]!;
}

/** Every running task of the stack, by service: the same ids before and after mean nothing restarted. */
async function runningTasks(): Promise<string[]> {
  const services = (await dockerOk(['service', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${stackName()}`], { timeoutMs: 20_000 })).split('\n').filter(Boolean).sort();
  const tasks = await dockerOk(['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', ...services], { timeoutMs: 20_000 });
  return tasks.split('\n').filter(Boolean).sort();
}

const etcdClient = () => etcdThroughProxies(context);

async function minio(): Promise<Client> {
  return s3Client(context, (await endpoints(context)).s3);
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe("taking over the runbook's cluster", () => {
  it("refuses a runbook whose etcd keeps its data one level down in the mount (bitnami's layout), before anything changes", async () => {
    // etcd's half of the runbook is enough: the refusal is about etcd's data, and MinIO's services missing are ones
    // deploy would create (the credentials refusal, further down, runs against the whole runbook).
    await deployRunbook({ etcdDataDir: '/etcd-data/data', etcdOnly: true });
    const client = etcdClient();
    await client.put(`${context.model.milvus.etcdRootPath}/meta/bitnami`).value('kept');
    client.close();
    const before = await runningTasks();
    const id = await clusterId();
    const deployed = await deployFromRepository(context.model, acknowledged.root, '--credentials', envFile(STAGING));
    expect(deployed.code, deployed.stderr).toBe(1);
    for (const member of context.model.etcd.members) {
      expect(deployed.stderr).toContain(
        `error: takeover refused, nothing changed: ${member.name} keeps its data in /mnt/data/etcd/data on its host (--data-dir=/etcd-data/data, inside the mount /mnt/data/etcd → /etcd-data); the rendered member in /mnt/data/etcd`,
      );
    }
    expect(deployed.stderr).not.toContain('--all-members-at-once');
    expect(deployed.stderr).toMatch(/deploy staging: failed in preflight, nothing was changed/);
    expect(await runningTasks()).toEqual(before);
    expect(await clusterId()).toBe(id);
  });

  const written = new Map<string, string>();
  const objects = new Map<string, string>();
  let idBefore = '';
  let milvusTask: string[] = [];

  it("the runbook's own layout, with data: diff shows the takeover (exit 1), Milvus's stand-in left alone", async () => {
    await deployRunbook({ etcdDataDir: '/etcd-data' });
    const client = etcdClient();
    for (let index = 0; index < KEYS; index++) {
      const key = `${context.model.milvus.etcdRootPath}/meta/runbook/${index}`;
      const value = randomBytes(16).toString('hex');
      await client.put(key).value(value);
      written.set(key, value);
    }
    client.close();
    const s3 = await minio();
    // The operator made the bucket in a settled cluster. The runbook's nodes take a while to reach each other after
    // they serve (no network anchor, MinIO's 30 s DNS cache): minio2 logged its peer connections to minio1
    // re-connected 28–60 s after start. A bucket made meanwhile was never known to one node (NoSuchBucket from one
    // answer in three for minutes). So first every node must see all drives online: storage info through nginx,
    // which takes turns over the nodes, 12 times in a row.
    const admin = new MinioAdmin({ endpoint: (await endpoints(context)).s3, credentials: { accessKey: context.credentials.user, secretKey: context.credentials.password } });
    const drives = context.model.minio.pools.reduce((sum, pool) => sum + pool.nodes.length * pool.drivesPerNode, 0);
    const settling = performance.now();
    let settled = 0;
    let lastSeen = '';
    await until(`every MinIO node sees its ${drives} drives online (12 storage infos in a row through nginx)`, 180_000, async () => {
      const info = await admin.storageInfo().catch((error: Error) => error);
      lastSeen = info instanceof Error ? info.message : `${info.Disks.filter((drive) => drive.state === 'ok').length} of ${info.Disks.length} online`;
      settled = !(info instanceof Error) && info.Disks.length === drives && info.Disks.every((drive) => drive.state === 'ok') ? settled + 1 : 0;
      return settled >= 12 ? true : undefined;
    }, 250).catch((error: Error) => {
      throw new Error(`${error.message}; last answer: ${lastSeen}`);
    });
    log(`the runbook's MinIO nodes all see every drive ${((performance.now() - settling) / 1000).toFixed(1)} s after the stack was up`);
    if (!(await s3.bucketExists(context.model.milvus.bucketName))) await s3.makeBucket(context.model.milvus.bucketName);
    // The operator made the bucket in the console long before; here it is seconds old, and a MinIO node still loading
    // its bucket metadata answers NoSuchBucket for a while: wait until every node behind nginx knows it.
    const visible = performance.now();
    let inRow = 0;
    await until('milvus-bucket known to every MinIO node behind nginx (12 answers in a row)', 120_000, async () => {
      inRow = (await s3.bucketExists(context.model.milvus.bucketName).catch(() => false)) ? inRow + 1 : 0;
      return inRow >= 12 ? true : undefined;
    }, 250);
    log(`milvus-bucket known behind nginx ${((performance.now() - visible) / 1000).toFixed(1)} s after it was made`);
    for (let index = 0; index < OBJECTS; index++) {
      const data = randomBytes(16_384 + index * 4_096);
      const key = `${context.model.milvus.minioRootPath}/runbook/${index}`;
      await s3.putObject(context.model.milvus.bucketName, key, data);
      objects.set(key, sha(data));
    }
    idBefore = await clusterId();
    milvusTask = (await dockerOk(['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', `${stackName()}_milvus-proxy`], { timeoutMs: 20_000 })).split('\n').filter(Boolean);
    expect(milvusTask).toHaveLength(1);

    const diff = await milvusSwarm(['diff', '--env', STAGING, '--json'], { timeoutMs: 60_000 });
    expect(diff.code, diff.stderr).toBe(1);
    const report = JSON.parse(diff.stdout) as { takeover: boolean; foreign: string[]; services: { service: string; state: string; dataAtStake?: string }[] };
    expect(report.takeover).toBe(true);
    // The runbook has no network anchor: deploy creates it; every other service is taken over.
    expect(report.services.map((service) => `${service.service} ${service.state}`)).toEqual(context.model.services.map((service) => `${service.name} ${service.everyNode ? 'missing' : 'takeover'}`));
    expect(report.foreign).toEqual([`${stackName()}_milvus-proxy`]);
    const text = await milvusSwarm(['diff', '--env', STAGING], { timeoutMs: 60_000 });
    expect(text.stdout).toContain('takes these services over');
    expect(text.stdout).toContain('| etcd1 | not deployed by milvus-swarm (takeover) |');
  });

  it('refuses the takeover when the secrets hold other root credentials than MinIO runs with, naming both, before anything changes', async () => {
    const other = { user: `${stackName()}_takeover_drill_user`, password: `${stackName()}_takeover_drill_password` };
    const secrets = await scratchRepository();
    try {
      for (const [name, value] of [
        [other.user, context.credentials.user],
        [other.password, randomBytes(24).toString('base64url')],
      ] as const) {
        await docker(['secret', 'rm', name], { timeoutMs: 20_000 });
        await dockerOk(['secret', 'create', name, '-'], { timeoutMs: 20_000, input: value });
      }
      await secrets.edit(`environments/${STAGING}.yaml`, (text) =>
        `${text.replace(`rootUserSecret: ${context.model.minio.secrets.rootUser}`, `rootUserSecret: ${other.user}`).replace(`rootPasswordSecret: ${context.model.minio.secrets.rootPassword}`, `rootPasswordSecret: ${other.password}`)}\nacknowledge: [${TAKEOVER_ID}]\n`,
      );
      await secrets.render(STAGING);
      const before = await runningTasks();
      const deployed = await deployFromRepository(context.model, secrets.root, '--credentials', envFile(STAGING));
      expect(deployed.code, deployed.stderr).toBe(1);
      expect(deployed.stderr).toContain(
        `error: takeover refused, nothing changed: minio1, minio2, minio3, minio4 run with other root credentials (MINIO_ROOT_USER/MINIO_ROOT_PASSWORD set inline in its environment) than the swarm secrets ${other.user}/${other.password} hold (compared by SHA-256, not shown)`,
      );
      expect(deployed.stderr).not.toContain(context.credentials.password);
      expect(await runningTasks()).toEqual(before);
    } finally {
      await docker(['secret', 'rm', other.user, other.password], { timeoutMs: 20_000 });
      await secrets.remove();
    }
  });

  it('deploy takes it over: same cluster id, every key and object equal, Milvus untouched, verify green; etcd clients lose at most one election, the S3 pause printed', async () => {
    const etcdLoad = etcdTraffic(context, `${context.model.milvus.etcdRootPath}/meta/traffic`);
    const s3Load = s3Traffic(context, { prefix: `${context.model.milvus.minioRootPath}/traffic`, everyMs: 250 });
    const started = performance.now();
    const deployed = await deployFromRepository(context.model, acknowledged.root, '--credentials', envFile(STAGING));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const etcd = await etcdLoad.stop();
    const s3 = await s3Load.stop();
    log(`takeover deploy: exit ${deployed.code} in ${seconds} s`);
    log(`  etcd through the proxies: ${etcd.ok} round trips, ${etcd.failures.length} failed in ${etcd.bursts.length} burst(s) ${etcd.bursts.map((burst) => `${burst.count} in ${(burst.ms / 1000).toFixed(1)} s`).join(', ')}, longest gap ${(etcd.longestGapMs / 1000).toFixed(1)} s${etcd.failures[0] ? ` (first: ${etcd.failures[0].error})` : ''}`);
    log(`  S3 through nginx: ${s3.ok} round trips, ${s3.failures} failed${s3.moves ? `, followed the load balancer ${s3.moves} time(s)` : ''}; the S3 pause (longest gap between successes, to the end) ${(s3.longestGapMs / 1000).toFixed(1)} s${s3.firstFailure ? ` (first failure: ${s3.firstFailure})` : ''}`);
    for (const line of deployed.stderr.split('\n').filter((entry) => /^(live against rendered|takeover plan| {2}\d\.|MinIO nodes .* together|rolled etcd member)/.test(entry))) log(`  ${line}`);
    expect(deployed.code, deployed.stderr).toBe(0);
    takenOver = true;
    // The takeover plan is printed before anything changes: before the prepare stage begins.
    const lines = deployed.stderr.split('\n');
    expect(lines.findIndex((line) => line.startsWith('takeover plan (takeover:milvus), in this order:'))).toBeLessThan(lines.indexOf('deploy staging: prepare'));
    // At most one burst of failures (a leader election), never a whole member down.
    expect(etcd.bursts.length, JSON.stringify(etcd.bursts)).toBeLessThanOrEqual(1);
    expect(etcd.bursts.every((burst) => burst.ms < 5_000)).toBe(true);

    expect(await clusterId()).toBe(idBefore);
    const client = etcdClient();
    try {
      for (const [key, value] of written) expect(await client.get(key).string(), key).toBe(value);
    } finally {
      client.close();
    }
    const bucket = await minio();
    for (const [key, digest] of objects) {
      const stream = await bucket.getObject(context.model.milvus.bucketName, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(sha(Buffer.concat(chunks)), key).toBe(digest);
    }
    expect((await dockerOk(['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', `${stackName()}_milvus-proxy`], { timeoutMs: 20_000 })).split('\n').filter(Boolean)).toEqual(milvusTask);
    await verifyUntil('verify after the takeover', clean);
  });

  it('diff on the converged stack: in sync (exit 0), within seconds', async () => {
    const started = performance.now();
    const diff = await milvusSwarm(['diff', '--env', STAGING, '--credentials', envFile(STAGING)], { timeoutMs: 60_000 });
    log(`diff --env staging on the converged stack: exit ${diff.code} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(diff.stdout).toContain('in sync');
    expect(diff.code, diff.stdout).toBe(0);
  });
});

