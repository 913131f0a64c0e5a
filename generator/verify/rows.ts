// What verify reports: one row per check, each pass / warn / fail with its elapsed time and a one-line reason.
import { markdownTable, textTable, type Column } from '../render/table.ts';
import type { Endpoints } from '../cluster/endpoints.ts';
import { fail, type Outcome, type Status } from '../cluster/outcome.ts';

// Rows are built from outcomes: the judgement functions of verify take these from here.
export { fail, pass, warn, type Outcome, type Status } from '../cluster/outcome.ts';

/** A check's identity, given where the check is defined: code finds a row by its id, never by its display name. */
export interface RowIdentity {
  /** Stable, for code and tests: `etcd-proxy:put-get`, `minio:bucket:milvus-bucket`. */
  id: string;
  /** What was checked, in the operator's words: "etcd proxy: put and get", "minio bucket milvus-bucket". */
  check: string;
  /**
   * The published endpoint the check reaches from outside the swarm (verify's --etcd-endpoint, --s3-endpoint,
   * --console-endpoint); absent for checks run inside the network or needing no endpoint.
   */
  endpoint?: keyof Endpoints;
}

export interface Row extends RowIdentity {
  status: Status;
  elapsedMs: number;
  /** One line: what was seen, and for a warn or fail what to do next. */
  reason: string;
}


/** The worse of two statuses: fail > warn > pass. */
export function worst(...statuses: Status[]): Status {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}

/** Times an async check that reports its own outcome; anything it throws becomes a fail row with its message. */
export async function timed(identity: RowIdentity, run: () => Promise<Outcome>, now: () => number = performance.now.bind(performance)): Promise<Row> {
  const started = now();
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = fail(oneLine(errorMessage(error)));
  }
  return { ...identity, ...outcome, reason: oneLine(outcome.reason), elapsedMs: Math.round(now() - started) };
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

const STATUS_ICON: Record<Status, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' };

/** Status first, so a fail catches the eye; in a job summary with an icon. */
const ROW_COLUMNS: readonly Column<Row>[] = [
  { title: 'status', text: (row) => row.status.toUpperCase(), markdown: (row) => STATUS_ICON[row.status] },
  { title: 'time', text: (row) => formatSeconds(row.elapsedMs) },
  { title: 'check', text: (row) => row.check },
  { title: 'reason', text: (row) => row.reason },
];

/** The rows on stdout or in a job log. */
export const formatRowsText = (rows: readonly Row[]): string => textTable(ROW_COLUMNS, rows);

/** The same rows for a GitHub job summary. */
export const formatRowsMarkdown = (rows: readonly Row[]): string => markdownTable(ROW_COLUMNS, rows);

export function summaryLine(environment: string, summary: Summary, elapsedMs: number): string {
  return `verify ${environment}: ${summary.status.toUpperCase()} — ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail in ${formatSeconds(elapsedMs)}`;
}
