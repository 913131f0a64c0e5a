// The backup schedule's cron reading: the fields as Vixie cron and GitHub Actions read them, and how far apart runs fall.
import { describe, expect, it } from 'vitest';
import { cronGaps, formatMinutes, parseCron } from '../../generator/topology/cron.ts';

const gaps = (expression: string) => {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.problem);
  const { longestMinutes, shortestMinutes, firings } = cronGaps(parsed.schedule);
  return { longest: longestMinutes === undefined ? undefined : formatMinutes(longestMinutes), shortest: shortestMinutes === undefined ? undefined : formatMinutes(shortestMinutes), firings };
};

describe('cron gaps', () => {
  it.each([
    ['*/15 * * * *', '15 minutes', '15 minutes'],
    ['17 3 * * *', '1 day', '1 day'],
    ['0 3,15 * * *', '12 hours', '12 hours'],
    ['0 1,2 * * *', '23 hours', '1 hour'],
    ['0 3 * * 1', '7 days', '7 days'],
    ['0 3 * * MON-FRI', '3 days', '1 day'],
    ['0 0 1 * *', '31 days', '28 days'],
    // Both day fields restricted: either matches (the 1st, and every Sunday).
    ['0 0 1 * 0', '7 days', '1 day'],
    // A day field starting with * (a step too) counts as unrestricted (Vixie's DOM_STAR): odd days that are Mondays.
    ['0 0 */2 * 1', '21 days', '7 days'],
    ['0 0 29 2 *', '1461 days', '1461 days'],
  ])('%s: longest %s, shortest %s', (expression, longest, shortest) => {
    expect(gaps(expression)).toMatchObject({ longest, shortest });
  });

  it('reads 7 as Sunday and names of days and months', () => {
    const parsed = parseCron('0 0 * JAN sun,7');
    expect(parsed.ok && { days: [...parsed.schedule.daysOfWeek], months: [...parsed.schedule.months] }).toEqual({ days: [0], months: [1] });
  });

  it('finds no runs for a day that does not exist', () => {
    expect(gaps('0 0 31 4 *')).toEqual({ firings: 0, longest: undefined, shortest: undefined });
  });

  it.each([
    ['0 3 * * * *', '6 fields instead of 5 (minute hour day-of-month month day-of-week, in UTC)'],
    ['@daily', '1 fields instead of 5 (minute hour day-of-month month day-of-week, in UTC)'],
    ['60 3 * * *', 'minute field "60": 60 is outside 0-59'],
    ['0 3 5-1 * *', 'day of month field "5-1": range "5-1" runs backwards'],
    ['0 3 * * FUNDAY', 'day of week field "FUNDAY": "FUNDAY" is not a number or a name (SUN, MON, TUE…)'],
    ['*/0 3 * * *', 'minute field "*/0": step "/0" must be at least 1'],
  ])('refuses %s', (expression, problem) => {
    expect(parseCron(expression)).toEqual({ ok: false, problem });
  });
});
