// Each member's backend (bbolt) file against etcd.quotaBackendBytes: at the quota etcd raises a NOSPACE alarm and
// refuses every write until the space is reclaimed (compaction, then defrag) and the alarm disarmed; Milvus stops
// with it. The size is the file's, free pages included, which is what etcd's quota check counts.
import { fail, pass, warn, type Outcome } from './rows.ts';

/** Warn from this share of the quota on: room to compact and defragment before writes stop. */
export const BACKEND_WARN_FRACTION = 0.8;

export interface MemberBackend {
  name: string;
  /** `etcdctl endpoint status`'s dbSize, in bytes. */
  dbSize: number;
}

/** `20 KiB`, `3.4 GiB`: binary units, as etcd's own quota is usually given (4 GiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const power = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log2(Math.max(bytes, 1)) / 10)));
  return `${Number((bytes / 1024 ** power).toFixed(1))} ${units[power]}`;
}

/** The largest backend of the members that answered endpoint status; undefined or none when it could not run. */
export function judgeBackendSize(backends: readonly MemberBackend[] | undefined, quotaBytes: number): Outcome {
  if (!backends || backends.length === 0) return fail('not read: no member answered endpoint status (see its row)');
  const largest = backends.reduce((a, b) => (b.dbSize > a.dbSize ? b : a));
  const share = `${formatBytes(largest.dbSize)} of the ${formatBytes(quotaBytes)} quota`;
  if (largest.dbSize < BACKEND_WARN_FRACTION * quotaBytes) return pass(`largest ${share} (${largest.name})`);
  return warn(
    `${largest.name}'s backend is ${share} (${Math.round((100 * largest.dbSize) / quotaBytes)} %): at the quota etcd refuses every write (NOSPACE alarm) — compact and defragment it (etcdctl defrag), or raise etcd.quotaBackendBytes`,
  );
}
