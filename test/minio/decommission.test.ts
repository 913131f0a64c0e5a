// Pool decommission through the admin client (generator/minio/admin.ts) against a real MinIO RELEASE.2023-03-20 with
// two pools of 4 drives on one process: what the status says before, during and after, that the objects stay
// readable, byte-equal, and what MinIO does with its command line afterwards (a node restarted on the old one
// refuses to start; the deploy's restart must drop the pool). Each process starts in about half a second.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinioAdmin, MinioAdminError, type PoolStatus } from '../../generator/minio/admin.ts';
import { readObject } from '../processes/support/processes.ts';
import { poolDrive, restartMinio, s3ClientOf, startMinio, writeObjects as writeBucket, type MinioProcess } from './minioProcess.ts';

const BUCKET = 'decommission';
const ZERO_TIME = '0001-01-01T00:00:00Z';

const adminOf = (minio: MinioProcess) => new MinioAdmin({ endpoint: minio.endpoint, credentials: minio.root, encryption: 'pbkdf2-aes-256-gcm' });
const clientOf = s3ClientOf;
/** Objects of different sizes (so a byte count that matches is not a coincidence), written through S3. */
const writeObjects = (minio: MinioProcess, count: number) => writeBucket(minio, BUCKET, count, (index) => `segment/${index}`, (index) => 1_000 + index * 997);

/** The objects whose data lives on the pool: erasure-coded, each has its xl.meta on every drive of its set. */
const onPool = (minio: MinioProcess, pool: number, keys: Iterable<string>) => [...keys].filter((key) => existsSync(path.join(poolDrive(minio.directory, pool), BUCKET, key, 'xl.meta')));

