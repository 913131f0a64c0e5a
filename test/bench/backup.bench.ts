// `npm run bench:backup`: figures for recovery points on this machine, with real processes (no Docker): a recovery
// point and a restore of etcd with 100k keys (~100 MiB db) and a bucket of 10k objects, and what versioning keeps for
// a Milvus-like write pattern. Prints figures and whether the targets were met; not a test (no assertion
// fails on time). MILVUS_SWARM_BENCH_SCALE=0.1 runs a tenth of the data (a quick look).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import type { Client } from 'minio';
import { localTool, milvusSessions } from '../../generator/backup/etcdSnapshot.ts';
import { makeRecoveryPoint, type BackupInput } from '../../generator/backup/recoveryPoint.ts';
import { formatBytes } from '../../generator/backup/report.ts';
import { directoryMembers, restoreRecoveryPoint, type EtcdMembersRestorer } from '../../generator/backup/restore.ts';
import { ensureRecoveryWindow, listObjectVersions } from '../../generator/backup/s3.ts';
import { directoryStore, s3Store } from '../../generator/backup/stores.ts';
import { ensureBinaries } from '../e2e/harness/binaries.ts';
import { freePort, POINT_KEY, removeScratch, scratchDir, startEtcd, startMinio, type LocalEtcd, type LocalMinio } from '../processes/support/processes.ts';

const SCALE = Number(process.env.MILVUS_SWARM_BENCH_SCALE ?? '1');
const ETCD_KEYS = Math.round(100_000 * SCALE);
const VALUE_BYTES = 740;
const OBJECTS = Math.round(10_000 * SCALE);
const BUCKET = 'milvus-bucket';

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

/** Runs `work` over `items` with `concurrency` workers. */
async function parallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const du = (directory: string) => Number(execFileSync('du', ['-sb', directory], { encoding: 'utf8' }).split('\t')[0]);

async function fillEtcd(etcd: LocalEtcd): Promise<void> {
  const client = etcd.client();
  try {
    const batches = Array.from({ length: Math.ceil(ETCD_KEYS / 100) }, (_, batch) => batch);
    // Milvus-like keys: collection, segment and binlog metadata under its root path; 100 puts per transaction.
    await parallel(batches, 4, async (batch) => {
      const txn = client.if(`by-dev/meta/bench/${batch}`, 'Version', '>', -1);
      const puts = Array.from({ length: Math.min(100, ETCD_KEYS - batch * 100) }, (_, index) =>
        client.put(`by-dev/meta/datacoord-meta/s/${batch}/${batch * 100 + index}`).value(randomBytes(VALUE_BYTES / 2).toString('hex')),
      );
      await txn.then(...puts).commit();
    });
  } finally {
    client.close();
  }
}

async function fillBucket(client: Client): Promise<number> {
  let bytes = 0;
  const keys = Array.from({ length: OBJECTS }, (_, index) => index);
  await parallel(keys, 16, async (index) => {
    const size = 1024 + ((index * 7919) % (31 * 1024)); // 1 to 32 KiB, 16.5 KiB on average
    bytes += size;
    await client.putObject(BUCKET, `files/insert_log/449/450/${Math.floor(index / 20)}/${index % 20}/${index}`, randomBytes(size));
  });
  return bytes;
}

/**
 * Versioning's cost for Milvus's pattern, per simulated day: segments flushed as small binlogs, yesterday's small
 * segments compacted into one (new binlogs written, the old ones deleted by Milvus's GC), index files built for the
 * compacted segment and dropped with it when it is compacted again; one collection dropped mid-way. Live bytes vs.
 * bytes kept only as noncurrent versions after `days` days, all within the window (nothing has expired yet).
 */
