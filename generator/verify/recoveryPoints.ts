// verify's "backup: last recovery point" row, shown only for a topology with a backup: section: how old the newest
// authenticated point in the targets is, judged by backup/pointAge.ts (warn past twice the schedule's longest gap,
// fail past the recovery window). Only points the runner's key authenticates count (backup/pointTrust.ts): a folder
// planted in a target, dated in the future or unsigned, never keeps this row green. Without the key the row judges
// what it finds but never passes. A target that cannot be listed is named; the row then judges what the others hold.
import { judgePointAge } from '../backup/pointAge.ts';
import { POINT_KEY_VARIABLE, type PointKey } from '../backup/pointKey.ts';
import { listRecoveryPoints } from '../backup/recoveryPoint.ts';
import type { PointStore } from '../backup/stores.ts';
import type { BackupSettings } from '../topology/schema.ts';
import { withDeadline } from '../cluster/deadline.ts';
import { errorMessage, fail, type Outcome, type Status } from './rows.ts';

export const RECOVERY_POINT_ROW = { id: 'backup:last-recovery-point', check: 'backup: last recovery point' } as const;

export interface RecoveryPointsInput {
  backup: Pick<BackupSettings, 'schedule' | 'windowDays'>;
  /** The topology's targets as stores; a throw (a missing S3 key) is the row's failure. */
  stores: () => PointStore[];
  /** MILVUS_SWARM_POINT_KEY; a throw (a key too short) is the row's failure. */
  pointKey: () => PointKey | undefined;
}

export async function checkRecoveryPoints(input: RecoveryPointsInput, environment: string, deadlineMs: number, now: Date): Promise<Outcome> {
  let stores: PointStore[];
  let key: PointKey | undefined;
  try {
    stores = input.stores();
    key = input.pointKey();
  } catch (error) {
    return fail(`the targets cannot be listed: ${errorMessage(error)}`);
  }
  const { points, storeErrors } = await withDeadline('listing the recovery points', deadlineMs, listRecoveryPoints(stores, { key, environment, now }));
  // Without a key nothing is authentic: judge the newest point that would be, but never pass on it.
  const counted = key ? points.filter((point) => point.trust === 'authentic') : points.filter((point) => point.trust === 'unchecked' || point.trust === 'unsigned');
  const newest = counted[0];
  const verdict = judgePointAge(input.backup, newest?.manifest ? new Date(newest.manifest.cut) : undefined, now);
  const notCounted = points.length - counted.length;
  const details = [
    ...(key ? [] : [`${POINT_KEY_VARIABLE} is not set: no point is authenticated (verify.yml passes it)`]),
    ...(notCounted > 0 ? [`${notCounted} more not counted (npx milvus-swarm backup list says why)`] : []),
    ...storeErrors.map((failure) => `${failure.where} not listed: ${failure.error}`),
  ];
  const where = newest ? ` (${newest.id}, in ${newest.where.join(', ')})` : '';
  // A target that cannot be listed may be where the newest point is, and an unauthenticated point proves nothing.
  const status: Status = (storeErrors.length > 0 || !key) && verdict.status === 'pass' ? 'warn' : verdict.status;
  return { status, reason: [`${verdict.reason}${where}`, ...details].join('; ') };
}
