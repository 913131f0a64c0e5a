import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  textTable
} from "./chunk-FVFIHRYI.js";

// generator/backup/report.ts
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
var seconds = (ms) => `${(ms / 1e3).toFixed(1)} s`;
var plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
var etcdFigures = (manifest) => `revision ${manifest.etcd.revision}, ${manifest.etcd.keys === void 0 ? "keys not counted" : plural(manifest.etcd.keys, "key")}, snapshot ${formatBytes(manifest.etcd.bytes)} (sha256 ${manifest.etcd.sha256.slice(0, 12)}\u2026)`;
var bucketFigures = (manifest) => `${manifest.bucket.name} as of ${manifest.cut}: ${plural(manifest.bucket.objects, "object")}, ${formatBytes(manifest.bucket.bytes)}`;
function backupReportLines(report) {
  const lines = [];
  const manifest = report.manifest;
  if (manifest) {
    lines.push(`recovery point ${manifest.id} (${manifest.reason}) of ${manifest.environment}`);
    lines.push(`  etcd    ${etcdFigures(manifest)}, from ${manifest.etcd.endpoint} in ${seconds(report.timings.snapshotMs)}`);
    lines.push(`  bucket  ${bucketFigures(manifest)}; window ${plural(manifest.bucket.windowDays, "day")}; listed in ${seconds(report.timings.cutMs)}`);
    for (const [index, store] of report.stores.entries()) {
      const what = store.error ? `FAILED: ${store.error}` : `written${store.pruned.length > 0 ? `; pruned ${store.pruned.join(", ")}` : ""}`;
      lines.push(`  ${index === 0 ? "stored " : "       "} ${store.where}: ${what}`);
    }
    for (const note of report.notes) lines.push(`  note    ${note}`);
    lines.push(`  total   ${seconds(report.timings.totalMs)}`);
    lines.push(manifest.id);
  }
  return lines;
}
function pointRows(points, now) {
  return points.map((point) => ({
    point,
    bucketRestorable: point.manifest !== void 0 && now.getTime() - new Date(point.manifest.cut).getTime() <= point.manifest.bucket.windowDays * 864e5
  }));
}
var shortTime = (iso) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
var POINT_COLUMNS = [
  { title: "point", text: (row) => row.point.id },
  { title: "reason", text: (row) => row.point.manifest?.reason ?? "?" },
  { title: "cut", text: (row) => row.point.manifest ? shortTime(row.point.manifest.cut) : "?" },
  { title: "etcd rev", text: (row) => String(row.point.manifest?.etcd.revision ?? "?") },
  { title: "keys", text: (row) => String(row.point.manifest?.etcd.keys ?? "?") },
  { title: "snapshot", text: (row) => row.point.manifest ? formatBytes(row.point.manifest.etcd.bytes) : "?" },
  { title: "objects", text: (row) => String(row.point.manifest?.bucket.objects ?? "?") },
  { title: "bytes", text: (row) => row.point.manifest ? formatBytes(row.point.manifest.bucket.bytes) : "?" },
  { title: "restores", text: (row) => restoresText(row) },
  { title: "where", text: (row) => row.point.where.map((where) => where.split(" ")[0]).join(", ") }
];
function restoresText(row) {
  const { point } = row;
  if (point.trust === "refused" || !point.manifest) return `nothing: ${[point.reason, ...point.problems].filter(Boolean).join("; ")}`;
  const what = row.bucketRestorable ? "etcd + bucket" : `etcd only (older than its ${point.manifest.bucket.windowDays}-day window)`;
  return point.trust === "authentic" ? what : `${what}, only by id with --allow-unsigned: ${point.reason}`;
}
var pointListText = (rows) => textTable(POINT_COLUMNS, rows);
function restoreReportLines(report, environment) {
  const lines = [];
  const point = report.point;
  if (point) lines.push(`recovery point ${point.id} (${point.reason}), cut ${point.cut}${report.from ? `, from ${report.from}` : ""}`);
  if (report.undoPoint) lines.push(`  undo    point ${report.undoPoint.id} holds the state before this restore: ${etcdFigures(report.undoPoint)}; ${bucketFigures(report.undoPoint)}`);
  if (report.etcd) {
    const before = report.etcd.before ? `revision ${report.etcd.before.revision}${report.etcd.before.keys === void 0 ? "" : `, ${plural(report.etcd.before.keys, "key")}`} \u2192 ` : "";
    lines.push(`  etcd    ${before}revision ${report.etcd.revision}${report.etcd.keys === void 0 ? "" : `, ${plural(report.etcd.keys, "key")}`}; restored into ${report.etcd.into}, cluster token ${report.etcd.clusterToken}`);
  }
  if (report.bucket) {
    const { copied, hidden, unchanged, failed } = report.bucket;
    lines.push(
      `  bucket  ${plural(copied.objects, "object")} (${formatBytes(copied.bytes)}) brought back to their version at the cut, ${plural(hidden.objects, "object")} (${formatBytes(hidden.bytes)}) written after it hidden under delete markers, ${unchanged} unchanged${failed.length > 0 ? `; ${failed.length} FAILED (e.g. ${failed[0].key}: ${failed[0].reason})` : ""}`
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

export {
  formatBytes,
  etcdFigures,
  bucketFigures,
  backupReportLines,
  pointRows,
  pointListText,
  restoreReportLines
};
