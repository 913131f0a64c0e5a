// The judgement behind verify's "last recovery point: age" row (issue 12): warn once the newest point is older than
// twice the longest gap between scheduled points (a scheduled backup was missed), fail once it is older than the
// recovery window (the bucket can no longer be brought back to any point). Pure: the caller lists the points.
import { cronGaps, formatMinutes, parseCron } from '../topology/cron.ts';
import type { BackupSettings } from '../topology/schema.ts';

export interface PointAgeVerdict {
  status: 'pass' | 'warn' | 'fail';
  reason: string;
}

export function judgePointAge(backup: Pick<BackupSettings, 'schedule' | 'windowDays'>, newestCut: Date | undefined, now: Date): PointAgeVerdict {
  const windowMinutes = backup.windowDays * 1440;
  if (!newestCut) return { status: 'fail', reason: 'no recovery point yet: run npx milvus-swarm backup --env NAME' };
  const ageMinutes = Math.max(0, Math.floor((now.getTime() - newestCut.getTime()) / 60_000));
  const age = `the newest point is ${formatMinutes(ageMinutes)} old`;
  if (ageMinutes > windowMinutes) {
    return { status: 'fail', reason: `${age}, beyond the ${backup.windowDays}-day window: no point can bring the bucket back; make one now and check the backup workflow` };
  }
  const parsed = parseCron(backup.schedule);
  const longest = parsed.ok ? cronGaps(parsed.schedule).longestMinutes : undefined;
  if (longest !== undefined && ageMinutes > 2 * longest) {
    return { status: 'warn', reason: `${age}, more than twice the ${formatMinutes(longest)} between scheduled points ("${backup.schedule}"): scheduled backups are not running` };
  }
  return { status: 'pass', reason: age };
}
