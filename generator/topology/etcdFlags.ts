// What etcd 3.5 accepts for --auto-compaction-retention (server/embed/etcd.go, parseCompactionRetention): a
// non-negative integer (`strconv.Atoi`) is revisions in revision mode and hours in periodic mode; anything else must
// be a Go duration (`time.ParseDuration`) — which etcd also takes in revision mode, where "1h" means 3.6e12 revisions.

const WHOLE_NUMBER = /^\d{1,18}$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const HOURS_PER_UNIT: Record<string, number> = { ns: 1 / 3.6e12, us: 1 / 3.6e9, µs: 1 / 3.6e9, μs: 1 / 3.6e9, ms: 1 / 3.6e6, s: 1 / 3600, m: 1 / 60, h: 1 };
/** Go's time.Duration is an int64 of nanoseconds: 2562047h47m16.854775807s at most. */
export const MAX_DURATION_HOURS = 2562047;

/** The same, as one JSON Schema pattern for editors. */
export const RETENTION_PATTERN = `^(?:\\d{1,18}|${DURATION.source.slice(1, -1)})$`;

export type Retention = { kind: 'whole'; value: number } | { kind: 'duration'; hours: number };

export function parseRetention(text: string): Retention | undefined {
  if (WHOLE_NUMBER.test(text)) return { kind: 'whole', value: Number(text) };
  if (!DURATION.test(text)) return undefined;
  let hours = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) hours += Number(amount) * HOURS_PER_UNIT[unit!]!;
  return { kind: 'duration', hours };
}

export function retentionFormatProblem(text: string): string | undefined {
  return parseRetention(text) ? undefined : 'expected a whole number (revisions, or hours in periodic mode) or a Go duration such as 12h or 90m';
}
