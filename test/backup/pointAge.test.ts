// verify's future "last recovery point: age" row, as a judgement: pass, warn past twice the schedule, fail past the window.
import { describe, expect, it } from 'vitest';
import { judgePointAge } from '../../generator/backup/pointAge.ts';

const now = new Date('2026-11-30T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const daily = { schedule: '17 3 * * *', windowDays: 7 };

describe('the age of the newest recovery point', () => {
  it('passes within twice the schedule', () => {
    expect(judgePointAge(daily, hoursAgo(47), now)).toEqual({ status: 'pass', reason: 'the newest point is 1 day 23 hours old' });
  });
  it('warns past twice the longest gap between scheduled points', () => {
    expect(judgePointAge(daily, hoursAgo(49), now)).toEqual({
      status: 'warn',
      reason: 'the newest point is 2 days 1 hour old, more than twice the 1 day between scheduled points ("17 3 * * *"): scheduled backups are not running',
    });
  });
  it('fails past the window, and without any point', () => {
    expect(judgePointAge(daily, hoursAgo(7 * 24 + 1), now).status).toBe('fail');
    expect(judgePointAge(daily, hoursAgo(7 * 24 + 1), now).reason).toMatch(/beyond the 7-day window: no point can bring the bucket back/);
    expect(judgePointAge(daily, undefined, now)).toEqual({ status: 'fail', reason: 'no recovery point yet: run npx milvus-swarm backup --env NAME' });
  });
});
