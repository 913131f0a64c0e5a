// verify's "backup: last recovery point" row, shown only for a topology with a backup: section: how old the newest
// point in the targets is, judged by backup/pointAge.ts (warn past twice the schedule's longest gap, fail past the
// recovery window). A target that cannot be listed is named; the row then judges what the others hold.
import { judgePointAge } from '../backup/pointAge.ts';
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
}

export async function checkRecoveryPoints(input: RecoveryPointsInput, deadlineMs: number, now: Date): Promise<Outcome> {
  let stores: PointStore[];
  try {
    stores = input.stores();
  } catch (error) {
    return fail(`the targets cannot be listed: ${errorMessage(error)}`);
  }
  const { points, storeErrors } = await withDeadline('listing the recovery points', deadlineMs, listRecoveryPoints(stores));
  const newest = points.find((point) => point.manifest);
  const verdict = judgePointAge(input.backup, newest?.manifest ? new Date(newest.manifest.cut) : undefined, now);
  const unlisted = storeErrors.map((failure) => `${failure.where} not listed: ${failure.error}`);
  const where = newest ? ` (${newest.id}, in ${newest.where.join(', ')})` : '';
  // A target that cannot be listed may be where the newest point is: never a pass.
  const status: Status = unlisted.length > 0 && verdict.status === 'pass' ? 'warn' : verdict.status;
  return { status, reason: [`${verdict.reason}${where}`, ...unlisted].join('; ') };
}
