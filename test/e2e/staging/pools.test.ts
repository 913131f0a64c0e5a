// Executed MinIO pool changes (issue 11) on the staging swarm, by merging topology changes: a second pool (two nodes
// on two hosts added for it) added — every node restarts together on the new command line, as MinIO requires, only
// because the topology acknowledges it — then the first pool decommissioned by deploy (MinIO moves its objects to the
// second) and its services removed. An object written before the expansion reads back byte-equal at the end, and
// Milvus's bucket takes writes and reads after every deploy; a client writing throughout records the pauses. The
// staging swarm's MinIO is then reset to the repository's topology (its drives emptied: a decommissioned pool cannot
// simply come back).
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../generator/docker/cli.ts';
import { RECORD_LABEL } from '../../../generator/deploy/operations/deployedTopology.ts';
import { envFile, REPO_ROOT } from '../harness/paths.ts';
import { knownNodes, nodeAction, STAGING } from '../harness/staging.ts';
import { nodePaths } from '../harness/swarmNodes.ts';
import { scratchRepository, type Scratch } from '../support/scratch.ts';
import { deployFromRepository } from '../support/stack.ts';
import { clean, endpoints, log, ready, s3Client, staging, verifyUntil, type Staging } from './support.ts';
import { readAll, s3Traffic } from './s3Traffic.ts';

let context: Staging;
const NEW_HOSTS = [
  { name: 'stg-minio5', ip: '10.77.0.35' },
  { name: 'stg-minio6', ip: '10.77.0.36' },
];
// Two nodes of four drives: one erasure set of 8, as the first pool's, so it holds the parity (4) MinIO takes from it.
const SECOND_POOL = '    - drives: [/mnt/data/disk1, /mnt/data/disk2, /mnt/data/disk3, /mnt/data/disk4]\n      nodes:\n        - { name: minio5, host: stg-minio5 }\n        - { name: minio6, host: stg-minio6 }\n';
const FIRST_POOL_END = '        - { name: minio4, host: stg-minio4 }\n';

const withHosts = (text: string) =>
  text.replace('  - { name: stg-minio4, ip: 10.77.0.34, roles: [minio4] }\n', `  - { name: stg-minio4, ip: 10.77.0.34, roles: [minio4] }\n${NEW_HOSTS.map((host) => `  - { name: ${host.name}, ip: ${host.ip}, roles: [${host.name.slice(4)}] }\n`).join('')}`);
const grownText = (text: string) => `${withHosts(text).replace(FIRST_POOL_END, `${FIRST_POOL_END}${SECOND_POOL}`)}\nacknowledge: [minio-pool-add:minio5..minio6]\n`;
function shrunkText(text: string): string {
  const hosts = withHosts(text);
  const start = hosts.indexOf('  pools:\n');
  const end = hosts.indexOf('  proxy:\n    name: minio-proxy');
  return `${hosts.slice(0, start)}  pools:\n${SECOND_POOL}${hosts.slice(end)}\nacknowledge: [minio-pool-remove:minio1..minio4]\n`;
}

async function scratchWith(edit: (text: string) => string): Promise<Scratch> {
  const scratch = await scratchRepository();
  await scratch.edit(`environments/${STAGING}.yaml`, edit);
  await scratch.render(STAGING);
  return scratch;
}

async function deployWatched(root: string, what: string) {
  const traffic = s3Traffic(context, { prefix: 'milvus-swarm-pools' });
  const result = await deployFromRepository(context.model, root, '--env-file', envFile(STAGING));
  const client = await traffic.stop();
  log(`${what}: exit ${result.code} in ${(result.elapsedMs / 1000).toFixed(1)} s; bucket ${client.ok} round trips, ${client.failures} failed, longest gap ${client.longestGapMs} ms${client.moves ? `, followed the load balancer ${client.moves} time(s)` : ''}${client.firstFailure ? ` (first: ${client.firstFailure})` : ''}`);
  for (const line of result.stderr.split('\n').filter((entry) => /^step \d+ of \d+|decommission/.test(entry))) log(`  ${line}`);
  return { result, client };
}

