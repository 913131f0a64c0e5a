// A recovery point's manifest: what was taken, when, and the figures a restore checks the files against. Stored as
// manifest.json beside the point's files in every target, written last (a folder without one is not a point).
import { z } from 'zod';
import { printable, UNPRINTABLE } from '../topology/text.ts';
import { SIGNATURE_PATTERN } from './pointKey.ts';

export const MANIFEST_FORMAT = 'milvus-swarm/recovery-point@1';
export const MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_FILE = 'etcd.db';
/** The bucket as of the cut, one JSON line per key (bucketCut.ts InventoryEntry), gzipped. */
export const INVENTORY_FILE = 'objects.ndjson.gz';

const isoTime = z.iso.datetime({ precision: 3 });
const count = z.int().min(0);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string().regex(/^\d{8}T\d{6}\.\d{3}Z$/),
  environment: z.string().min(1),
  stack: z.string().min(1),
  /** Why it was made: "manual", "scheduled", "before deploy of <commit>", "before restore of <id>". */
  reason: z.string().min(1),
  /** The moment the bucket is brought back to: MinIO's clock, after the etcd snapshot ended. */
  cut: isoTime,
  etcd: z.strictObject({
    file: z.literal(SNAPSHOT_FILE),
    /** The member's client URL the snapshot was read from. */
    endpoint: z.string().min(1),
    /** This machine's clock around `etcdctl snapshot save`. */
    startedAt: isoTime,
    endedAt: isoTime,
    sha256,
    bytes: count,
    /** etcdutl snapshot status: the backend's revision, CRC-32C hash, entries of all buckets and size. */
    revision: count,
    hash: count,
    totalKey: count,
    totalSize: count,
    /** Keys a client sees at `revision` (etcdctl get --prefix "" --count-only --rev); absent when already compacted. */
    keys: count.optional(),
  }),
  bucket: z.strictObject({
    name: z.string().min(1),
    /** Objects and bytes of the bucket as of the cut (milvus-swarm's own keys not counted). */
    objects: count,
    bytes: count,
    inventory: z.literal(INVENTORY_FILE),
    inventorySha256: sha256,
    /** The recovery window when the point was made: the bucket can be brought back to it for this long. */
    windowDays: z.int().min(1),
  }),
  /** HMAC-SHA256 of everything above with the runner's point key (pointKey.ts); absent on points made before it. */
  signature: z.string().regex(SIGNATURE_PATTERN).optional(),
});

export type Manifest = z.output<typeof manifestSchema>;

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; problem: string };

/** Far above any real manifest (about 1 KiB); a larger file is not read further. */
export const MANIFEST_MAX_BYTES = 64 * 1024;

/**
 * A manifest as a store gave it. The problem never quotes the file: a manifest.json that is something else (a
 * credentials file behind a link, in the attack the issue describes) must not be printed by its parse error. Strings
 * with control, format or bidi characters are refused: a reason holding ESC could redraw the restore's prompt.
 */
export function parseManifest(text: string): ParsedManifest {
  if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES) return { ok: false, problem: `larger than ${MANIFEST_MAX_BYTES / 1024} KiB: not a manifest` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text it choked on: say where only.
    return { ok: false, problem: `not JSON (${Buffer.byteLength(text)} bytes)` };
  }
  const unprintable = findUnprintable(json);
  if (unprintable) return { ok: false, problem: `${unprintable}: holds a control, format or bidi character` };
  const result = manifestSchema.safeParse(json);
  if (result.success) return { ok: true, manifest: result.data };
  const issue = result.error.issues[0]!;
  // zod names unknown keys in its message: they come from the file, so only their printable form, and briefly.
  return { ok: false, problem: printable(`${issue.path.join('.') || '(root)'}: ${issue.message}`).slice(0, 200) };
}

/** The path of the first key or string value holding an unprintable character, or undefined. */
function findUnprintable(value: unknown, path = '(root)'): string | undefined {
  if (typeof value === 'string') return UNPRINTABLE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnprintable(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path === '(root)' ? printable(key) : `${path}.${printable(key)}`;
      if (UNPRINTABLE.test(key)) return at;
      const found = findUnprintable(item, at);
      if (found) return found;
    }
  }
  return undefined;
}

/** Stable key order and a final newline: manifests diff and hash the same every time. */
export const formatManifest = (manifest: Manifest): string => `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`;

/** `20261130T052007.123Z`: the moment a backup started, in UTC; sorts as it happened. */
export function pointId(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

export const isPointId = (text: string): boolean => /^\d{8}T\d{6}\.\d{3}Z$/.test(text);

/** The moment a point id names, or undefined for a text that is no real moment (`99991399T…`). */
export function pointIdTime(id: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/.exec(id);
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.${match[7]}Z`;
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) || time.toISOString() !== iso ? undefined : time;
}

/** Newest first. Ids sort as time, so by text. */
export const newestFirst = <T extends { id: string }>(points: readonly T[]): T[] => [...points].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

/** The points beyond the newest `keep`, oldest last: what pruning removes. */
export function pointsToPrune<T extends { id: string }>(points: readonly T[], keep: number): T[] {
  return newestFirst(points).slice(Math.max(keep, 1));
}
