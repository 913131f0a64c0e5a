// Restoring a recovery point: etcd from its snapshot and the bucket to its cut, together. Everything that can be
// checked is checked before anything changes (the files against the manifest, etcd's own sha256, Milvus not
// connected, every version the bucket needs still there), then a point of the current state is made (so the restore
// can be undone), then etcd, then the bucket. The report says what changed.
import { gunzipSync } from 'node:zlib';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'minio';
import { planBucketRestore, stateOf, type BucketFigures, type InventoryEntry } from './bucketCut.ts';
import { checkSnapshot, restoredClusterToken, restoreSnapshot, type MemberPeer, type ToolRunner } from './etcdSnapshot.ts';
import { INVENTORY_FILE, MANIFEST_FILE, parseManifest, SNAPSHOT_FILE, type Manifest } from './manifest.ts';
import type { PointKey } from './pointKey.ts';
import { listRecoveryPoints, makeRecoveryPoint, sha256File, type BackupInput, type ListedPoint } from './recoveryPoint.ts';
import { applyBucketRestore, listObjectVersions } from './s3.ts';
import type { PointStore } from './stores.ts';

/**
 * Puts the snapshot's data in place of etcd's: the swarm's implementation stops every member, moves each data dir
 * aside (never deletes it), restores it with `etcdutl snapshot restore` on the member's node, starts all members
 * together and waits until they answer with one leader; directoryMembers() restores into a directory for an etcd
 * the operator runs.
 */
export interface EtcdMembersRestorer {
  /** Where the data goes, in an operator's words. */
  readonly where: string;
  /** What would stop the restore, asked before anything changes (a data dir in the way, a node down); [] when none. */
  check(): Promise<string[]>;
  /** `snapshotFile` is on this machine, checked already; `clusterToken` is new for this restore; `pointId` names it in a stop. */
  restore(input: { snapshotFile: string; clusterToken: string; revision: number; pointId: string }): Promise<{ notes: string[] }>;
}

/**
 * Restores into one directory, for an etcd the operator runs (a single member, or a test): the directory must not
 * exist or be empty; start etcd on it afterwards with the member's name and peer URL.
 */
export function directoryMembers(etcdutl: ToolRunner, target: { dataDir: string; member: MemberPeer }): EtcdMembersRestorer {
  const { dataDir, member } = target;
  return {
    where: `data dir ${dataDir} (member ${member.name}, ${member.peerUrl})`,
    async check() {
      const entries = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : [`(unreadable: ${error.code})`]));
      return entries.length === 0 ? [] : [`${dataDir} is not empty: etcd restores only into a new or empty directory (move the old one aside)`];
    },
    async restore({ snapshotFile, clusterToken }) {
      await restoreSnapshot(etcdutl, { file: snapshotFile, dataDir, member, cluster: [member], clusterToken });
      return {
        notes: [`start etcd on ${dataDir} with --name=${member.name} --initial-advertise-peer-urls=${member.peerUrl} (the data dir holds the membership: --initial-cluster flags are ignored)`],
      };
    },
  };
}

/** A point's inputs but its reason (the restore names it) and `keep` (an undo point never prunes). */
export type UndoPointInput = Omit<BackupInput, 'keep' | 'reason'>;

export interface RestoreInput {
  /** A point id, or "latest". */
  point: string;
  /** The runner's key: points are restored only when it authenticates them (pointKey.ts). */
  pointKey: PointKey | undefined;
  /** An unsigned point (or one no key here can check) may be restored, by its id only; a forged one never. */
  allowUnsigned?: boolean;
  environment: string;
  bucket: string;
  stores: readonly PointStore[];
  minio: Client;
  /** Checks the fetched snapshot (etcdutl snapshot status); it must see `workDir`. */
  etcdutl: ToolRunner;
  members: EtcdMembersRestorer;
  /** The topology's etcd.clusterToken: the restored cluster's token is made from it. */
  clusterToken: string;
  workDir: string;
  /** Milvus's live sessions in etcd (etcdSnapshot.ts milvusSessions); a throw means etcd could not be asked. */
  milvusSessions?: () => Promise<string[]>;
  /**
   * What a point of the state before the restore is made with; without it the restore cannot be undone (say so
   * first). The restore makes that point itself, and never prunes with it: `keep` is not part of this input.
   */
  undoPoint?: UndoPointInput;
  now?: () => Date;
}

export type RestoreStage = 'find' | 'fetch' | 'check' | 'milvus' | 'bucket-plan' | 'undo-point' | 'etcd' | 'bucket' | 'done';

export interface RestoreReport {
  ok: boolean;
  /** Where it stopped (or `done`). Stages before `etcd` change nothing. */
  stage: RestoreStage;
  problems: string[];
  notes: string[];
  point?: Manifest;
  /** The store the files came from. */
  from?: string;
  undoPoint?: Manifest;
  etcd?: { revision: number; keys?: number; into: string; clusterToken: string; before?: { revision: number; keys?: number } };
  bucket?: { copied: BucketFigures; hidden: BucketFigures; unchanged: number; failed: { key: string; reason: string }[] };
  /** False while nothing in etcd or the bucket has been touched. */
  changed: boolean;
  elapsedMs: number;
  /** Per stage: fetching and checking the files (and Milvus, and the bucket's plan), the undo point, etcd, the bucket. */
  timings: { checkMs: number; undoPointMs: number; etcdMs: number; bucketMs: number };
}

