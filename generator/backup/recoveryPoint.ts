// Making a recovery point: an etcd snapshot, then the MinIO cut, then a manifest beside both in every target, then
// pruning to the topology's `keep`. The order is the guarantee: Milvus writes a segment to MinIO before it records
// it in etcd, so every object the snapshot names was written before the snapshot ended, and the cut is taken after
// that (on MinIO's clock). The bucket as of the cut holds every segment etcd names.
//
// Everything that touches the running environment comes in as values: the etcd tools and the member endpoint
// (EtcdAccess), a client of Milvus's MinIO, and the stores. The CLI fills them for endpoints it can reach; the swarm
// fills them with a one-off container on the stack's network.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Client } from 'minio';
import { bucketStateAt, figuresOf, inventoryOf } from './bucketCut.ts';
import { checkSnapshot, countKeysAt, saveSnapshot, type ToolRunner } from './etcdSnapshot.ts';
import { formatManifest, INVENTORY_FILE, MANIFEST_FORMAT, newestFirst, pointId, pointsToPrune, SNAPSHOT_FILE, type Manifest } from './manifest.ts';
import { canonicalJson, MISSING_POINT_KEY, signatureOf, type PointKey } from './pointKey.ts';
import { judgeFolder, judgeManifest, TRUST_ORDER, type PointTrust, type StoreEntry, type TrustContext } from './pointTrust.ts';
import { listObjectVersions, markCut, readRecoveryWindow } from './s3.ts';
import type { PointStore } from './stores.ts';

/** How this process reaches etcd: a member's client URL and the tools that can reach it and see `workDir`. */
export interface EtcdAccess {
  /** One member's client URL as the etcdctl runner reaches it (a snapshot is read from exactly one member). */
  endpoint: string;
  etcdctl: ToolRunner;
  etcdutl: ToolRunner;
}

export interface BackupInput {
  environment: string;
  stack: string;
  /** Milvus's bucket. */
  bucket: string;
  windowDays: number;
  /**
   * Points kept in each store after this one is written; older ones are pruned. Absent: nothing is pruned — a
   * restore's undo point, which could otherwise remove the very point being restored (and a retry with
   * `--point latest` would then restore the undo point instead).
   */
  keep?: number;
  reason: string;
  etcd: EtcdAccess;
  minio: Client;
  stores: readonly PointStore[];
  /**
   * The runner's key (pointKey.ts): the manifest is signed with it, and only points it authenticates are counted when
   * pruning. Undefined: no point is made. 'unsigned': a restore's undo point under --allow-unsigned without a key.
   */
  pointKey: PointKey | 'unsigned' | undefined;
  /** A folder of this machine for the point's files while they are written (a runner must see it at the same path). */
  workDir: string;
  now?: () => Date;
}

export interface StoreOutcome {
  where: string;
  written: boolean;
  /** Points removed by pruning. */
  pruned: string[];
  error?: string;
}

export interface BackupReport {
  ok: boolean;
  /** Set once the point was made (even if a store failed). */
  manifest?: Manifest;
  stores: StoreOutcome[];
  /** Figures that could not be read (the point is good without them). */
  notes: string[];
  timings: { snapshotMs: number; cutMs: number; storeMs: number; totalMs: number };
  /** Why no point was made, when none was. */
  problem?: string;
}