async function pollUntilDone(admin: MinioAdmin, pool: string, ms = 30_000): Promise<PoolStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await admin.decommissionStatus(pool);
    const info = status.decommissionInfo!;
    if (info.complete || info.failed || info.canceled) return status;
    if (Date.now() > deadline) throw new Error(`decommission of ${pool} not done within ${ms} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function expectAllReadable(minio: MinioProcess, objects: Map<string, Buffer>): Promise<void> {
  const client = clientOf(minio);
  for (const [key, body] of objects) expect(sha(await readObject(client, BUCKET, key)), key).toBe(sha(body));
}

describe('decommission of the first of two pools, to completion', () => {
  let minio: MinioProcess;
  let admin: MinioAdmin;
  let objects: Map<string, Buffer>;

  beforeAll(async () => {
    minio = await startMinio({ pools: 2 });
    admin = adminOf(minio);
    objects = await writeObjects(minio, 40);
  }, 90_000);

  afterAll(async () => {
    await minio?.stop();
  });

  it('before: each pool is known by its server argument, in command-line order, and not decommissioning', async () => {
    for (const [index, pool] of minio.pools.entries()) {
      const status = await admin.decommissionStatus(pool);
      expect(status).toMatchObject({ id: index, cmdline: pool });
      // MinIO fills decommissionInfo even for a pool never decommissioned: sizes, the zero start time, no flag.
      expect(status.decommissionInfo).toMatchObject({ startTime: ZERO_TIME, startSize: 0, complete: false, failed: false, canceled: false });
      expect(status.decommissionInfo!.totalSize).toBeGreaterThan(0);
    }
  });

  it('a pool that is not on the command line: 400 XMinioAdminInvalidArgument, naming the call', async () => {
    const unknown = `${minio.directory}/elsewhere{1...4}`;
    for (const [call, attempt] of [
      ['pools/status', () => admin.decommissionStatus(unknown)],
      ['pools/decommission', () => admin.decommissionStart(unknown)],
    ] as const) {
      const error = (await attempt().catch((caught: unknown) => caught)) as MinioAdminError;
      expect(error).toBeInstanceOf(MinioAdminError);
      expect([error.call, error.status, error.code]).toEqual([call, 400, 'XMinioAdminInvalidArgument']);
      expect(error.message).toMatch(new RegExp(`^MinIO admin ${call}: 400 XMinioAdminInvalidArgument`));
    }
  });

  it('moves every object of the pool: complete, the bytes moved are the objects’ sizes, all readable byte-equal', async () => {
    const [first, second] = minio.pools as [string, string];
    const leaving = onPool(minio, 0, objects.keys());
    // Writes spread over both pools (by free space): the test means something only when the first holds some.
    expect(leaving.length).toBeGreaterThan(0);
    expect(leaving.length).toBeLessThan(objects.size);

    const started = Date.now();
    await admin.decommissionStart(first);
    // A second start while one runs, of this pool or any other, is refused (the runner reads the status first).
    for (const pool of [first, second]) {
      const error = (await admin.decommissionStart(pool).catch((caught: unknown) => caught)) as MinioAdminError;
      if (error instanceof MinioAdminError) expect([error.status, error.code]).toEqual([400, 'XMinioDecommissionNotAllowed']);
      // (else it had completed already: 40 small objects take a fraction of a second)
    }
    const status = await pollUntilDone(admin, first);
    const info = status.decommissionInfo!;
    expect(info).toMatchObject({ complete: true, failed: false, canceled: false });
    expect(info.startTime).not.toBe(ZERO_TIME);
    expect(Date.parse(info.startTime)).toBeGreaterThanOrEqual(started - 5_000);
    // RELEASE.2023-03-20 sends no counts: currentSize is startSize (free space at the start) + the bytes moved,
    // which are the objects' sizes plus MinIO's own files the pool held (.minio.sys/config and /buckets: a few KiB).
    expect(info.objectsDecommissioned).toBeUndefined();
    const bytes = leaving.reduce((sum, key) => sum + objects.get(key)!.length, 0);
    const moved = info.currentSize - info.startSize;
    expect(moved).toBeGreaterThanOrEqual(bytes);
    expect(moved - bytes).toBeLessThan(64 * 1024);

    expect(onPool(minio, 0, objects.keys())).toEqual([]);
    expect(onPool(minio, 1, objects.keys())).toHaveLength(objects.size);
    await expectAllReadable(minio, objects);
    expect((await admin.decommissionStatus(second)).decommissionInfo).toMatchObject({ startTime: ZERO_TIME, complete: false, failed: false, canceled: false });
  });

  it('afterwards the pool must leave the command line: a restart that keeps it fails, one without it serves every object', async () => {
    const [first, second] = minio.pools as [string, string];
    const refused = await restartMinio(minio, [first, second]).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/pool\(1st\) = .* is decommissioned, please remove from server command line/);
    minio = await restartMinio(minio, [second]);
    await expectAllReadable(minio, objects);
    const status = await adminOf(minio).decommissionStatus(second);
    expect(status).toMatchObject({ id: 0, cmdline: second });
  });
});

describe('a decommission stopped by cancel', () => {
  let minio: MinioProcess;

  beforeAll(async () => {
    minio = await startMinio({ pools: 2 });
  }, 90_000);

  afterAll(async () => {
    await minio?.stop();
  });

  it('ends as failed, not canceled, in this release; the pool then cannot leave the command line until one completes', async () => {
    const admin = adminOf(minio);
    const objects = await writeObjects(minio, 10);
    const [first, second] = minio.pools as [string, string];
    await admin.decommissionStart(first);
    await admin.decommissionCancel(first);
    const info = (await pollUntilDone(admin, first)).decommissionInfo!;
    // Cancel sets `canceled` and stops the mover, which then marks the pool failed over it (a cancel right after a
    // completion turns `complete` into `canceled` instead): the runner treats failed and canceled alike.
    expect(info.complete).toBe(false);
    expect(info.failed || info.canceled).toBe(true);
    expect(info.startTime).toBe(ZERO_TIME);
    await expectAllReadable(minio, objects);

    const refused = await restartMinio(minio, [second]).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/is being decommissioned, No changes should be made to the command line arguments/);
    minio = await restartMinio(minio, [first, second]);
    await expectAllReadable(minio, objects);
  });
});
