// Problems are values: collected from every stage, located in the source file, sorted, printed once.
import { printable } from './text.ts';
export type Severity = 'error' | 'warning';
export type TopologyPath = readonly (string | number)[];

/** A problem as a rule or the schema reports it: where in the document (by path), not yet where in the file. */
export interface Problem {
  severity: Severity;
  path: TopologyPath;
  message: string;
  /** Point at the key itself rather than its value (unknown keys). */
  atKey?: boolean;
}

export interface LocatedProblem extends Problem {
  file: string;
  line: number;
  column: number;
}

export const error = (path: TopologyPath, message: string): Problem => ({ severity: 'error', path, message });
export const warning = (path: TopologyPath, message: string): Problem => ({ severity: 'warning', path, message });

/** `etcd.members[2].host`; the document root is `(root)`. */
export function formatPath(path: TopologyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${printable(JSON.stringify(segment))}]`;
  }
  return text === '' ? '(root)' : text;
}

/** `FILE:LINE:COL: error: PATH: message` — the format editors and GitHub annotations understand. */
export function formatProblem(problem: LocatedProblem): string {
  // The file name as given on the command line: a newline in it must not start a second line.
  return `${printable(problem.file)}:${problem.line}:${problem.column}: ${problem.severity}: ${formatPath(problem.path)}: ${problem.message}`;
}

export function sortProblems<T extends LocatedProblem>(problems: readonly T[]): T[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      formatPath(a.path).localeCompare(formatPath(b.path)) ||
      a.message.localeCompare(b.message),
  );
}

export function countLine(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