/** One write and read of Milvus's bucket now: the bucket is usable. */
async function bucketUsable(): Promise<void> {
  const { s3 } = await endpoints(context);
  const client = s3Client(context, s3);
  const body = randomBytes(64 * 1024);
  await client.putObject(context.model.milvus.bucketName, 'milvus-swarm-pools/usable', body);
  expect((await readAll(await client.getObject(context.model.milvus.bucketName, 'milvus-swarm-pools/usable'))).equals(body)).toBe(true);
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Back to the repository's MinIO: every MinIO service removed, every node's drives emptied on the hosts (this
 * machine's folders behind each engine's /mnt/data), the topology record dropped, and a first deploy of the
 * repository's topology; verify then makes the buckets again, as at e2e:up.
 */
async function resetMinio(): Promise<void> {
  const services = (await docker(['service', 'ls', '--filter', 'label=io.milvus-swarm.role=minio-node', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).stdout.split('\n').filter(Boolean);
  if (services.length > 0) await docker(['service', 'rm', ...services], { timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  for (const host of ['stg-minio1', 'stg-minio2', 'stg-minio3', 'stg-minio4', ...NEW_HOSTS.map((entry) => entry.name)]) {
    for (const drive of ['disk1', 'disk2', 'disk3', 'disk4']) await rm(path.join(nodePaths(STAGING, host).mnt, drive), { recursive: true, force: true });
  }
  const records = (await docker(['config', 'ls', '--quiet', '--filter', `label=${RECORD_LABEL}`], { timeoutMs: 15_000 })).stdout.split('\n').filter(Boolean);
  if (records.length > 0) await docker(['config', 'rm', ...records], { timeoutMs: 15_000 });
  const deployed = await deployFromRepository(context.model, REPO_ROOT, '--env-file', envFile(STAGING));
  if (deployed.code !== 0) throw new Error(`resetting MinIO: deploy exited ${deployed.code}: ${deployed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  await ready(context);
  await verifyUntil('verify clean after the MinIO reset', clean, 150_000);
}

let before: { key: string; hash: string } | undefined;
beforeAll(async () => {
  context = await staging();
  const nodes = await knownNodes(STAGING);
  for (const host of NEW_HOSTS) if (!nodes.includes(host.name)) log(await nodeAction('add', host.name, { ip: host.ip }));
  await ready(context);
});

afterAll(async () => {
  await resetMinio();
});

describe('MinIO pools, executed step by step', () => {
  it('a second pool added: refused until acknowledged, then every node restarts together on the new command line', async () => {
    const { s3 } = await endpoints(context);
    const body = randomBytes(3 * 1024 * 1024 + 17);
    before = { key: 'milvus-swarm-pools/written-before-the-expansion', hash: sha(body) };
    await s3Client(context, s3).putObject(context.model.milvus.bucketName, before.key, body);

    const unacknowledged = await scratchWith((text) => grownText(text).replace(/\nacknowledge: \[.*\]\n$/, '\n'));
    try {
      const refused = await deployFromRepository(context.model, unacknowledged.root, '--env-file', envFile(STAGING));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/^error: plan: step minio-pool-add:minio5\.\.minio6 runs only when acknowledged .*: add "minio-pool-add:minio5\.\.minio6" under acknowledge: in environments\/staging\.yaml$/m);
      expect(refused.stderr).toMatch(/failed in preflight, nothing was changed/);
    } finally {
      await unacknowledged.remove();
    }

    const grown = await scratchWith(grownText);
    try {
      const run = await deployWatched(grown.root, 'second pool added');
      log(`S3 pause while every MinIO node restarted together (the client's longest gap): ${(run.client.longestGapMs / 1000).toFixed(1)} s (target < 30 s)`);
      expect(run.result.code, run.result.stderr).toBe(0);
      await bucketUsable();
      await verifyUntil('verify clean with two pools', clean, 150_000, { cwd: grown.root });
    } finally {
      await grown.remove();
    }
  });

  it('the first pool decommissioned by deploy, then its services removed: the object written before reads back byte-equal', async () => {
    const shrunk = await scratchWith(shrunkText);
    try {
      const run = await deployWatched(shrunk.root, 'first pool decommissioned');
      expect(run.result.code, run.result.stderr).toBe(0);
      expect(run.result.stderr).toMatch(/^step 1 of 3 minio-pool-decommission:minio1\.\.minio4 \([\d.]+ s\): pool .* decommissioned in [\d.]+ s/m);
      expect(run.result.stderr).toMatch(/^step 3 of 3 service-remove:minio1\.\.minio4 \([\d.]+ s\): removed the services milvus_minio1, milvus_minio2, milvus_minio3, milvus_minio4$/m);
      const services = (await docker(['service', 'ls', '--filter', 'label=io.milvus-swarm.role=minio-node', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).stdout.split('\n').filter(Boolean).sort();
      expect(services).toEqual(['milvus_minio5', 'milvus_minio6']);
      const { s3 } = await endpoints(context);
      const read = await readAll(await s3Client(context, s3).getObject(context.model.milvus.bucketName, before!.key));
      expect(sha(read)).toBe(before!.hash);
      await bucketUsable();
      await verifyUntil('verify clean on the second pool alone', clean, 150_000, { cwd: shrunk.root });
    } finally {
      await shrunk.remove();
    }
  });
});