// ~115 lines: one sequence whose stages feed each other and one report — the etcd snapshot and its checks, the bucket's
// cut at the snapshot's moment, the manifest signed over both, each store written, then pruning — so a failure at any
// stage can say what was and was not made; each stage's work is a function of its own (etcdSnapshot, bucketCut, stores).
/** Makes one recovery point; never throws for a failure of the environment: the report says what happened. */
export async function makeRecoveryPoint(input: BackupInput): Promise<BackupReport> {
  const now = input.now ?? (() => new Date());
  const started = performance.now();
  const timings = { snapshotMs: 0, cutMs: 0, storeMs: 0, totalMs: 0 };
  const notes: string[] = [];
  const fail = (problem: string): BackupReport => ({ ok: false, stores: [], notes, timings: { ...timings, totalMs: Math.round(performance.now() - started) }, problem });

  if (input.pointKey === undefined) return fail(MISSING_POINT_KEY);
  const key = input.pointKey === 'unsigned' ? undefined : input.pointKey;
  // A point of an unversioned bucket could never bring the bucket back: refuse before touching anything.
  const window = await readRecoveryWindow(input.minio, input.bucket).catch((error: Error) => error);
  if (window instanceof Error) return fail(`MinIO: ${window.message}`);
  if (window.versioning !== 'Enabled') {
    return fail(`bucket ${input.bucket} is not versioned (${window.versioning}): deploy turns versioning on from the topology's backup: section before the first point`);
  }

  const startedAt = now();
  const id = pointId(startedAt);
  const folder = path.join(input.workDir, id);
  await mkdir(folder, { recursive: true });
  try {
    const snapshotFile = path.join(folder, SNAPSHOT_FILE);
    let snapshotEndedAt: Date;
    const snapshotStarted = performance.now();
    try {
      await saveSnapshot(input.etcd.etcdctl, { endpoint: input.etcd.endpoint, file: snapshotFile });
      snapshotEndedAt = now();
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const checked = await checkSnapshot(input.etcd.etcdutl, snapshotFile);
    if (checked.problems.length > 0 || !checked.status) return fail(`the snapshot just taken does not check: ${checked.problems.join('; ')}`);
    // A figure for the report, not part of the point's guarantee: a failure is noted, not fatal.
    const keys = await countKeysAt(input.etcd.etcdctl, input.etcd.endpoint, checked.status.revision).catch((error: Error) => {
      notes.push(`etcd keys not counted: ${error.message}`);
      return undefined;
    });
    if (keys === undefined && notes.length === 0) notes.push(`etcd keys not counted: revision ${checked.status.revision} was compacted already`);
    timings.snapshotMs = Math.round(performance.now() - snapshotStarted);

    const cutStarted = performance.now();
    const { cut } = await markCut(input.minio, input.bucket, id);
    const state = bucketStateAt(await listObjectVersions(input.minio, input.bucket), cut);
    const figures = figuresOf(state);
    const inventoryFile = path.join(folder, INVENTORY_FILE);
    await writeInventory(inventoryFile, inventoryOf(state));
    timings.cutMs = Math.round(performance.now() - cutStarted);

    const unsigned: Manifest = {
      format: MANIFEST_FORMAT,
      id,
      environment: input.environment,
      stack: input.stack,
      reason: input.reason,
      cut: cut.toISOString(),
      etcd: {
        file: SNAPSHOT_FILE,
        endpoint: input.etcd.endpoint,
        startedAt: startedAt.toISOString(),
        endedAt: snapshotEndedAt.toISOString(),
        sha256: checked.digest.sha256,
        bytes: checked.digest.bytes,
        revision: checked.status.revision,
        hash: checked.status.hash,
        totalKey: checked.status.totalKey,
        totalSize: checked.status.totalSize,
        ...(keys === undefined ? {} : { keys }),
      },
      bucket: {
        name: input.bucket,
        objects: figures.objects,
        bytes: figures.bytes,
        inventory: INVENTORY_FILE,
        inventorySha256: await sha256File(inventoryFile),
        windowDays: input.windowDays,
      },
    };
    const manifest: Manifest = key ? { ...unsigned, signature: signatureOf(unsigned, key) } : unsigned;
    if (!key) notes.push('not signed (--allow-unsigned without a key): restorable only by its id with --allow-unsigned');

    const storeStarted = performance.now();
    const stores: StoreOutcome[] = [];
    for (const store of input.stores) {
      const outcome: StoreOutcome = { where: store.where, written: false, pruned: [] };
      stores.push(outcome);
      try {
        await store.writePoint(
          id,
          [
            { name: SNAPSHOT_FILE, path: snapshotFile },
            { name: INVENTORY_FILE, path: inventoryFile },
          ],
          formatManifest(manifest),
        );
        outcome.written = true;
        // Only after this point is safely there, and counting only points this key authenticates: planted folders
        // (dated in the future, unsigned, signed with another key) are never counted, so they can never make this
        // point the one beyond keep. The point just written is never pruned.
        const prunable = input.keep === undefined || !key ? [] : await pointsToPruneIn(store, input.keep, id, { key, environment: input.environment, now: now() });
        for (const old of prunable) {
          await store.removePoint(old.id);
          outcome.pruned.push(old.id);
        }
      } catch (error) {
        outcome.error = error instanceof Error ? error.message : String(error);
      }
    }
    timings.storeMs = Math.round(performance.now() - storeStarted);
    timings.totalMs = Math.round(performance.now() - started);
    return { ok: stores.length > 0 && stores.every((outcome) => outcome.written && !outcome.error), manifest, stores, notes, timings };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeInventory(file: string, entries: readonly object[]): Promise<void> {
  const lines = Readable.from((function* () {
    for (const entry of entries) yield `${JSON.stringify(entry)}\n`;
  })());
  await pipeline(lines, createGzip(), createWriteStream(file, { mode: 0o600 }));
}

export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** The authenticated points of one store beyond `keep`, never `own`. */
async function pointsToPruneIn(store: PointStore, keep: number, own: string, context: TrustContext): Promise<{ id: string }[]> {
  const { points, storeErrors } = await listRecoveryPoints([store], context);
  if (storeErrors.length > 0) throw new Error(`not pruned: ${storeErrors[0]!.error}`);
  const authentic = points.filter((point) => point.trust === 'authentic');
  // The point just written is not authentic here (the store changed it?): prune nothing rather than guess.
  if (!authentic.some((point) => point.id === own)) return [];
  return pointsToPrune(authentic, keep).filter((point) => point.id !== own);
}

export interface ListedPoint {
  id: string;
  /** The manifest the point's trust rests on (absent when every store's was refused). */
  manifest?: Manifest;
  /** pointTrust.ts: only `authentic` points are counted, pruned and restored without --allow-unsigned. */
  trust: PointTrust;
  /** Why it is not authentic, when it is not. */
  reason?: string;
  /** Stores holding this manifest with this trust (refused: the stores refusing it for this reason). */
  where: string[];
  /** What the other stores hold under this id, when it is refused or differs, per store. */
  problems: string[];
}

/**
 * Every point of every store, newest first, each with its trust and the stores that hold it (pointTrust.ts). A store
 * that cannot be listed is reported. Ids that are no point id are not listed at all; every other folder is, with
 * the reason when it cannot be trusted.
 */
export async function listRecoveryPoints(stores: readonly PointStore[], context: TrustContext): Promise<{ points: ListedPoint[]; storeErrors: { where: string; error: string }[] }> {
  const entries = new Map<string, { where: string; entry: StoreEntry }[]>();
  const storeErrors: { where: string; error: string }[] = [];
  for (const store of stores) {
    let ids: string[];
    try {
      ids = await store.listPoints();
    } catch (error) {
      storeErrors.push({ where: store.where, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    for (const id of ids) {
      // A folder dated in the future is refused unread.
      const early = judgeFolder(id, context.now);
      const read = early ? { problem: early } : await store.readManifest(id).then((text) => ({ text }), (error: Error) => ({ problem: error.message }));
      const entry = early ? ({ trust: 'refused', reason: early } as const) : judgeManifest(id, read, context);
      entries.set(id, [...(entries.get(id) ?? []), { where: store.where, entry }]);
    }
  }
  return { points: newestFirst([...entries].map(([id, found]) => combine(id, found))), storeErrors };
}

/** One point from what each store holds under its id: the best trust speaks, the rest are its problems. */
function combine(id: string, found: { where: string; entry: StoreEntry }[]): ListedPoint {
  const rank = (entry: StoreEntry) => TRUST_ORDER.indexOf(entry.trust);
  const best = [...found].sort((a, b) => rank(a.entry) - rank(b.entry))[0]!.entry;
  // The stores that say the same: the same manifest, or (refused) the same reason.
  const same = (entry: StoreEntry) =>
    entry.trust === best.trust && (best.trust === 'refused' ? entry.reason === best.reason : entry.manifest !== undefined && best.manifest !== undefined && canonicalJson(entry.manifest) === canonicalJson(best.manifest));
  const holding = found.filter(({ entry }) => same(entry));
  const others = found.filter((item) => !holding.includes(item));
  return {
    id,
    ...(best.manifest && best.trust !== 'refused' ? { manifest: best.manifest } : {}),
    trust: best.trust,
    ...(best.reason ? { reason: best.reason } : {}),
    where: holding.map((item) => item.where),
    problems: others.map(({ where, entry }) => `${where}: ${entry.reason ?? (entry.manifest ? 'a different manifest under the same id' : 'refused')}`),
  };
}
