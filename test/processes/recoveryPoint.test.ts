// Recovery points end to end through the library, on real processes: etcd, Milvus's MinIO, and a second MinIO as the
// off-cluster S3 target beside a directory target. A point is made, the data is damaged, the point restored (etcd
// and bucket exactly as they were), the restore undone, old points pruned; damaged files and a connected Milvus are
// refused before anything changes.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReserved } from '../../generator/backup/bucketCut.ts';
import { localTool, milvusSessions } from '../../generator/backup/etcdSnapshot.ts';
import { INVENTORY_FILE, MANIFEST_FILE, SNAPSHOT_FILE } from '../../generator/backup/manifest.ts';
import { listRecoveryPoints, makeRecoveryPoint, type BackupInput, type EtcdAccess } from '../../generator/backup/recoveryPoint.ts';
import { directoryMembers, restoreRecoveryPoint, type EtcdMembersRestorer, type RestoreInput } from '../../generator/backup/restore.ts';
import { ensureRecoveryWindow } from '../../generator/backup/s3.ts';
import { directoryStore, s3Store, type PointStore } from '../../generator/backup/stores.ts';
import { binaries, freePort, POINT_KEY, readObject, removeScratch, scratchDir, startEtcd, startMinio, type LocalEtcd, type LocalMinio } from './support/processes.ts';

const BUCKET = 'milvus-bucket';
const ROOT = 'by-dev';
const etcdctl = localTool(binaries.etcdctl);
const etcdutl = localTool(binaries.etcdutl);

let directory: string;
let etcd: LocalEtcd;
let minio: LocalMinio;
let offCluster: LocalMinio;
let client: Client;
let stores: PointStore[];
let restores = 0;

beforeAll(async () => {
  directory = scratchDir('recovery-point');
  [etcd, minio, offCluster] = await Promise.all([startEtcd(directory), startMinio(directory), startMinio(directory)]);
  client = minio.client();
  await client.makeBucket(BUCKET);
  await ensureRecoveryWindow(client, BUCKET, 7);
  await offCluster.client().makeBucket('recovery-points');
  stores = [directoryStore(path.join(directory, 'points')), s3Store(offCluster.client(), { bucket: 'recovery-points', prefix: 'test/local', endpoint: `http://${offCluster.endpoint}` })];
});

afterAll(async () => {
  await Promise.all([etcd?.stop(), minio?.stop(), offCluster?.stop()]);
  removeScratch(directory);
});

const access = (): EtcdAccess => ({ endpoint: etcd.clientUrl, etcdctl, etcdutl });

const backupInput = (reason: string, keep = 2): BackupInput => ({
  environment: 'local',
  stack: 'milvus',
  bucket: BUCKET,
  windowDays: 7,
  keep,
  reason,
  etcd: access(),
  minio: client,
  stores,
  pointKey: POINT_KEY,
  workDir: path.join(directory, 'work'),
});

/** What the listings trust: points signed with the test's key, of environment local, dated by now. */
const trust = () => ({ key: POINT_KEY, environment: 'local', now: new Date() });

/**
 * What the swarm does with host jobs, done to the local member: stop it, restore a new data dir, start it on the
 * same client URL. Test scaffolding for the seam; the restore into the directory is the library's.
 */
const localMembers = (): EtcdMembersRestorer => {
  const next = path.join(directory, `restored-${++restores}.etcd`);
  let restored: EtcdMembersRestorer | undefined;
  let peerPort = 0;
  return {
    where: `local member (${next})`,
    check: async () => [],
    async restore(input) {
      peerPort = await freePort();
      restored = directoryMembers(etcdutl, { dataDir: next, member: { name: etcd.name, peerUrl: `http://127.0.0.1:${peerPort}` } });
      await etcd.stop();
      const outcome = await restored.restore(input);
      etcd = await startEtcd(directory, { dataDir: next, name: etcd.name, clientPort: Number(new URL(etcd.clientUrl).port), peerPort });
      return outcome;
    },
  };
};

