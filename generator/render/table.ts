// One table, two views, as terraform's views do it: aligned text for a terminal or a job log, GitHub markdown for a
// job summary. A report says what its columns are once (a title and the cell, per view where they differ); the CLI
// and the actions print the same table through these two functions.
import { table } from './markdown.ts';

export interface Column<Row> {
  /** Lower case; the text view prints it in capitals, as `docker service ls` does. */
  title: string;
  text: (row: Row) => string;
  /** The cell in markdown, where it differs from the text (an icon, code). */
  markdown?: (row: Row) => string;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function textTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => column.title.toUpperCase()), ...rows.map((row) => columns.map((column) => column.text(row)))];
  const widths = columns.map((_, index) => Math.max(...lines.map((line) => line[index]!.length)));
  const last = columns.length - 1;
  return lines.map((line) => line.map((cell, index) => (index < last ? cell.padEnd(widths[index]!) : cell)).join('  ').trimEnd()).join('\n');
}

export function markdownTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return table(
    columns.map((column) => column.title),
    rows.map((row) => columns.map((column) => (column.markdown ?? column.text)(row))),
  );
}