async function versioningCost(client: Client, days: number): Promise<{ live: number; noncurrent: number; deleteMarkers: number }> {
  const bucket = 'versioning-cost';
  await client.makeBucket(bucket);
  await ensureRecoveryWindow(client, bucket, days);
  const segmentBytes = Math.round(256 * 1024 * Math.max(SCALE, 0.1));
  let segment = 0;
  let yesterday: string[] = [];
  let compacted: string[] = [];
  for (let day = 0; day < days; day++) {
    const flushed: string[] = [];
    for (let index = 0; index < 16; index++) {
      const key = `files/insert_log/1/1/${segment++}/100/1`;
      await client.putObject(bucket, key, randomBytes(segmentBytes));
      flushed.push(key);
    }
    if (yesterday.length > 0) {
      // Compaction: the 16 small segments become one; GC deletes the sources; the old compacted segment's index goes.
      const merged = `files/insert_log/1/1/${segment++}/100/1`;
      await client.putObject(bucket, merged, randomBytes(segmentBytes * yesterday.length));
      await client.putObject(bucket, `files/index_files/${segment}/1/index`, randomBytes(Math.round(segmentBytes * yesterday.length * 0.3)));
      for (const key of yesterday) await client.removeObject(bucket, key);
      compacted.push(merged);
    }
    if (day === Math.floor(days / 2)) {
      // A collection dropped: its compacted segments go.
      for (const key of compacted) await client.removeObject(bucket, key);
      compacted = [];
    }
    yesterday = flushed;
  }
  const versions = await listObjectVersions(client, bucket);
  let live = 0;
  let noncurrent = 0;
  let deleteMarkers = 0;
  for (const version of versions) {
    if (version.deleteMarker) deleteMarkers++;
    else if (version.isLatest) live += version.size;
    else noncurrent += version.size;
  }
  return { live, noncurrent, deleteMarkers };
}