const restoreInput = (point: string, members: EtcdMembersRestorer = localMembers()): RestoreInput => ({
  point,
  pointKey: POINT_KEY,
  environment: 'local',
  bucket: BUCKET,
  stores,
  minio: client,
  etcdutl,
  members,
  clusterToken: 'milvus-etcd-local',
  workDir: path.join(directory, 'work'),
  milvusSessions: () => milvusSessions(etcdctl, etcd.clientUrl, ROOT),
  // What a scheduled backup is made with, keep and all: the restore must still not prune with it.
  undoPoint: backupInput('ignored'),
});

/** etcd's keys and values, and every object's sha256: what Milvus would find. */
async function state(): Promise<{ keys: Record<string, string>; objects: Record<string, string> }> {
  const etcdClient = etcd.client();
  try {
    const keys = await etcdClient.getAll().prefix(ROOT).strings();
    const objects: Record<string, string> = {};
    for await (const item of client.listObjectsV2(BUCKET, '', true)) {
      if (item.name && !isReserved(item.name)) objects[item.name] = createHash('sha256').update(await readObject(client, BUCKET, item.name)).digest('hex');
    }
    return { keys, objects };
  } finally {
    etcdClient.close();
  }
}

describe('a recovery point', () => {
  let pointA: string;
  let atPointA: Awaited<ReturnType<typeof state>>;
  let damaged: Awaited<ReturnType<typeof state>>;

  it('holds an etcd snapshot and the bucket as of its cut, in both targets, with the figures of both', async () => {
    const etcdClient = etcd.client();
    try {
      for (let index = 0; index < 200; index++) await etcdClient.put(`${ROOT}/meta/collection/${index}`).value(`{"segments":[${index}]}`);
    } finally {
      etcdClient.close();
    }
    let bytes = 0;
    for (let index = 0; index < 40; index++) {
      const size = 100 + index * 1000;
      bytes += size;
      await client.putObject(BUCKET, `files/insert_log/${index}`, randomBytes(size));
    }
    atPointA = await state();

    const report = await makeRecoveryPoint(backupInput('manual'));
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    const manifest = report.manifest!;
    pointA = manifest.id;
    expect(manifest.bucket).toMatchObject({ name: BUCKET, objects: 40, bytes, windowDays: 7 });
    expect(manifest.etcd).toMatchObject({ keys: 200, endpoint: etcd.clientUrl });
    expect(new Date(manifest.cut).getTime()).toBeGreaterThanOrEqual(new Date(manifest.etcd.endedAt).getTime() - 1000);
    expect(report.stores.map((store) => [store.where, store.written, store.pruned])).toEqual([
      [stores[0]!.where, true, []],
      [stores[1]!.where, true, []],
    ]);
    const listed = await listRecoveryPoints(stores, trust());
    expect(listed.points.map((point) => [point.id, point.where.length, point.manifest?.reason])).toEqual([[pointA, 2, 'manual']]);
    // The S3 target holds the same three files under its prefix.
    const names: string[] = [];
    for await (const item of offCluster.client().listObjectsV2('recovery-points', 'test/local/', true)) names.push(item.name!);
    expect(names.sort()).toEqual([`test/local/${pointA}/${SNAPSHOT_FILE}`, `test/local/${pointA}/${MANIFEST_FILE}`, `test/local/${pointA}/${INVENTORY_FILE}`].sort());
  });

  it('brings etcd and the bucket back exactly, after a point of the damaged state', async () => {
    const etcdClient = etcd.client();
    try {
      for (let index = 0; index < 200; index += 2) await etcdClient.delete().key(`${ROOT}/meta/collection/${index}`);
      await etcdClient.put(`${ROOT}/meta/collection/new`).value('{}');
    } finally {
      etcdClient.close();
    }
    for (let index = 0; index < 40; index += 4) await client.removeObject(BUCKET, `files/insert_log/${index}`);
    for (let index = 1; index < 40; index += 4) await client.putObject(BUCKET, `files/insert_log/${index}`, randomBytes(10));
    await client.putObject(BUCKET, 'files/insert_log/new', randomBytes(77));
    damaged = await state();

    const report = await restoreRecoveryPoint(restoreInput(pointA));
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, stage: 'done', changed: true, from: stores[0]!.where });
    expect(report.etcd).toMatchObject({ keys: 200, before: { keys: 101 } });
    expect(report.bucket).toEqual({ copied: { objects: 20, bytes: expect.any(Number) }, hidden: { objects: 1, bytes: 77 }, unchanged: 20, failed: [] });
    expect(await state()).toEqual(atPointA);
    expect(report.undoPoint?.reason).toBe(`before restore of ${pointA}`);
  });

  it('can be undone by restoring the point the restore made first; an undo point never prunes', async () => {
    const points = await listRecoveryPoints(stores, trust());
    const undo = points.points.find((point) => point.manifest?.reason === `before restore of ${pointA}`)!;
    const report = await restoreRecoveryPoint(restoreInput(undo.id));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await state()).toEqual(damaged);
    // Three points with keep 2: this restore's own undo point pruned nothing (a backup prunes, a restore never).
    const after = await listRecoveryPoints(stores, trust());
    expect(after.points.map((point) => [point.id, point.where.length])).toEqual([
      [report.undoPoint!.id, 2],
      [undo.id, 2],
      [pointA, 2],
    ]);
  });

  it('restoring the oldest point, beyond keep, leaves it in every target (its restore can be run again)', async () => {
    const report = await restoreRecoveryPoint(restoreInput(pointA));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await state()).toEqual(atPointA);
    const after = await listRecoveryPoints(stores, trust());
    expect(after.points).toHaveLength(4);
    expect(after.points.find((point) => point.id === pointA)?.where).toHaveLength(2);
    // The next backup prunes to keep, as scheduled points do.
    const next = await makeRecoveryPoint(backupInput('manual'));
    expect(next.stores.map((store) => store.pruned.length)).toEqual([3, 3]);
    expect((await listRecoveryPoints(stores, trust())).points.map((point) => point.id)).toEqual([next.manifest!.id, report.undoPoint!.id]);
  });

  it('is refused before anything changes when a byte of its snapshot is flipped', async () => {
    const latest = (await listRecoveryPoints(stores, trust())).points[0]!;
    const file = path.join(directory, 'points', latest.id, SNAPSHOT_FILE);
    const bytes = readFileSync(file);
    bytes[4096 + 17]! ^= 0x40;
    writeFileSync(file, bytes);
    const before = await state();
    const members = localMembers();
    let touched = false;
    const report = await restoreRecoveryPoint(restoreInput(latest.id, { ...members, restore: async () => ((touched = true), { notes: [] }) }));
    expect(report).toMatchObject({ ok: false, stage: 'check', changed: false });
    expect(report.problems[0]).toBe("etcd snapshot: etcd's sha256 at the end of the file does not match its contents (a changed or damaged file): refused, nothing was changed");
    expect(touched).toBe(false);
    expect(await state()).toEqual(before);
    expect((await listRecoveryPoints(stores, trust())).points).toHaveLength(2); // no undo point either
  });

  it('is refused while Milvus holds a session in etcd', async () => {
    const point = (await listRecoveryPoints(stores, trust())).points[1]!;
    const etcdClient = etcd.client();
    const lease = etcdClient.lease(60);
    try {
      await lease.put(`${ROOT}/meta/session/querynode-7`).value('{"ServerID":7}');
      const report = await restoreRecoveryPoint(restoreInput(point.id));
      expect(report).toMatchObject({ ok: false, stage: 'milvus', changed: false });
      expect(report.problems).toEqual([`Milvus is connected: 1 live session in etcd (${ROOT}/meta/session/querynode-7); stop Milvus and wait until they expire`]);
    } finally {
      await lease.revoke();
      etcdClient.close();
    }
  });
});
