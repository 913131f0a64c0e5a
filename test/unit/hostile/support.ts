// Helpers for the hostile-input tests: one test file per class of bad input (issue 15), each asserting the exact
// line an operator sees, or that nothing hostile reaches a rendered file or a shell.
import { validateTopology } from '../../../generator/topology/validate.ts';
import { formatProblem } from '../../../generator/topology/problems.ts';
import { frozenRepositories } from '../../frozen.ts';
import { BASE_FILE, editBase } from '../support.ts';

export { BASE_FILE as F } from '../support.ts';

/** A YAML double-quoted scalar holding exactly `value` (JSON strings are valid YAML double-quoted scalars). */
export const yamlString = (value: string) => JSON.stringify(value);

/** The base fixture with `key: value` (written as a double-quoted scalar) in place of the line `find`. */
export function withValue(find: string, key: string, value: string): string {
  return editBase({ [find]: `${key}: ${yamlString(value)}` });
}

/** Error lines only (warnings dropped), as the CLI prints them. */
export function errorLines(text: string, file = BASE_FILE): string[] {
  const result = validateTopology(file, text);
  return result.ok ? [] : result.problems.filter((problem) => problem.severity === 'error').map(formatProblem);
}

/** Scratch repositories (environments/ and rendered/) to run commands in, one per call, removed after each test. */
export const scratchRepositories = (prefix: string): (() => string) => frozenRepositories(prefix);
