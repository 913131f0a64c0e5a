// The object traffic of Milvus, as a plan for the bench client (bench:lb --profile milvus).
//
// Sizes: log-uniform between 16 KiB and 8 MiB, i.e. as many objects in each doubling of size (16–32 KiB, 32–64 KiB,
// …, 4–8 MiB). Milvus writes objects of very different scales and none of them dominates the count (milvus.yaml):
// a flush writes one binlog per field out of at most `dataNode.segment.insertBufSize` = 16 MiB, so scalar fields
// give KiB-sized binlogs and the vector field MiB-sized ones; each flush adds a statslog (a bloom filter of
// `common.bloomFilterSize` = 100,000 keys at 5 % false positives, ~76 KiB) and deltalogs of KiB; index files are
// cut into `common.indexSliceSize` = 16 MB slices with a smaller last one; compaction rewrites segments of up to
// `dataCoord.segment.maxSize` = 1024 MB (512 in 2.2) as binlogs of the same kinds. Log-uniform gives the median
// request a small object (362 KiB) while most bytes move in the large ones (mean 1.3 MiB) — per-request cost and
// bandwidth both count, as they do for Milvus.
//
// Keys follow Milvus's layout (files/insert_log/<collection>/<partition>/<segment>/<field>/<log>), 16 objects to a
// segment; a LIST is one page of a segment's prefix, as datacoord's garbage collector and segment loading list.
// Ranged reads are log-uniform between 4 KiB and 1 MiB (capped at the object), at a random offset.
export const MIN_OBJECT = 16 * 2 ** 10;
export const MAX_OBJECT = 8 * 2 ** 20;
export const MIN_RANGE = 4 * 2 ** 10;
export const MAX_RANGE = 2 ** 20;
export const OBJECTS_PER_SEGMENT = 16;

export interface Plan {
  inFlight: number[];
  objects: { key: string; size: number }[];
  ranges: { object: number; offset: number; length: number }[];
  lists: { prefix: string; keys: number }[];
}

export interface PlanOptions {
  objects: number;
  inFlight: number[];
  /** Ranged GETs per object (cheap: no disk). */
  rangesPerObject: number;
  /** LIST requests per object written (each segment's prefix is listed this many times × 16). */
  listsPerObject: number;
  seed: number;
}

/** mulberry32: a small deterministic generator, so every path and round gets the very same plan. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A size between min and max (inclusive), log-uniformly distributed. */
export function logUniform(random: () => number, min: number, max: number): number {
  return Math.min(max, Math.floor(min * (max / min) ** random()));
}

export function milvusPlan(options: PlanOptions): Plan {
  const random = seededRandom(options.seed);
  const objects = Array.from({ length: options.objects }, (_, index) => {
    const segment = 450_000 + Math.floor(index / OBJECTS_PER_SEGMENT);
    const field = 100 + (index % OBJECTS_PER_SEGMENT);
    return { key: `files/insert_log/448/449/${segment}/${field}/${460_000 + index}`, size: logUniform(random, MIN_OBJECT, MAX_OBJECT) };
  });
  const ranges = Array.from({ length: options.objects * options.rangesPerObject }, () => {
    const object = Math.floor(random() * objects.length);
    const size = objects[object]!.size;
    const length = Math.min(size, logUniform(random, MIN_RANGE, MAX_RANGE));
    return { object, offset: Math.floor(random() * (size - length + 1)), length };
  });
  const segments = new Map<string, number>();
  for (const object of objects) {
    const prefix = `${object.key.split('/').slice(0, 5).join('/')}/`;
    segments.set(prefix, (segments.get(prefix) ?? 0) + 1);
  }
  const distinct = [...segments].map(([prefix, keys]) => ({ prefix, keys }));
  const lists = Array.from({ length: options.objects * options.listsPerObject }, (_, index) => distinct[index % distinct.length]!);
  return { inFlight: options.inFlight, objects, ranges, lists };
}

/** Logical bytes a plan writes per in-flight level (what MinIO keeps in its trash until it empties it). */
export const planBytes = (plan: Plan) => plan.objects.reduce((sum, object) => sum + object.size, 0) * plan.inFlight.length;