async function main(): Promise<void> {
  const { binaries } = await ensureBinaries();
  const etcdctl = localTool(binaries.etcdctl);
  const etcdutl = localTool(binaries.etcdutl);
  const directory = scratchDir('bench-backup');
  let etcd: LocalEtcd | undefined;
  let minio: LocalMinio | undefined;
  let offCluster: LocalMinio | undefined;
  try {
    [etcd, minio, offCluster] = await Promise.all([startEtcd(directory), startMinio(directory), startMinio(directory)]);
    const client = minio.client();
    await client.makeBucket(BUCKET);
    await ensureRecoveryWindow(client, BUCKET, 7);
    await offCluster.client().makeBucket('recovery-points');
    log(`bench:backup on ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}; scale ${SCALE}`);

    const [, fillEtcdMs] = await timed(() => fillEtcd(etcd!));
    const [bucketBytes, fillBucketMs] = await timed(() => fillBucket(client));
    log(`data: ${ETCD_KEYS} etcd keys written in ${seconds(fillEtcdMs)}; ${OBJECTS} objects (${formatBytes(bucketBytes)}) in ${seconds(fillBucketMs)}`);

    const stores = [directoryStore(path.join(directory, 'points')), s3Store(offCluster.client(), { bucket: 'recovery-points', prefix: 'bench', endpoint: `http://${offCluster.endpoint}` })];
    const backupInput = (reason: string): BackupInput => ({
      environment: 'bench',
      stack: 'milvus',
      bucket: BUCKET,
      windowDays: 7,
      keep: 5,
      reason,
      etcd: { endpoint: etcd!.clientUrl, etcdctl, etcdutl },
      minio: client,
      stores,
      pointKey: POINT_KEY,
      workDir: path.join(directory, 'work'),
    });

    // The etcd part alone: what a point of a 100 MiB etcd costs (snapshot, sha256 and status, key count).
    const [point, pointMs] = await timed(() => makeRecoveryPoint(backupInput('bench')));
    if (!point.ok || !point.manifest) throw new Error(`backup failed: ${point.problem ?? JSON.stringify(point.stores)}`);
    const manifest = point.manifest;
    const pointDir = path.join(directory, 'points', manifest.id);
    log('');
    log(`recovery point ${manifest.id}: ${seconds(pointMs)} in all`);
    log(`  etcd snapshot + check + key count  ${seconds(point.timings.snapshotMs)}  db ${formatBytes(manifest.etcd.totalSize)}, ${manifest.etcd.keys ?? '?'} keys, revision ${manifest.etcd.revision}`);
    log(`  MinIO cut + listing + inventory    ${seconds(point.timings.cutMs)}  ${manifest.bucket.objects} objects, ${formatBytes(manifest.bucket.bytes)}`);
    log(`  written to directory and S3        ${seconds(point.timings.storeMs)}  ${formatBytes(du(pointDir))} per target (snapshot ${formatBytes(manifest.etcd.bytes)}, inventory ${formatBytes(du(path.join(pointDir, 'objects.ndjson.gz')))})`);

    // The worst case for a restore: every object deleted after the point, 1,000 new ones written.
    const keys = (await listObjectVersions(client, BUCKET)).filter((version) => version.isLatest && !version.deleteMarker && version.key.startsWith('files/')).map((version) => version.key);
    await parallel(
      Array.from({ length: Math.ceil(keys.length / 1000) }, (_, index) => keys.slice(index * 1000, index * 1000 + 1000)),
      2,
      async (batch) => void (await client.removeObjects(BUCKET, batch)),
    );
    await parallel(Array.from({ length: Math.round(OBJECTS / 10) }, (_, index) => index), 16, async (index) => void (await client.putObject(BUCKET, `files/insert_log/999/${index}`, randomBytes(4096))));
    const etcdKeys = etcd.client();
    await etcdKeys.delete().prefix('by-dev/meta/datacoord-meta/s/1');
    etcdKeys.close();

    let stopStart = 0;
    let etcdutlMs = 0;
    const members: EtcdMembersRestorer = {
      where: 'the bench member',
      check: async () => [],
      async restore(input) {
        const peerPort = await freePort();
        const dataDir = path.join(directory, `restored-${Date.now()}.etcd`);
        const clientPort = Number(new URL(etcd!.clientUrl).port);
        const begin = performance.now();
        await etcd!.stop();
        const [outcome, ms] = await timed(() => directoryMembers(etcdutl, { dataDir, member: { name: etcd!.name, peerUrl: `http://127.0.0.1:${peerPort}` } }).restore(input));
        etcdutlMs = ms;
        etcd = await startEtcd(directory, { dataDir, name: etcd!.name, clientPort, peerPort });
        stopStart = performance.now() - begin - ms;
        return outcome;
      },
    };
    const [restored, restoreMs] = await timed(() =>
      restoreRecoveryPoint({
        point: manifest.id,
        pointKey: POINT_KEY,
        environment: 'bench',
        bucket: BUCKET,
        stores,
        minio: client,
        etcdutl,
        members,
        clusterToken: 'milvus-etcd',
        workDir: path.join(directory, 'work'),
        milvusSessions: () => milvusSessions(etcdctl, etcd!.clientUrl, 'by-dev'),
        undoPoint: backupInput('undo'),
      }),
    );
    if (!restored.ok) throw new Error(`restore failed at ${restored.stage}: ${restored.problems.join('; ')}`);
    const check = new Etcd3({ hosts: etcd.clientUrl });
    const restoredKeys = await check.getAll().prefix('by-dev/').count();
    check.close();
    log('');
    const stages = restored.timings;
    log(`restore of ${manifest.id}: ${seconds(restoreMs)} in all`);
    log(`  fetch + checks + bucket plan       ${seconds(stages.checkMs)}  (snapshot sha256 and status, Milvus sessions, ${OBJECTS + Math.round(OBJECTS / 10)} keys' versions listed)`);
    log(`  undo point (the state before)      ${seconds(stages.undoPointMs)}`);
    log(`  etcd                               ${seconds(stages.etcdMs)}`);
    log(`  etcdutl snapshot restore           ${seconds(etcdutlMs)}  (+ ${seconds(stopStart)} to stop etcd and start it on the restored dir); ${restoredKeys} keys back`);
    log(`  bucket                             ${seconds(stages.bucketMs)}  ${restored.bucket!.copied.objects} objects copied back (${formatBytes(restored.bucket!.copied.bytes)}), ${restored.bucket!.hidden.objects} hidden`);

    const days = 7;
    const cost = await versioningCost(client, days);
    log('');
    log(`versioning over a ${days}-day window, Milvus-like pattern (16 segments flushed a day, compacted the next day with an index, one collection dropped):`);
    log(`  live ${formatBytes(cost.live)}, kept only as noncurrent versions ${formatBytes(cost.noncurrent)} (${(cost.noncurrent / cost.live).toFixed(2)}× the live data), ${cost.deleteMarkers} delete markers`);

    log('');
    const pointTarget = point.timings.snapshotMs < 10_000;
    const restoreTarget = restoreMs < 120_000;
    log(`target: recovery point of a ${formatBytes(manifest.etcd.totalSize)} etcd < 10 s: ${pointTarget ? 'met' : 'MISSED'} (${seconds(point.timings.snapshotMs)} for etcd; ${seconds(pointMs)} with the bucket cut and both targets)`);
    log(`target: restore of etcd + ${OBJECTS}-object bucket < 2 min: ${restoreTarget ? 'met' : 'MISSED'} (${seconds(restoreMs)}, of which the undo point ${seconds(stages.undoPointMs)})`);
  } finally {
    await Promise.all([etcd?.stop(), minio?.stop(), offCluster?.stop()]);
    removeScratch(directory);
  }
}

await main();
