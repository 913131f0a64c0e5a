// Checks over every value of a parsed topology, before the schema: what no field may hold, whatever its type.
import type { TopologyPath } from './problems.ts';

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
