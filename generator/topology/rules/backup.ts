// Recovery points (the `backup:` section): a point is useful only if the bucket can still be brought back to it and
// if it survives what it protects against.
import { cronGaps, formatMinutes, parseCron } from '../cron.ts';
import { normalizeHostPath } from '../hostPaths.ts';
import { error, warning } from '../problems.ts';
import type { BackupSettings, Topology } from '../schema.ts';
import { dataDirs } from './dataPaths.ts';
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

/**
 * Directories every user of a Linux machine may create entries in (sticky or not): whoever gets there first owns
 * `/tmp/points`, and a folder planted in it is a recovery point as far as a listing can tell.
 */
const SHARED_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/run/lock', '/var/lock', '/var/crash', '/var/mail'];

const inside = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);

/** A recovery point decides what etcd becomes: where points are kept is as sensitive as etcd's data itself. */
export const backupDirectoryPrivate: Rule = {
  name: 'backup-directory-private',
  why: 'recovery points are restored into etcd: their directory must be one no other user can write, and no data directory',
  check(topology) {
    const directory = topology.backup?.targets.directory;
    if (directory === undefined) return [];
    const normal = normalizeHostPath(directory);
    const at = ['backup', 'targets', 'directory'];
    const shared = SHARED_WRITABLE.find((parent) => inside(normal, parent));
    if (shared) {
      return [error(at, `${normal} is inside ${shared}, where every user of the manager may create folders: anyone there could plant a recovery point; use a directory only the runner's user can write, such as /var/backups/milvus-swarm/${topology.stack}`)];
    }
    const data = dataDirs(topology).find((dir) => inside(normal, dir.path) || inside(dir.path, normal));
    if (data) {
      return [error(at, `${normal} ${inside(normal, data.path) ? 'is inside' : 'holds'} ${data.owner}'s data directory ${data.path}: points there are written into (or over) the data they protect, and lost with it; use a directory of its own`)];
    }
    return [];
  },
};

/**
 * The variables that hold MinIO's and milvus-swarm's own secrets (verify/credentials.ts, backup/pointKey.ts): the
 * S3 target's access key goes to that endpoint in every request's Authorization header, so naming one of these would
 * hand it to whoever runs the target.
 */
const OWN_SECRET_VARIABLES: Record<string, string> = {
  MINIO_ROOT_USER: "MinIO's root user",
  MINIO_ROOT_PASSWORD: "MinIO's root password",
  MINIO_VERIFY_USER: "verify's MinIO user",
  MINIO_VERIFY_PASSWORD: "verify's MinIO password",
  MILVUS_SWARM_POINT_KEY: 'the key recovery points are signed with',
};

export const backupS3KeysOwn: Rule = {
  name: 'backup-s3-keys-own',
  why: "the S3 target's keys are sent to that endpoint: they must be keys of its own, never MinIO's or milvus-swarm's",
  check(topology) {
    const s3 = topology.backup?.targets.s3;
    if (!s3) return [];
    return (['accessKeyVariable', 'secretKeyVariable'] as const).flatMap((field) => {
      const what = OWN_SECRET_VARIABLES[s3[field]];
      if (!what) return [];
      return [error(['backup', 'targets', 's3', field], `${s3[field]} holds ${what}: the S3 target's keys are sent to ${new URL(s3.endpoint).host} (the access key in every request), so that would hand it over; give the target keys of its own, such as BACKUP_S3_ACCESS_KEY / BACKUP_S3_SECRET_KEY`)];
    });
  },
};

export const backupS3PrefixPlain: Rule = {
  name: 'backup-s3-prefix-plain',
  why: 'a prefix with "." or ".." segments names another folder to one reader (a proxy, a console) than to S3',
  check(topology) {
    const prefix = topology.backup?.targets.s3?.prefix;
    if (!prefix || !prefix.split('/').some((segment) => segment === '.' || segment === '..')) return [];
    return [error(['backup', 'targets', 's3', 'prefix'], `"${prefix}" has a "." or ".." segment: S3 keys them literally, paths resolve them; write the folder without them, such as milvus/production`)];
  },
};

export const backupS3HttpsWarned: Rule = {
  name: 'backup-s3-https-warned',
  why: "recovery points hold all of etcd: over plain http anyone on the path reads them and the target's requests",
  check(topology) {
    const s3 = topology.backup?.targets.s3;
    if (!s3 || new URL(s3.endpoint).protocol !== 'http:') return [];
    return [warning(['backup', 'targets', 's3', 'endpoint'], `${s3.endpoint} is plain http: every recovery point (all of etcd) crosses the network unencrypted; use https unless the target is on this machine`)];
  },
};
