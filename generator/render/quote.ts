// Quoting, one function per language a rendered file is read by. Every value a renderer writes into a script, a
// config or a compose file passes through one of these (the schema also refuses what has no business there; these
// make sure that whatever got through still means itself).
import { printable } from '../topology/text.ts';

/** A POSIX shell word: `'…'`, with `'` written as `'\''`. Nothing inside single quotes is expanded. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A compose-file value: `docker stack deploy` interpolates `$VAR` and `${VAR}` in every value from the deploying
 * process's environment (and refuses `$(…)`); `$$` is a literal `$`. So `$` is always doubled, and the stack file
 * means the same on every machine that deploys it.
 */
export const composeLiteral = (value: string): string => value.replace(/\$/g, '$$$$');

/** Every string value of a compose document through composeLiteral (keys are names, checked by the schema). */
export function composeLiterals<T>(value: T): T {
  if (typeof value === 'string') return composeLiteral(value) as T;
  if (Array.isArray(value)) return value.map((item) => composeLiterals(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, composeLiterals(item)])) as T;
  }
  return value;
}

/**
 * Text inside a one-line comment (`# …` in shell, YAML and nginx): a newline would end the comment and start a
 * command, so unprintable characters are written as `\u{…}`.
 */
export const commentText = (value: string): string => printable(value);

/** An nginx string: double quotes, with `\` and `"` escaped (nginx's parser reads `\"` and `\\` inside quotes). */
export const nginxQuote = (value: string): string => `"${printable(value).replace(/[\\"]/g, '\\$&')}"`;
