// Turns zod's issues into Problems an operator can act on: the path, what was expected, what was found.
import type { z } from 'zod';
import { didYouMean } from './didYouMean.ts';
import { error, type Problem, type TopologyPath } from './problems.ts';
import { printable } from './text.ts';

type Issue = z.core.$ZodIssue;

export function problemsFromIssues(issues: readonly Issue[], schema: z.ZodType): Problem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, schema));
}

function problemsFromIssue(issue: Issue, schema: z.ZodType): Problem[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyProblem([...path, key], schema));
    case 'invalid_type':
      if (issue.input === undefined) {
        return [error(path, `missing required key (expected ${describeType(issue.expected)})`)];
      }
      return [error(path, `expected ${describeType(issue.expected)}, got ${describeValue(issue.input)}`)];
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value));
      const input = typeof issue.input === 'string' ? issue.input : undefined;
      const hint = input === undefined ? '' : didYouMean(input, issue.values.map(String));
      return [error(path, `expected one of ${allowed.join(', ')}, got ${describeValue(issue.input)}${hint}`)];
    }
    case 'invalid_format':
    case 'too_small':
    case 'too_big':
    case 'custom':
      return [error(path, `${lowerFirst(issue.message)}, got ${describeValue(issue.input)}`)];
    default:
      return [error(path, lowerFirst(issue.message))];
  }
}

/** `unknown key "dataDirs" (did you mean "dataDir"?); expected one of: …`, at the key. */
export function unknownKeyProblem(path: TopologyPath, schema: z.ZodType): Problem {
  const key = String(path[path.length - 1]);
  const known = objectKeysAt(schema, path.slice(0, -1));
  const expected = known.length > 0 ? `; expected one of: ${known.join(', ')}` : '';
  return { ...error(path, `unknown key "${printable(key)}"${didYouMean(key, known)}${expected}`), atKey: true };
}

const typeWords: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  int: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  record: 'a mapping',
};

function describeType(expected: string): string {
  return typeWords[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  // JSON escapes control characters; printable() the format characters JSON leaves (zero-width, bidi).
  const text = printable(JSON.stringify(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The keys an object schema allows at a document path, for "did you mean" and "expected one of". */
function objectKeysAt(schema: z.ZodType, path: TopologyPath): string[] {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const def = current?._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType } | undefined;
    if (def?.type === 'object' && typeof segment === 'string') current = def.shape?.[segment];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
    current = current && unwrap(current);
  }
  const def = current?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}
