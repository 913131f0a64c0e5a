// What verify reports: one row per check, each pass / warn / fail with its elapsed time and a one-line reason.
import { table } from '../render/markdown.ts';

export type Status = 'pass' | 'warn' | 'fail';

export interface Row {
  /** What was checked, in the operator's words: "etcd proxy: put/get/delete", "minio bucket milvus-bucket". */
  check: string;
  status: Status;
  elapsedMs: number;
  /** One line: what was seen, and for a warn or fail what to do next. */
  reason: string;
}

export interface Outcome {
  status: Status;
  reason: string;
}

export const pass = (reason: string): Outcome => ({ status: 'pass', reason });
export const warn = (reason: string): Outcome => ({ status: 'warn', reason });
export const fail = (reason: string): Outcome => ({ status: 'fail', reason });

/** The worse of two statuses: fail > warn > pass. */
export function worst(...statuses: Status[]): Status {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}

/** Times an async check that reports its own outcome; anything it throws becomes a fail row with its message. */
export async function timed(check: string, run: () => Promise<Outcome>, now: () => number = performance.now.bind(performance)): Promise<Row> {
  const started = now();
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = fail(oneLine(errorMessage(error)));
  }
  return { check, ...outcome, reason: oneLine(outcome.reason), elapsedMs: Math.round(now() - started) };
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reasons are one line, whatever a library put in its message. */
export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' | ').trim();

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  status: Status;
}

export function summarise(rows: readonly Row[]): Summary {
  const count = (status: Status) => rows.filter((row) => row.status === status).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail'), status: worst(...rows.map((row) => row.status)) };
}

export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

/** The table on stdout: aligned columns, status first so a fail catches the eye. */
export function formatRowsText(rows: readonly Row[]): string {
  const header = ['STATUS', 'TIME', 'CHECK', 'REASON'];
  const cells = rows.map((row) => [row.status.toUpperCase(), formatSeconds(row.elapsedMs), row.check, row.reason]);
  const widths = header.slice(0, 3).map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => (column < 3 ? value.padEnd(widths[column]!) : value)).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** The same rows for a GitHub job summary. */
export function formatRowsMarkdown(rows: readonly Row[]): string {
  const icon: Record<Status, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' };
  return table(
    ['status', 'time', 'check', 'reason'],
    rows.map((row) => [icon[row.status], formatSeconds(row.elapsedMs), row.check, row.reason]),
  );
}

export function summaryLine(environment: string, summary: Summary, elapsedMs: number): string {
  return `verify ${environment}: ${summary.status.toUpperCase()} — ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail in ${formatSeconds(elapsedMs)}`;
}
