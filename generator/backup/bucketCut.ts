// The MinIO half of a recovery point, as values: what a versioned bucket held at a moment (the cut), and what brings
// it back to that moment. Pure: the listing comes from ./s3.ts, the plan is applied there too.
//
// S3 versioning keeps every overwritten object as a noncurrent version and turns a delete into a "delete marker" on
// top of the versions. So the bucket as of time T is, for each key, the newest version written at or before T; a
// key whose newest entry at T is a delete marker (or that had none yet) did not exist. Bringing it back never
// deletes a version: the version current at T is copied onto the key (a new version, same bytes and metadata), and a
// key that did not exist at T gets a delete marker. Every step is itself a new version, so a restore can be undone
// by restoring the moment just before it, as long as the versions are within the lifecycle window.
import { RESERVED_PREFIX } from '../topology/toolPrefixes.ts';

/** One entry of ListObjectVersions: an object version or a delete marker. */
export interface ObjectVersion {
  key: string;
  versionId: string;
  /** MinIO's modification time, to the millisecond as S3 lists it (MinIO keeps nanoseconds: see bucketStateAt). */
  lastModified: Date;
  isLatest: boolean;
  deleteMarker: boolean;
  /** Without quotes; "" for a delete marker. */
  etag: string;
  size: number;
}

/** What one key held at the cut. */
export interface KeyState {
  versionId: string;
  etag: string;
  size: number;
  lastModified: Date;
}

/** The bucket at a moment: every key that existed then, and the version it had. */
export type BucketState = Map<string, KeyState>;

/** Keys that belong to milvus-swarm, not to Milvus: the cut marker lives here and is never restored or counted. */
export { RESERVED_PREFIX };
export const isReserved = (key: string): boolean => key.startsWith(RESERVED_PREFIX);

/**
 * Each key's entries, newest first. MinIO lists a key's versions newest first by its nanosecond modification time;
 * the listing reports milliseconds, so the sort is by time and stable: entries within one millisecond keep MinIO's
 * order. Pass the entries in listing order.
 */
export function versionsByKey(versions: readonly ObjectVersion[]): Map<string, ObjectVersion[]> {
  const byKey = new Map<string, ObjectVersion[]>();
  for (const version of versions) {
    if (isReserved(version.key)) continue;
    const list = byKey.get(version.key);
    if (list) list.push(version);
    else byKey.set(version.key, [version]);
  }
  for (const list of byKey.values()) list.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  return byKey;
}

/**
 * The bucket as of `cut`: for each key, its newest entry modified at or before the cut, unless that is a delete
 * marker. An entry in the cut's own millisecond counts as before it; the cut is taken after the etcd snapshot ended
 * (recoveryPoint.ts), so such an object is at worst one Milvus wrote after the snapshot: an orphan it never names.
 */
export function bucketStateAt(versions: readonly ObjectVersion[], cut: Date): BucketState {
  const state: BucketState = new Map();
  for (const [key, list] of versionsByKey(versions)) {
    const atCut = list.find((version) => version.lastModified.getTime() <= cut.getTime());
    if (atCut && !atCut.deleteMarker) state.set(key, { versionId: atCut.versionId, etag: atCut.etag, size: atCut.size, lastModified: atCut.lastModified });
  }
  return state;
}

/** The bucket now: each key's latest entry, unless it is a delete marker. */
export function currentState(versions: readonly ObjectVersion[]): BucketState {
  const state: BucketState = new Map();
  for (const [key, list] of versionsByKey(versions)) {
    const latest = list.find((version) => version.isLatest) ?? list[0]!;
    if (!latest.deleteMarker) state.set(key, { versionId: latest.versionId, etag: latest.etag, size: latest.size, lastModified: latest.lastModified });
  }
  return state;
}

export interface BucketFigures {
  objects: number;
  bytes: number;
}

export const figuresOf = (state: BucketState): BucketFigures => {
  let bytes = 0;
  for (const entry of state.values()) bytes += entry.size;
  return { objects: state.size, bytes };
};

export type BucketAction =
  /** Make this older version current again: copy it onto its key. */
  | { kind: 'copy'; key: string; versionId: string; size: number; etag: string }
  /** The key did not exist at the cut: put a delete marker on top of `versionId` (which stays, noncurrent). */
  | { kind: 'hide'; key: string; versionId: string; size: number };

export interface BucketRestorePlan {
  actions: BucketAction[];
  /** Keys that existed at the cut and already hold its bytes. */
  unchanged: number;
  /** Versions the target state needs that the bucket no longer has (expired past the window, or deleted by hand). */
  missing: { key: string; versionId: string }[];
  copied: BucketFigures;
  /** Keys hidden under a delete marker (their versions stay). */
  hidden: BucketFigures;
}

/**
 * What turns the bucket (all its versions, as listed now) into `target`. Keys are handled in sorted order. A key
 * whose current object has the wanted version's ETag and size already holds those bytes and is left alone.
 */
export function planBucketRestore(versions: readonly ObjectVersion[], target: BucketState): BucketRestorePlan {
  const byKey = versionsByKey(versions);
  const now = currentState(versions);
  const keys = [...new Set([...target.keys(), ...now.keys()])].filter((key) => !isReserved(key)).sort();
  const plan: BucketRestorePlan = { actions: [], unchanged: 0, missing: [], copied: { objects: 0, bytes: 0 }, hidden: { objects: 0, bytes: 0 } };
  for (const key of keys) {
    const wanted = target.get(key);
    const current = now.get(key);
    if (wanted) {
      // The same version, or one with the same bytes (a restore run before: its copies are new versions of the
      // same content), so running a restore twice changes nothing the second time.
      if (current && (current.versionId === wanted.versionId || (current.etag === wanted.etag && current.size === wanted.size && wanted.etag !== ''))) {
        plan.unchanged++;
      } else if (byKey.get(key)?.some((version) => version.versionId === wanted.versionId && !version.deleteMarker)) {
        plan.actions.push({ kind: 'copy', key, versionId: wanted.versionId, size: wanted.size, etag: wanted.etag });
        plan.copied.objects++;
        plan.copied.bytes += wanted.size;
      } else {
        plan.missing.push({ key, versionId: wanted.versionId });
      }
    } else if (current) {
      plan.actions.push({ kind: 'hide', key, versionId: current.versionId, size: current.size });
      plan.hidden.objects++;
      plan.hidden.bytes += current.size;
    }
  }
  return plan;
}

/** The state as a list a point stores (objects.ndjson.gz): one line per key, sorted. */
export interface InventoryEntry extends Omit<KeyState, 'lastModified'> {
  key: string;
  lastModified: string;
}

export function inventoryOf(state: BucketState): InventoryEntry[] {
  return [...state.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, entry]) => ({ key, versionId: entry.versionId, etag: entry.etag, size: entry.size, lastModified: entry.lastModified.toISOString() }));
}

export function stateOf(inventory: readonly InventoryEntry[]): BucketState {
  return new Map(inventory.map((entry) => [entry.key, { versionId: entry.versionId, etag: entry.etag, size: entry.size, lastModified: new Date(entry.lastModified) }]));
}
