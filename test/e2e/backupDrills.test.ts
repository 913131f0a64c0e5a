// Recovery points on the real local stack (issue 12's drills): `milvus-swarm backup` and `restore` with no endpoint
// given, so the swarm itself is reached — etcdctl in a one-off container on the stack's network, the members
// restored by host jobs and started together. The environment is a scratch copy of local.yaml with a backup:
// section (a directory target, and a second single-node MinIO started here as the off-cluster S3 target); the
// repository's local.yaml has none, so the other files' verify rows are unchanged.
// Leaves the stack converged with the drills' keys and objects removed, versioning suspended, the rule gone.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedBin } from '../cliProcess.ts';
import { isReserved } from '../../generator/backup/bucketCut.ts';
import { listObjectVersions, readRecoveryWindow } from '../../generator/backup/s3.ts';
import { readDeployedTopology } from '../../generator/deploy/operations/deployedTopology.ts';
import { runCommand } from '../../generator/docker/cli.ts';
import { processDocker } from '../../generator/docker/runner.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { pointsDir as processPointsDir, removeScratch, scratchDir, startMinio, readObject, type LocalMinio } from '../processes/support/processes.ts';
import { envFile } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { etcdClient, minioClient, within } from './support/clients.ts';
import { verifyLocal } from './support/cli.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { restoreByDeploy, scale, swarmSnapshot } from './support/stack.ts';

const KEYS = 1_000;
const OBJECTS = 200;
const MAX_OBJECT = 8 * 1024 * 1024;
const TARGET_BUCKET = 'recovery-points';

let model: ClusterModel;
let scratch: Scratch;
let work: string;
let offCluster: LocalMinio;
let minio: Client;
let pointsDir: string;
const log = (line: string) => process.stdout.write(`[e2e] backup drills: ${line}\n`);
/** The prefixes the drills write under, so afterAll removes exactly what they wrote. */
let keyPrefix: string;
let objectPrefix: string;

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
  work = scratchDir('backup-drills');
  pointsDir = processPointsDir('backup-drills');
  offCluster = await startMinio(work);
  await offCluster.client().makeBucket(TARGET_BUCKET);
  // The target's keys, for every process the drills start (verify's recovery-point row lists the target too).
  process.env.DRILL_S3_KEY = offCluster.accessKey;
  process.env.DRILL_S3_SECRET = offCluster.secretKey;
  scratch = await scratchRepository();
  await scratch.edit('environments/local.yaml', (text) =>
    `${text}\nbackup:\n  schedule: "17 3 * * *"\n  keep: 5\n  windowDays: 7\n  targets:\n    directory: ${pointsDir}\n    s3: { endpoint: "http://${offCluster.endpoint}", bucket: ${TARGET_BUCKET}, prefix: local, accessKeyVariable: DRILL_S3_KEY, secretKeyVariable: DRILL_S3_SECRET }\n`,
  );
  await scratch.render();
  minio = await minioClient(model);
  keyPrefix = `${model.milvus.etcdRootPath}/meta/drill-${randomBytes(3).toString('hex')}/`;
  objectPrefix = `${model.milvus.minioRootPath}/drill-${randomBytes(3).toString('hex')}/`;
});

afterAll(async () => {
  // The members must run whatever a drill left (a restore that stopped half way leaves them at 0).
  const etcd = etcdClient(model);
  try {
    await within(30_000, 'removing the drill keys', etcd.delete().prefix(keyPrefix).exec()).catch(() => undefined);
  } finally {
    etcd.close();
  }
  if (minio) {
    // Every version the drills wrote (and the cut markers): destroyed, so the bucket holds what it held before.
    const versions = (await listObjectVersions(minio, model.milvus.bucketName)).filter((entry) => entry.key.startsWith(objectPrefix) || isReserved(entry.key));
    for (const entry of versions) await minio.removeObject(model.milvus.bucketName, entry.key, { versionId: entry.versionId }).catch(() => undefined);
    await minio.setBucketVersioning(model.milvus.bucketName, { Status: 'Suspended' }).catch(() => undefined);
    await minio.removeBucketLifecycle(model.milvus.bucketName).catch(() => undefined);
  }
  delete process.env.DRILL_S3_KEY;
  delete process.env.DRILL_S3_SECRET;
  await offCluster?.stop();
  await scratch?.remove();
  removeScratch(work);
  removeScratch(pointsDir);
});

/** The CLI in the scratch copy, with local.env's credentials and the off-cluster target's keys. */
async function cli(...args: string[]) {
  const result = await runCommand(shippedBin(scratch.root), [...args, '--env', 'local', '--credentials', envFile('local')], {
    cwd: scratch.root,
    timeoutMs: 600_000,
    env: { ...process.env, DRILL_S3_KEY: offCluster.accessKey, DRILL_S3_SECRET: offCluster.secretKey },
  });
  const secret = (await readFile(envFile('local'), 'utf8')).match(/^MINIO_ROOT_PASSWORD=(.*)$/m)?.[1];
  // Nothing a drill prints may hold a credential (the staged snapshot's URL is signed, never printed either).
  for (const value of [secret, offCluster.secretKey]) if (value) expect(result.stdout + result.stderr).not.toContain(value);
  expect(result.stdout + result.stderr).not.toMatch(/X-Amz-Signature/);
  return result;
}