// ~125 lines: one sequence of stages over one report (find, check, Milvus stopped, bucket plan, undo point, etcd,
// bucket), where each stage's failure must name how far the restore got and whether anything changed; the work of each
// stage is a function of its own (etcdSnapshot, bucketCut, s3, stores).
export async function restoreRecoveryPoint(input: RestoreInput): Promise<RestoreReport> {
  const started = performance.now();
  const report: RestoreReport = { ok: false, stage: 'find', problems: [], notes: [], changed: false, elapsedMs: 0, timings: { checkMs: 0, undoPointMs: 0, etcdMs: 0, bucketMs: 0 } };
  let mark = started;
  /** Milliseconds since the previous call: each stage's time. */
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const stop = (stage: RestoreStage, ...problems: string[]): RestoreReport => {
    report.stage = stage;
    report.problems.push(...problems);
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  };

  // 1. The point and a store that holds it (the order of the stores is the preference: the directory first).
  const { points, storeErrors } = await listRecoveryPoints(input.stores, { key: input.pointKey, environment: input.environment, now: (input.now ?? (() => new Date()))() });
  for (const failure of storeErrors) report.notes.push(`${failure.where}: not listed: ${failure.error}`);
  const chosen = choosePoint(points, input.point, input.allowUnsigned === true);
  if (!chosen.ok) return stop('find', chosen.problem);
  const listed = chosen.point;
  const manifest = listed.manifest!;
  if (listed.trust !== 'authentic') report.notes.push(`point ${listed.id} restored without authentication (--allow-unsigned): ${listed.reason}`);
  report.point = manifest;
  if (manifest.environment !== input.environment) return stop('find', `point ${manifest.id} is of environment ${manifest.environment}, not ${input.environment}`);
  if (manifest.bucket.name !== input.bucket) return stop('find', `point ${manifest.id} holds bucket ${manifest.bucket.name}, but Milvus's bucket is ${input.bucket}`);

  // 2. Its files, checked against the manifest and etcd's own sha256.
  const folder = path.join(input.workDir, `restore-${manifest.id}`);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  try {
    const store = input.stores.find((candidate) => listed.where.includes(candidate.where))!;
    report.from = store.where;
    const snapshotFile = path.join(folder, SNAPSHOT_FILE);
    const inventoryFile = path.join(folder, INVENTORY_FILE);
    try {
      for (const [name, file] of [[SNAPSHOT_FILE, snapshotFile], [INVENTORY_FILE, inventoryFile], [MANIFEST_FILE, path.join(folder, MANIFEST_FILE)]] as const) await store.fetchFile(manifest.id, name, file);
    } catch (error) {
      return stop('fetch', `${store.where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const refetched = parseManifest(await readFile(path.join(folder, MANIFEST_FILE), 'utf8'));
    if (!refetched.ok || JSON.stringify(refetched.manifest) !== JSON.stringify(manifest)) return stop('check', `${store.where}: manifest.json changed while it was read`);
    const checked = await checkSnapshot(input.etcdutl, snapshotFile, manifest.etcd);
    const problems = checked.problems.map((problem) => `etcd snapshot: ${problem}`);
    if ((await sha256File(inventoryFile)) !== manifest.bucket.inventorySha256) problems.push(`${INVENTORY_FILE}: sha256 differs from the one the point recorded`);
    problems.push(...(await input.members.check().catch((error: Error) => [`${input.members.where}: ${error.message}`])));
    if (problems.length > 0) return stop('check', ...problems.map((problem) => `${problem}: refused, nothing was changed`));

    // 3. Milvus must not be connected: it would write into the restored etcd and bucket, or crash on them.
    if (input.milvusSessions) {
      const sessions = await input.milvusSessions().catch((error: Error) => error);
      if (sessions instanceof Error) report.notes.push(`could not ask etcd for Milvus sessions (${sessions.message}): make sure Milvus is stopped`);
      else if (sessions.length > 0) {
        return stop('milvus', `Milvus is connected: ${sessions.length} live session${sessions.length === 1 ? '' : 's'} in etcd (${sessions.slice(0, 3).join(', ')}${sessions.length > 3 ? ', …' : ''}); stop Milvus and wait until they expire`);
      }
    }

    // 4. The bucket's plan, and every version it needs still there.
    const inventory = gunzipSync(await readFile(inventoryFile))
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as InventoryEntry);
    const plan = planBucketRestore(await listObjectVersions(input.minio, input.bucket), stateOf(inventory));
    if (plan.missing.length > 0) {
      const ageDays = ((input.now ?? (() => new Date()))().getTime() - new Date(manifest.cut).getTime()) / 86_400_000;
      return stop(
        'bucket-plan',
        `${plan.missing.length} object version${plan.missing.length === 1 ? '' : 's'} the point needs ${plan.missing.length === 1 ? 'is' : 'are'} gone from ${input.bucket} (e.g. ${plan.missing[0]!.key}); the point is ${ageDays.toFixed(1)} days old, its window was ${manifest.bucket.windowDays} days: refused, nothing was changed`,
      );
    }

    report.timings.checkMs = lap();

    // 5. The state before the restore, as a point: restoring it undoes this restore.
    if (input.undoPoint) {
      // keep: undefined, whatever the caller's object holds: pruning could remove the point being restored. Without a
      // key, under --allow-unsigned only, the undo point is unsigned too (restorable the same way).
      const pointKey = input.undoPoint.pointKey ?? (input.allowUnsigned ? 'unsigned' : undefined);
      const undo = await makeRecoveryPoint({ ...input.undoPoint, pointKey, keep: undefined, reason: `before restore of ${manifest.id}` });
      if (!undo.ok || !undo.manifest) {
        return stop('undo-point', `the point of the current state (to undo this restore) failed: ${undo.problem ?? undo.stores.map((store) => `${store.where}: ${store.error}`).join('; ')}; nothing was changed`);
      }
      report.undoPoint = undo.manifest;
    } else {
      report.notes.push('no point of the state before the restore was made: this restore cannot be undone');
    }

    report.timings.undoPointMs = lap();

    // 6. etcd, then the bucket.
    const clusterToken = restoredClusterToken(input.clusterToken, (input.now ?? (() => new Date()))());
    report.changed = true;
    try {
      const outcome = await input.members.restore({ snapshotFile, clusterToken, revision: manifest.etcd.revision, pointId: manifest.id });
      report.notes.push(...outcome.notes);
    } catch (error) {
      return stop('etcd', `etcd restore into ${input.members.where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    report.timings.etcdMs = lap();
    report.etcd = {
      revision: manifest.etcd.revision,
      ...(manifest.etcd.keys === undefined ? {} : { keys: manifest.etcd.keys }),
      into: input.members.where,
      clusterToken,
      ...(report.undoPoint ? { before: { revision: report.undoPoint.etcd.revision, ...(report.undoPoint.etcd.keys === undefined ? {} : { keys: report.undoPoint.etcd.keys }) } } : {}),
    };
    const applied = await applyBucketRestore(input.minio, input.bucket, plan);
    report.timings.bucketMs = lap();
    report.bucket = {
      copied: plan.copied,
      hidden: plan.hidden,
      unchanged: plan.unchanged,
      failed: applied.failed.map((failure) => ({ key: failure.action.key, reason: failure.reason })),
    };
    if (applied.failed.length > 0) return stop('bucket', `${applied.failed.length} of ${plan.actions.length} bucket steps failed; restore point ${manifest.id} again, by its id (it redoes only what is not done)`);
    report.ok = true;
    return stop('done');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Which point a restore may take (pure; the CLI's confirmation asks the same): `latest` is the newest authentic point,
 * never an unsigned, unchecked or refused one; an id must be authentic, or unsigned/unchecked with --allow-unsigned;
 * a refused point (forged, planted in the future, a manifest of another folder…) never.
 */
export function choosePoint(points: readonly ListedPoint[], wanted: string, allowUnsigned: boolean): { ok: true; point: ListedPoint } | { ok: false; problem: string } {
  const untrusted = points.filter((point) => point.trust !== 'authentic');
  const aside = untrusted.length === 0 ? '' : `; not counted: ${untrusted.length} (${untrusted.slice(0, 3).map((point) => `${point.id}: ${point.reason ?? point.problems[0] ?? 'refused'}`).join('; ')}${untrusted.length > 3 ? '; …' : ''})`;
  if (wanted === 'latest') {
    const newest = points.find((point) => point.trust === 'authentic');
    if (newest) return { ok: true, point: newest };
    const hint = untrusted.some((point) => point.trust === 'unsigned' || point.trust === 'unchecked') ? ': an unsigned point is restored only by its id, with --allow-unsigned' : '';
    return { ok: false, problem: `no authenticated recovery point in any target${aside}${hint}` };
  }
  const point = points.find((candidate) => candidate.id === wanted);
  if (!point) {
    const known = points.filter((candidate) => candidate.trust === 'authentic').slice(0, 5).map((candidate) => candidate.id).join(', ');
    return { ok: false, problem: `no recovery point ${wanted}${known ? ` (newest: ${known})` : ''}` };
  }
  if (point.trust === 'authentic') return { ok: true, point };
  if (point.trust === 'refused' || !point.manifest) return { ok: false, problem: `point ${wanted} is refused and never restored: ${[point.reason, ...point.problems].filter(Boolean).join('; ')}` };
  if (!allowUnsigned) {
    return { ok: false, problem: `point ${wanted} is ${point.reason}: restore it with --allow-unsigned only if you trust the target it is kept in (whoever can write there decides what etcd becomes)` };
  }
  return { ok: true, point };
}
