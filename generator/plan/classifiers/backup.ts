// Recovery points (`backup:`): what a change does to Milvus's bucket (versioning, the lifecycle rule deploy sets) and
// to the points already made. Nothing here restarts a service; the care is about disk and about which points can
// still bring the bucket back.
import type { BackupS3Target, BackupSettings } from '../../topology/schema.ts';
import { care, changeId, safe, type Change } from '../change.ts';
import type { Classifier } from '../comparison.ts';
import { code, deploy, plural } from '../runbook.ts';

const backupCommand = (environment: string) => code(`npx milvus-swarm backup --env ${environment}`);
const listCommand = (environment: string) => code(`npx milvus-swarm backup list --env ${environment}`);
const s3Location = (s3: BackupS3Target) => `${s3.endpoint.replace(/\/$/, '')}/${s3.bucket}${s3.prefix ? `/${s3.prefix}` : ''}`;

/** Both sides have the section: the classifiers below compare its fields. Added or removed whole: backupToggled. */
const both = (before: BackupSettings | undefined, after: BackupSettings | undefined): [BackupSettings, BackupSettings] | undefined =>
  before && after ? [before, after] : undefined;

export const backupToggled: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.backup, after.topology.backup];
  const bucket = after.topology.milvus.bucket;
  if (!from && to) {
    return [
      care(
        changeId('backup-enable', bucket),
        `recovery points every "${to.schedule}", ${plural(to.keep, 'point')} kept, a ${to.windowDays}-day window`,
        `deploy turns on versioning for ${bucket} (S3 can suspend versioning later, never remove it) with a lifecycle rule that keeps overwritten and deleted objects ${plural(to.windowDays, 'day')}: every segment Milvus compacts away or drops stays on the drives that long`,
        [
          `check the MinIO drives' free space: \`npm run bench:backup\` measures what versioning keeps for Milvus's write pattern`,
          `${deploy(environment)}: versioning and the lifecycle rule are set`,
          `${backupCommand(environment)} makes the first point; ${listCommand(environment)} shows it`,
        ],
      ),
    ];
  }
  if (from && !to) {
    return [
      care(
        changeId('backup-disable', before.topology.milvus.bucket),
        'recovery points no longer made',
        `the points already made stay where they are and nothing prunes them; ${before.topology.milvus.bucket} stays versioned (S3 can only suspend versioning) and keeps expiring old versions after ${plural(from.windowDays, 'day')}`,
        [`${listCommand(environment)} before the merge: note the points you still want, and delete the others from their targets by hand`, `${deploy(environment)}`],
      ),
    ];
  }
  return [];
};

export const backupWindowChanged: Classifier = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].windowDays === sides[1].windowDays) return [];
  const [from, to] = [sides[0].windowDays, sides[1].windowDays];
  const id = changeId('backup-window', from);
  const what = `recovery window ${plural(from, 'day')} → ${plural(to, 'day')}`;
  if (to > from) {
    return [safe(id, what, `MinIO keeps overwritten and deleted objects longer (more disk); versions already expired stay gone, so the longer reach builds up over ${plural(to - from, 'day')}`)];
  }
  return [
    care(id, what, `once deploy sets the shorter lifecycle rule, MinIO's scanner expires versions older than ${plural(to, 'day')}: points older than that can bring back etcd but no longer the bucket`, [
      `${listCommand(environment)}: points older than ${plural(to, 'day')} lose their bucket state`,
      `${deploy(environment)}`,
    ]),
  ];
};

export const backupKeepChanged: Classifier = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].keep === sides[1].keep) return [];
  const [from, to] = [sides[0].keep, sides[1].keep];
  const id = changeId('backup-keep', from);
  const what = `recovery points kept ${from} → ${to}`;
  if (to > from) return [safe(id, what, 'pruning keeps more points from now on; nothing is deleted')];
  return [
    care(id, what, `the next backup prunes the oldest points until ${plural(to, 'point')} remain: ${plural(from - to, 'point')} are deleted from every target`, [
      `${listCommand(environment)}: copy any point you want to keep elsewhere first`,
      `${deploy(environment)}`,
    ]),
  ];
};

export const backupScheduleChanged: Classifier = ({ before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].schedule === sides[1].schedule) return [];
  return [safe(changeId('backup-schedule', before.topology.stack), `backup schedule "${sides[0].schedule}" → "${sides[1].schedule}"`, 'only when recovery points are made changes; nothing restarts')];
};

export const backupTargetsChanged: Classifier = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides) return [];
  const [from, to] = [sides[0].targets, sides[1].targets];
  const changes: Change[] = [];
  const moved = (kind: 'directory' | 's3', old: string, next: string | undefined) =>
    care(
      changeId('backup-target', kind),
      next === undefined ? `recovery points no longer written to ${old}` : `recovery points move from ${old} to ${next}`,
      `the points already in ${old} are no longer listed, pruned or restored from${next === undefined ? '' : `: new points go to ${next}`}`,
      [
        next === undefined ? `keep or delete the points in ${old} by hand` : `copy the point folders from ${old} to ${next} to keep them restorable`,
        `${deploy(environment)}; ${listCommand(environment)} shows the points found`,
      ],
    );
  if (from.directory !== undefined && from.directory !== to.directory) changes.push(moved('directory', from.directory, to.directory));
  if (from.directory === undefined && to.directory !== undefined) {
    changes.push(safe(changeId('backup-target', 'directory'), `recovery points also written to ${to.directory}`, 'a new target: the next point goes there too'));
  }
  if (from.s3 && (!to.s3 || s3Location(from.s3) !== s3Location(to.s3))) changes.push(moved('s3', s3Location(from.s3), to.s3 && s3Location(to.s3)));
  if (!from.s3 && to.s3) changes.push(safe(changeId('backup-target', 's3'), `recovery points also written to ${s3Location(to.s3)}`, 'a new target: the next point goes there too'));
  if (from.s3 && to.s3 && s3Location(from.s3) === s3Location(to.s3)) {
    const renamed = (['accessKeyVariable', 'secretKeyVariable', 'region'] as const).filter((field) => from.s3![field] !== to.s3![field]);
    if (renamed.length > 0) {
      changes.push(
        safe(
          changeId('backup-credentials', 's3'),
          `S3 target ${renamed.map((field) => `${field} ${from.s3![field]} → ${to.s3![field]}`).join(', ')}`,
          `the runner that makes points must provide ${code(to.s3.accessKeyVariable)} and ${code(to.s3.secretKeyVariable)}; nothing in the cluster changes`,
        ),
      );
    }
  }
  return changes;
};
