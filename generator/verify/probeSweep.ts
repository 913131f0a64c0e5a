// verify's probes carry the time they were written in their names (…/2026-11-30T02-36-41-239Z-<16 hex>). A run that
// was killed, or a put that timed out and landed later, can leave one behind; every run removes the ones older than
// PROBE_MAX_AGE_MS under verify's own prefix, judging age by the name (never by a clock on another machine), and
// leaves anything else under the prefix alone.
export const PROBE_MAX_AGE_MS = 5 * 60_000;

const STAMP = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-[0-9a-f]{16}$/;

/** The time in a probe's name, or undefined when the name is not one verify writes. */
export function probeTime(name: string): number | undefined {
  const match = STAMP.exec(name);
  if (!match) return undefined;
  const [, day, hours, minutes, seconds, millis] = match;
  const time = Date.parse(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`);
  return Number.isNaN(time) ? undefined : time;
}

/** The probes old enough to be leftovers: named by verify, written more than `maxAgeMs` before `now`. */
export function staleProbes(names: readonly string[], now: number, maxAgeMs = PROBE_MAX_AGE_MS): string[] {
  return names.filter((name) => {
    const time = probeTime(name);
    return time !== undefined && now - time > maxAgeMs;
  });
}

/** The part of a row's reason that says what was swept (empty when nothing was). */
export const sweptNote = (count: number, what: string): string =>
  count === 0 ? '' : `; removed ${count} ${what}${count === 1 ? '' : 's'} older than ${PROBE_MAX_AGE_MS / 60_000} min left by earlier runs`;
