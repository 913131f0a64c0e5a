// Cron expressions as the backup schedule is written: five fields (minute hour day-of-month month day-of-week), in
// UTC, read the way Vixie cron and GitHub Actions' `schedule:` read them. Pure: the schema checks the syntax, the
// backup rules ask how far apart two scheduled points can be (the recovery window must cover it).

export interface CronSchedule {
  expression: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday; 7 is read as 0. */
  daysOfWeek: ReadonlySet<number>;
  /**
   * Vixie cron: when both day fields are restricted (neither starts with `*`), a day matches if EITHER does
   * ("0 0 1 * 1" is the 1st of each month and every Monday), else both must.
   */
  dayFieldsOred: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export type ParsedCron = { ok: true; schedule: CronSchedule } | { ok: false; problem: string };

export function parseCron(expression: string): ParsedCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || expression.trim() === '') {
    return { ok: false, problem: `${expression.trim() === '' ? 0 : fields.length} fields instead of 5 (minute hour day-of-month month day-of-week, in UTC)` };
  }
  const values: number[][] = [];
  for (const [index, field] of fields.entries()) {
    const parsed = parseField(field, FIELDS[index]!);
    if (typeof parsed === 'string') return { ok: false, problem: `${FIELDS[index]!.name} field "${field}": ${parsed}` };
    values.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = values as [number[], number[], number[], number[], number[]];
  return {
    ok: true,
    schedule: {
      expression: fields.join(' '),
      minutes,
      hours,
      daysOfMonth: new Set(daysOfMonth),
      months: new Set(months),
      daysOfWeek: new Set(daysOfWeek.map((day) => day % 7)),
      dayFieldsOred: !fields[2]!.startsWith('*') && !fields[4]!.startsWith('*'),
    },
  };
}

function parseField(field: string, spec: FieldSpec): number[] | string {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `"${part}" is not a number, a range (1-5), * or a step (*/15)`;
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) return `step "/${match[2]}" must be at least 1`;
    let low = spec.min;
    let high = spec.max === 7 ? 6 : spec.max;
    if (match[1] !== '*') {
      const [from, to] = match[1]!.split('-');
      const first = value(from!, spec);
      if (typeof first === 'string') return first;
      low = first;
      high = first;
      if (to !== undefined) {
        const last = value(to, spec);
        if (typeof last === 'string') return last;
        if (last < first) return `range "${match[1]}" runs backwards`;
        high = last;
      } else if (match[2] !== undefined) {
        high = spec.max; // "5/15": from 5, every 15 (Vixie cron)
      }
    }
    for (let n = low; n <= high; n += step) values.add(n);
  }
  return [...values].sort((a, b) => a - b);
}

function value(text: string, spec: FieldSpec): number | string {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) return `"${text}" is not a number${spec.names ? ` or a name (${spec.names.slice(0, 3).join(', ')}…)` : ''}`;
  const number = Number(text);
  if (number < spec.min || number > spec.max) return `${number} is outside ${spec.min}-${spec.max}`;
  return number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * Long enough that every combination of weekday, day of month and leap year occurs (February 29 falls on each weekday
 * within 28 years), so the gaps found are the schedule's real ones.
 */
const SCAN_YEARS = 28;
const SCAN_START = Date.UTC(2000, 0, 1);

function dayMatches(schedule: CronSchedule, day: Date): boolean {
  if (!schedule.months.has(day.getUTCMonth() + 1)) return false;
  const byMonthDay = schedule.daysOfMonth.has(day.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(day.getUTCDay());
  return schedule.dayFieldsOred ? byMonthDay || byWeekDay : byMonthDay && byWeekDay;
}

export interface CronGaps {
  /** Scheduled runs in the scanned years (0: the schedule never fires, e.g. February 30). */
  firings: number;
  /** The longest and shortest time between two consecutive runs, in minutes (undefined with fewer than 2 runs). */
  longestMinutes?: number;
  shortestMinutes?: number;
}

/** How far apart consecutive runs of the schedule can be: day by day over 28 years, never minute by minute. */
export function cronGaps(schedule: CronSchedule): CronGaps {
  const minutesOfDay = schedule.hours.flatMap((hour) => schedule.minutes.map((minute) => hour * 60 + minute)).sort((a, b) => a - b);
  const withinDay = minutesOfDay.slice(1).map((minute, index) => minute - minutesOfDay[index]!);
  let matchingDays = 0;
  const days = Math.round((Date.UTC(2000 + SCAN_YEARS, 0, 1) - SCAN_START) / DAY_MS);
  let firings = 0;
  let longest: number | undefined;
  let shortest: number | undefined;
  let previousLast: number | undefined;
  const note = (gap: number) => {
    longest = longest === undefined ? gap : Math.max(longest, gap);
    shortest = shortest === undefined ? gap : Math.min(shortest, gap);
  };
  for (let day = 0; day < days; day++) {
    const start = SCAN_START + day * DAY_MS;
    if (!dayMatches(schedule, new Date(start))) continue;
    const first = start / MINUTE_MS + minutesOfDay[0]!;
    if (previousLast !== undefined) note(first - previousLast);
    matchingDays++;
    previousLast = start / MINUTE_MS + minutesOfDay[minutesOfDay.length - 1]!;
    firings += minutesOfDay.length;
  }
  // The gaps within a day are the same on every day that matches: counted once, not 10,000 times.
  if (matchingDays > 0) for (const gap of withinDay) note(gap);
  return { firings, ...(longest === undefined ? {} : { longestMinutes: longest, shortestMinutes: shortest }) };
}

/** `3 days`, `1 day 6 hours`, `15 minutes`: a gap as an operator reads it. */
export function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? `${days} day${days === 1 ? '' : 's'}` : '',
    hours > 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    rest > 0 ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? '0 minutes' : parts.join(' ');
}
