// Recovery points (the `backup:` section): a point is useful only if the bucket can still be brought back to it and
// if it survives what it protects against.
import { cronGaps, formatMinutes, parseCron } from '../cron.ts';
import { error, warning } from '../problems.ts';
import type { BackupSettings, Topology } from '../schema.ts';
import type { Rule } from './rule.ts';

const DAY_MINUTES = 1440;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function scheduleGaps(backup: BackupSettings) {
  const parsed = parseCron(backup.schedule);
  return parsed.ok ? cronGaps(parsed.schedule) : undefined;
}

export const backupTargetDefined: Rule = {
  name: 'backup-target-defined',
  why: 'a recovery point has to be written somewhere',
  check(topology) {
    const targets = topology.backup?.targets;
    if (!targets || targets.directory !== undefined || targets.s3 !== undefined) return [];
    return [error(['backup', 'targets'], 'no target for recovery points: give a directory on the manager, an s3 bucket on another endpoint, or both')];
  },
};

/**
 * MinIO keeps an overwritten or deleted object's old version for windowDays after it stopped being current (the
 * NoncurrentVersionExpiration rule), so the bucket can be brought back to any moment within the window. With points
 * further apart than that, there are stretches where even the newest point is older than the window.
 */
export const backupWindowCoversSchedule: Rule = {
  name: 'backup-window-covers-schedule',
  why: 'the newest recovery point must always be within the window the bucket can be brought back to',
  check(topology) {
    const backup = topology.backup;
    const gaps = backup && scheduleGaps(backup);
    if (!backup || gaps?.longestMinutes === undefined) return [];
    if (backup.windowDays * DAY_MINUTES >= gaps.longestMinutes) return [];
    return [
      error(
        ['backup', 'windowDays'],
        `a recovery window of ${plural(backup.windowDays, 'day')} is shorter than the longest time between scheduled points (${formatMinutes(gaps.longestMinutes)} for "${backup.schedule}"): the newest point would be older than the window and could not bring the bucket back; make windowDays at least ${Math.ceil(gaps.longestMinutes / DAY_MINUTES)}`,
      ),
    ];
  },
};

/** Points beyond the window still restore etcd, but the bucket's versions for them are gone: Milvus's metadata would name segments that no longer exist. */
export const backupPointsWithinWindow: Rule = {
  name: 'backup-points-within-window',
  why: 'points older than the recovery window restore etcd without the segments its metadata names',
  check(topology) {
    const backup = topology.backup;
    const gaps = backup && scheduleGaps(backup);
    if (!backup || gaps?.shortestMinutes === undefined || backup.keep < 2) return [];
    const spanMinutes = (backup.keep - 1) * gaps.shortestMinutes;
    if (spanMinutes <= backup.windowDays * DAY_MINUTES) return [];
    return [
      warning(
        ['backup', 'keep'],
        `${backup.keep} points ${formatMinutes(gaps.shortestMinutes)} apart reach back ${formatMinutes(spanMinutes)}, beyond the ${backup.windowDays}-day window: the older points can bring back etcd but not the bucket; keep at most ${Math.floor((backup.windowDays * DAY_MINUTES) / gaps.shortestMinutes) + 1} or lengthen windowDays`,
      ),
    ];
  },
};

/** The schema would echo a bad value back ("got ..."): a credential in the URL is reported here, without it. */

/** Where the cluster's own MinIO answers S3: the load balancer on the managers (or loopback without managers) and each node on the network. */
function clusterS3Addresses(topology: Topology): { host: string; port: number }[] {
  const hosts = topology.managers.flatMap((manager) => [manager.ip, ...(manager.name ? [manager.name] : [])]);
  if (topology.managers.length === 0) hosts.push('127.0.0.1', 'localhost');
  const proxy = topology.minio.proxy;
  const nodes = topology.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
  return [
    ...hosts.map((host) => ({ host, port: proxy.s3Port })),
    ...topology.hosts.flatMap((host) => [host.name, host.ip]).map((host) => ({ host, port: proxy.s3Port })),
    { host: proxy.name, port: topology.minio.apiPort },
    ...nodes.map((host) => ({ host, port: topology.minio.apiPort })),
  ];
}

export const backupTargetOffCluster: Rule = {
  name: 'backup-target-off-cluster',
  why: "recovery points kept in the cluster's own MinIO are lost with it",
  check(topology) {
    const s3 = topology.backup?.targets.s3;
    if (!s3) return [];
    const url = new URL(s3.endpoint);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.toLowerCase();
    const own = clusterS3Addresses(topology).find((address) => address.host.toLowerCase() === host && address.port === port);
    if (!own) return [];
    return [
      error(
        ['backup', 'targets', 's3', 'endpoint'],
        `${url.host} is this cluster's own MinIO: points stored there are lost with the cluster they should bring back; use a MinIO or S3 elsewhere, or only a directory target`,
      ),
    ];
  },
};
