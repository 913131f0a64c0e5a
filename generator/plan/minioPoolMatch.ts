// Which MinIO pool of one revision is which pool of the other: by identity, never by position. A pool is its nodes
// (their names are its endpoints) and, where those were renamed, the drives it keeps data on (machine and path):
// removing the first of two pools must name that pool, and listing the pools the other way round changes no pool.
import type { MinioPoolModel } from '../model/types.ts';
import type { Comparison, Revision } from './comparison.ts';
import { machineOf, sameMachine } from './machines.ts';

export interface PoolRef {
  /** Its place in its revision's minio.pools (MinIO's command-line position). */
  index: number;
  pool: MinioPoolModel;
}

export interface PoolMatch {
  was: PoolRef;
  is: PoolRef;
}

export interface PoolComparison {
  /** Pools on both sides, in the before order. */
  kept: PoolMatch[];
  added: PoolRef[];
  removed: PoolRef[];
  /** The kept pools are listed in another relative order. */
  reordered: boolean;
}

/** How a pool is named in change ids and texts: its first and last node, `minio5..minio8`. */
export function poolLabel(pool: MinioPoolModel): string {
  const names = pool.nodes.map((node) => node.name);
  return names.length === 1 ? names[0]! : `${names[0]}..${names[names.length - 1]}`;
}

export const nodeNames = (pool: MinioPoolModel): string[] => pool.nodes.map((node) => node.name);

/** Drives both pools use: the same directory on the same machine holds the same data. */
function sharedDrives(before: Revision, was: MinioPoolModel, after: Revision, is: MinioPoolModel): number {
  let shared = 0;
  for (const old of was.nodes) {
    for (const now of is.nodes) {
      if (!sameMachine(machineOf(before, old.host), machineOf(after, now.host))) continue;
      shared += old.drives.filter((drive) => now.drives.some((other) => other.source === drive.source)).length;
    }
  }
  return shared;
}

export function matchPools({ before, after }: Comparison): PoolComparison {
  const was = before.model.minio.pools.map((pool, index) => ({ index, pool }));
  const is = after.model.minio.pools.map((pool, index) => ({ index, pool }));
  // Shared node names decide; shared drives decide only between pools with no name in common (nodes renamed).
  const candidates = was
    .flatMap((old) =>
      is.map((now) => {
        const names = nodeNames(old.pool).filter((name) => nodeNames(now.pool).includes(name)).length;
        return { old, now, score: names * 1_000_000 + sharedDrives(before, old.pool, after, now.pool) };
      }),
    )
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.old.index - b.old.index || a.now.index - b.now.index);
  const kept: PoolMatch[] = [];
  for (const { old, now } of candidates) {
    if (kept.some((match) => match.was === old || match.is === now)) continue;
    kept.push({ was: old, is: now });
  }
  kept.sort((a, b) => a.was.index - b.was.index);
  const order = kept.map((match) => match.is.index);
  return {
    kept,
    added: is.filter((ref) => !kept.some((match) => match.is === ref)),
    removed: was.filter((ref) => !kept.some((match) => match.was === ref)),
    reordered: order.some((index, position) => position > 0 && index < order[position - 1]!),
  };
}
