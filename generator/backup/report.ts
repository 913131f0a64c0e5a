// The views of backup, backup list and restore: one value each (recoveryPoint.ts, restore.ts), formatted here for
// the CLI and, later, a job summary. A view never decides; the values say what happened.
import { markdownTable, textTable, type Column } from '../render/table.ts';
import type { Manifest } from './manifest.ts';
import type { BackupReport, ListedPoint } from './recoveryPoint.ts';
import type { RestoreReport } from './restore.ts';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `revision 1234, 300 keys, 20.0 KiB (sha256 ab12cd34ef56…)`. */
export const etcdFigures = (manifest: Manifest): string =>
  `revision ${manifest.etcd.revision}, ${manifest.etcd.keys === undefined ? 'keys not counted' : plural(manifest.etcd.keys, 'key')}, snapshot ${formatBytes(manifest.etcd.bytes)} (sha256 ${manifest.etcd.sha256.slice(0, 12)}…)`;

export const bucketFigures = (manifest: Manifest): string =>
  `${manifest.bucket.name} as of ${manifest.cut}: ${plural(manifest.bucket.objects, 'object')}, ${formatBytes(manifest.bucket.bytes)}`;

/** What `backup` prints on stdout; on success its last line is the point's id alone. */
export function backupReportLines(report: BackupReport): string[] {
  const lines: string[] = [];
  const manifest = report.manifest;
  if (manifest) {
    lines.push(`recovery point ${manifest.id} (${manifest.reason}) of ${manifest.environment}`);
    lines.push(`  etcd    ${etcdFigures(manifest)}, from ${manifest.etcd.endpoint} in ${seconds(report.timings.snapshotMs)}`);
    lines.push(`  bucket  ${bucketFigures(manifest)}; window ${plural(manifest.bucket.windowDays, 'day')}; listed in ${seconds(report.timings.cutMs)}`);
    for (const [index, store] of report.stores.entries()) {
      const what = store.error ? `FAILED: ${store.error}` : `written${store.pruned.length > 0 ? `; pruned ${store.pruned.join(', ')}` : ''}`;
      lines.push(`  ${index === 0 ? 'stored ' : '       '} ${store.where}: ${what}`);
    }
    for (const note of report.notes) lines.push(`  note    ${note}`);
    lines.push(`  total   ${seconds(report.timings.totalMs)}`);
    lines.push(manifest.id);
  }
  return lines;
}

export interface PointRow {
  point: ListedPoint;
  /** Whether the bucket can still be brought back to it: within the window the point recorded. */
  bucketRestorable: boolean;
}

export function pointRows(points: readonly ListedPoint[], now: Date): PointRow[] {
  return points.map((point) => ({
    point,
    bucketRestorable: point.manifest !== undefined && now.getTime() - new Date(point.manifest.cut).getTime() <= point.manifest.bucket.windowDays * 86_400_000,
  }));
}

const shortTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export const POINT_COLUMNS: readonly Column<PointRow>[] = [
  { title: 'point', text: (row) => row.point.id },
  { title: 'reason', text: (row) => row.point.manifest?.reason ?? '?' },
  { title: 'cut', text: (row) => (row.point.manifest ? shortTime(row.point.manifest.cut) : '?') },
  { title: 'etcd rev', text: (row) => String(row.point.manifest?.etcd.revision ?? '?') },
  { title: 'keys', text: (row) => String(row.point.manifest?.etcd.keys ?? '?') },
  { title: 'snapshot', text: (row) => (row.point.manifest ? formatBytes(row.point.manifest.etcd.bytes) : '?') },
  { title: 'objects', text: (row) => String(row.point.manifest?.bucket.objects ?? '?') },
  { title: 'bytes', text: (row) => (row.point.manifest ? formatBytes(row.point.manifest.bucket.bytes) : '?') },
  { title: 'restores', text: (row) => restoresText(row) },
  { title: 'where', text: (row) => row.point.where.map((where) => where.split(' ')[0]).join(', ') },
];

/** What `restore` would bring back from this point, and on what terms (pointTrust.ts). */
function restoresText(row: PointRow): string {
  const { point } = row;
  if (point.trust === 'refused' || !point.manifest) return `nothing: ${[point.reason, ...point.problems].filter(Boolean).join('; ')}`;
  const what = row.bucketRestorable ? 'etcd + bucket' : `etcd only (older than its ${point.manifest.bucket.windowDays}-day window)`;
  return point.trust === 'authentic' ? what : `${what}, only by id with --allow-unsigned: ${point.reason}`;
}

export const pointListText = (rows: readonly PointRow[]): string => textTable(POINT_COLUMNS, rows);
export const pointListMarkdown = (rows: readonly PointRow[]): string => markdownTable(POINT_COLUMNS, rows);

/** What `restore` prints: what was restored, from where, what changed, and how to undo it. */
export function restoreReportLines(report: RestoreReport, environment: string): string[] {
  const lines: string[] = [];
  const point = report.point;
  if (point) lines.push(`recovery point ${point.id} (${point.reason}), cut ${point.cut}${report.from ? `, from ${report.from}` : ''}`);
  if (report.undoPoint) lines.push(`  undo    point ${report.undoPoint.id} holds the state before this restore: ${etcdFigures(report.undoPoint)}; ${bucketFigures(report.undoPoint)}`);
  if (report.etcd) {
    const before = report.etcd.before ? `revision ${report.etcd.before.revision}${report.etcd.before.keys === undefined ? '' : `, ${plural(report.etcd.before.keys, 'key')}`} → ` : '';
    lines.push(`  etcd    ${before}revision ${report.etcd.revision}${report.etcd.keys === undefined ? '' : `, ${plural(report.etcd.keys, 'key')}`}; restored into ${report.etcd.into}, cluster token ${report.etcd.clusterToken}`);
  }
  if (report.bucket) {
    const { copied, hidden, unchanged, failed } = report.bucket;
    lines.push(
      `  bucket  ${plural(copied.objects, 'object')} (${formatBytes(copied.bytes)}) brought back to their version at the cut, ${plural(hidden.objects, 'object')} (${formatBytes(hidden.bytes)}) written after it hidden under delete markers, ${unchanged} unchanged${failed.length > 0 ? `; ${failed.length} FAILED (e.g. ${failed[0]!.key}: ${failed[0]!.reason})` : ''}`,
    );
  }
  for (const note of report.notes) lines.push(`  note    ${note}`);
  if (report.ok) {
    const { checkMs, undoPointMs, etcdMs, bucketMs } = report.timings;
    lines.push(`restored in ${seconds(report.elapsedMs)} (checks ${seconds(checkMs)}, undo point ${seconds(undoPointMs)}, etcd ${seconds(etcdMs)}, bucket ${seconds(bucketMs)}); then: npx milvus-swarm verify --env ${environment}, and start Milvus`);
    if (report.undoPoint) lines.push(`to undo: npx milvus-swarm restore --env ${environment} --point ${report.undoPoint.id} --yes`);
  }
  return lines;
}