interface State {
  keys: Record<string, string>;
  /** key → MinIO's ETag and size (a single-part upload's ETag is the MD5 of its bytes; a copy keeps it). */
  objects: Record<string, string>;
}

async function state(): Promise<State> {
  const etcd = etcdClient(model);
  try {
    const keys = await within(30_000, 'reading the drill keys', etcd.getAll().prefix(keyPrefix).strings());
    const objects: Record<string, string> = {};
    for await (const item of minio.listObjectsV2(model.milvus.bucketName, objectPrefix, true)) if (item.name) objects[item.name] = `${item.etag} ${item.size}`;
    return { keys, objects };
  } finally {
    etcd.close();
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The content read back, as sha256, of these keys (the ones a mistake changed): equal to what was written then. */
async function contentOf(names: readonly string[]): Promise<Record<string, string>> {
  const read = await Promise.all(names.map(async (name) => [name, sha256(await readObject(minio, model.milvus.bucketName, name))] as const));
  return Object.fromEntries(read);
}

/** Random sizes up to 8 MiB, skewed small (a cube of a uniform draw: mean 2 MiB), so 200 objects are ≈ 400 MiB. */
const objectSize = () => Math.max(1, Math.floor(MAX_OBJECT * Math.random() ** 3));

/** Writes random bytes to each key, keeping their sha256; returns what each key holds now. */
async function putObjects(names: readonly string[], size = objectSize): Promise<Record<string, string>> {
  const now: Record<string, string> = {};
  for (let index = 0; index < names.length; index += 8) {
    await Promise.all(
      names.slice(index, index + 8).map(async (name) => {
        const bytes = randomBytes(size());
        now[name] = sha256(bytes);
        await minio.putObject(model.milvus.bucketName, name, bytes);
      }),
    );
  }
  return now;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('deploy turns recovery points on', () => {
  it('a care change (the backup: section itself) gets a recovery point before anything changes, and the bucket its window', async () => {
    // The plan needs a deployed topology to compare with: a stack deployed by other means has none yet.
    if (!(await readDeployedTopology(processDocker, model.stack).then((record) => record.ok && record.value))) await restoreByDeploy(model);
    const deployed = await runCommand(shippedBin(scratch.root), ['deploy', '--env', 'local', '--credentials', envFile('local')], {
      cwd: scratch.root,
      timeoutMs: 2 * model.swarm.deployTimeoutSeconds * 1000 + 60_000,
    });
    expect(deployed.stderr.split('\n').filter((line) => /^error: /.test(line))).toEqual([]);
    expect(deployed.code).toBe(0);
    const note = /^recovery point (\S+) before backup-enable:milvus-bucket \(care\): etcd revision \d+, .*; in directory .*, s3 .*$/m.exec(deployed.stderr);
    expect(note, deployed.stderr).not.toBeNull();
    log(note![0]);
    expect(deployed.stderr).toMatch(/^milvus-bucket: versioned, recovery window 7 days/m);
    expect(await readRecoveryWindow(minio, model.milvus.bucketName)).toEqual({ versioning: 'Enabled', windowDays: 7 });
    const listed = await cli('backup', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${note![1]!.replace('.', '\\.')} +before deploy: backup-enable:milvus-bucket \\(care\\) .* directory, s3\\s*$`, 'm'));
  });
});

describe('drill: undo a mistake', () => {
  let atPoint: State;
  let mutated: State;
  /** sha256 of each object's bytes at the point, and after the mistake (only the keys it changed). */
  const atPointContent: Record<string, string> = {};
  let changedKeys: string[] = [];
  let mutatedContent: Record<string, string> = {};
  let pointId: string;

  it('a point of 1,000 keys and 200 objects, taken from the swarm itself', async () => {
    const etcd = etcdClient(model);
    try {
      for (let index = 0; index < KEYS; index += 100) {
        await within(30_000, 'writing keys', Promise.all(Array.from({ length: 100 }, (_, offset) => etcd.put(`${keyPrefix}segment/${index + offset}`).value(JSON.stringify({ id: index + offset, pad: randomBytes(24).toString('hex') })))));
      }
    } finally {
      etcd.close();
    }
    Object.assign(atPointContent, await putObjects(Array.from({ length: OBJECTS - 1 }, (_, index) => `${objectPrefix}insert_log/${index}`)));
    // One at the top of the range, whatever the draw gave.
    Object.assign(atPointContent, await putObjects([`${objectPrefix}insert_log/largest`], () => MAX_OBJECT));
    atPoint = await state();
    expect(Object.keys(atPoint.keys)).toHaveLength(KEYS);
    expect(Object.keys(atPoint.objects)).toHaveLength(OBJECTS);

    const made = await cli('backup', '--reason', 'drill: before the mistake');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    pointId = lastLine(made.stdout);
    expect(made.stdout).toMatch(new RegExp(`^  etcd    revision \\d+, \\d+ keys, snapshot .* from http://etcd\\d:2379 in`, 'm'));
    log(`point ${pointId}: ${made.stdout.split('\n').filter((line) => /^ {2}(etcd|bucket|total)/.test(line)).join(' | ')}`);
  });

  it('restore brings back exactly the keys and objects of the point after a mistake; restoring its undo point gets the mistake back', async () => {
    const etcd = etcdClient(model);
    try {
      await within(30_000, 'deleting half the keys', Promise.all(Array.from({ length: KEYS / 2 }, (_, index) => etcd.delete().key(`${keyPrefix}segment/${index * 2}`))));
    } finally {
      etcd.close();
    }
    const names = Object.keys(atPoint.objects).sort();
    const overwritten = await putObjects(names.slice(0, 30));
    await minio.removeObjects(model.milvus.bucketName, names.slice(30, 60)); // deleted
    const added = await putObjects(Array.from({ length: 30 }, (_, index) => `${objectPrefix}insert_log/new-${index}`));
    mutated = await state();
    changedKeys = names.slice(0, 60);
    mutatedContent = { ...overwritten, ...added };
    expect(Object.keys(mutated.keys)).toHaveLength(KEYS / 2);
    expect(Object.keys(mutated.objects)).toHaveLength(OBJECTS);
    expect(mutated.objects).not.toEqual(atPoint.objects);

    const started = performance.now();
    const restored = await cli('restore', '--point', pointId, '--yes');
    expect(restored.stderr.split('\n').filter((line) => /error|FAILED|refused/i.test(line))).toEqual([]);
    expect(restored.code).toBe(0);
    log(`restore of ${pointId} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${restored.stdout.split('\n').filter((line) => /^(restored|  bucket)/.test(line)).join(' | ')}`);
    await waitUntilReady(model, 120_000);
    expect(await state()).toEqual(atPoint);
    // The bytes themselves, where the mistake had changed them: what was written before it.
    expect(await contentOf(changedKeys)).toEqual(Object.fromEntries(changedKeys.map((name) => [name, atPointContent[name]])));

    const undo = /^to undo: npx milvus-swarm restore --env local --point (\S+) --yes$/m.exec(restored.stdout)?.[1];
    expect(undo).toBeDefined();
    const undone = await cli('restore', '--point', undo!, '--yes');
    expect(undone.code).toBe(0);
    await waitUntilReady(model, 120_000);
    expect(await state()).toEqual(mutated);
    expect(await contentOf(Object.keys(mutatedContent))).toEqual(mutatedContent);
  });

  it('a snapshot with one flipped byte is refused before anything changes', async () => {
    const snapshot = path.join(pointsDir, pointId, 'etcd.db');
    const bytes = await readFile(snapshot);
    const original = Buffer.from(bytes);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(snapshot, bytes);
    try {
      const before = await swarmSnapshot(model);
      const refused = await cli('restore', '--point', pointId, '--yes');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^restore local: etcd snapshot: etcd's sha256 at the end of the file does not match its contents .*: refused, nothing was changed$/m);
      expect(await swarmSnapshot(model)).toEqual(before);
      expect(await state()).toEqual(mutated);
    } finally {
      await writeFile(snapshot, original);
    }
  });

  it('lose etcd entirely: members stopped, every data dir wiped, restored from the off-cluster copy alone; verify green, keys back', async () => {
    await Promise.all(model.etcd.members.map((member) => scale(model, member.name, 0)));
    for (const member of model.etcd.members) {
      await rm(member.dataDir, { recursive: true, force: true });
      await mkdir(member.dataDir, { mode: 0o700 });
    }
    // Only the S3 target (the second MinIO) still holds the point.
    await rm(path.join(pointsDir, pointId), { recursive: true, force: true });
    const listed = await cli('backup', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${pointId} .* s3\\s*$`, 'm'));

    const started = performance.now();
    const restored = await cli('restore', '--point', pointId, '--yes', '--without-undo-point');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`, from s3 http://${offCluster.endpoint}/${TARGET_BUCKET}/local$`, 'm'));
    log(`lost etcd restored from the S3 target in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await waitUntilReady(model, 120_000);
    expect(await state()).toEqual(atPoint);
    expect(await contentOf(changedKeys)).toEqual(Object.fromEntries(changedKeys.map((name) => [name, atPointContent[name]])));
    const verified = await verifyLocal({ cwd: scratch.root });
    expect(verified.rows.filter((entry) => entry.status !== 'pass').map((entry) => `${entry.status} ${entry.check}: ${entry.reason}`)).toEqual([]);
    expect(verified.code).toBe(0);
  });
});

afterAll(async () => {
  // The repository's deploy: members a drill left at 0 run again, and the deployed-topology record is the
  // repository's again (the scratch copy's, with its backup: section, was recorded by the first test).
  await restoreByDeploy(model);
});
