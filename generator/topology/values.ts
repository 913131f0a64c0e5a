// Checks over every value of a parsed topology, before the schema: what no field may hold, whatever its type.
import { error, type Problem, type TopologyPath } from './problems.ts';
import { codePoint, printable, UNPRINTABLE } from './text.ts';

/** A key that JavaScript objects treat specially: zod's records drop it silently, so it is reported here. */
const PROTOTYPE_KEY = '__proto__';

export interface ValueVisit {
  path: TopologyPath;
  value: unknown;
}

/** Every value and key of the document, depth first, without recursion (a deep document cannot exhaust the stack). */
export function* walkValues(data: unknown): Generator<ValueVisit & { key?: string }> {
  const pending: (ValueVisit & { key?: string })[] = [{ path: [], value: data }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    yield visit;
    const { path, value } = visit;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push({ path: [...path, index], value: value[index] });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index]!;
        pending.push({ path: [...path, key], value: (value as Record<string, unknown>)[key], key });
      }
    }
  }
}

/** `__proto__` keys, wherever they are (the caller words the problem: it knows which keys the schema expects there). */
export function prototypeKeys(data: unknown): TopologyPath[] {
  return [...walkValues(data)].filter((visit) => visit.key === PROTOTYPE_KEY).map((visit) => visit.path);
}

/**
 * Control, zero-width and bidi characters in any string or key, and numbers that are not finite (.inf, .nan, 1e400).
 * One problem per value; the character is named by code point, never printed.
 */
export function valueProblems(data: unknown, writtenAs: (path: TopologyPath) => string | undefined = () => undefined): Problem[] {
  const problems: Problem[] = [];
  for (const { path, value, key } of walkValues(data)) {
    const badKey = key === undefined ? undefined : UNPRINTABLE.exec(key)?.[0];
    if (badKey !== undefined) problems.push({ ...error(path, `character ${codePoint(badKey)} is not allowed in a key`), atKey: true });
    if (typeof value === 'string') {
      const bad = UNPRINTABLE.exec(value)?.[0];
      if (bad !== undefined) problems.push(error(path, `character ${codePoint(bad)} is not allowed in a topology value: values end up in scripts, configs and terminals`));
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      const read = Number.isNaN(value) ? 'NaN' : value > 0 ? 'infinity' : '-infinity';
      const written = writtenAs(path);
      problems.push(error(path, `not a finite number (YAML reads ${written === undefined ? 'it' : printable(written)} as ${read})`));
    }
  }
  return problems;
}
