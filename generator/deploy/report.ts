// The deploy report as a person reads it: the service rows (operations/serviceRows.ts) as a table on stdout and in the
// job summary, the verdict, where a deploy stopped and the phase timings.
import { markdownTable, textTable, type Column } from '../render/table.ts';
import type { ReportRow } from './operations/serviceRows.ts';
import type { DeployReport } from './runner/contract.ts';

const REPORT_COLUMNS: readonly Column<ReportRow>[] = [
  { title: 'service', text: (row) => row.service },
  { title: 'image', text: (row) => row.image },
  { title: 'replicas', text: (row) => row.replicas },
  { title: 'placement', text: (row) => row.placement },
  { title: 'state', text: (row) => row.state },
];

/** The report on stdout or in a job log. */
export const formatReportText = (rows: readonly ReportRow[]): string => textTable(REPORT_COLUMNS, rows);

/** The same rows for a GitHub job summary. */
export const formatReportMarkdown = (rows: readonly ReportRow[]): string => markdownTable(REPORT_COLUMNS, rows);

/** `deploy local: converged`, or where it stopped: the CLI's last line and the job summary's heading begin so. */
export const deployVerdict = (report: DeployReport): string => `deploy ${report.environment}: ${report.ok ? 'converged' : `failed in ${report.phase}`}`;

/** Where a deploy that changed the cluster stopped, and the commands that go on or back: printed after the problems. */
export function formatStopPoint(report: DeployReport): string[] {
  const stop = report.stopped;
  if (!stop) return [];
  const where = stop.step ? `${stop.phase}, step ${stop.step.number} of ${stop.step.of} (${stop.step.id})` : stop.phase;
  return [`stopped in ${where}: ${stop.state}`, `to resume once the cause is fixed: ${stop.resume}`, ...(stop.revert ? [`to revert it: ${stop.revert}`] : [])];
}

/** How long each phase took: `preflight 0.4 s, prepare 2.1 s, deploy 3.0 s, converge 25.2 s`. */
export function phaseTimings(report: DeployReport): string {
  return report.timings
    .filter((timing) => timing.phase !== 'topology')
    .map((timing) => `${timing.phase} ${(timing.ms / 1000).toFixed(1)} s`)
    .join(', ');
}

/**
 * The phases that took longest, slowest first (`slowest phases: rollingMembers 26.4 s, converge 8.1 s`): where a
 * stage's time went, the line an operator reads when a deploy took longer than it used to. Phases under half a
 * second are left out; empty when none is slower.
 */
export function slowestPhases(report: DeployReport, count = 5): string {
  const slow = report.phaseTimes
    .filter((time) => time.ms >= 500)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
  return slow.length === 0 ? '' : `slowest phases: ${slow.map((time) => `${time.name} ${(time.ms / 1000).toFixed(1)} s`).join(', ')}`;
}

/** `failure budget before: etcd: …`, then after: the lines the CLI prints and the job summary lists. */
export function failureBudgetLines(report: DeployReport): string[] {
  const budget = report.failureBudget;
  if (!budget) return [];
  return [...(budget.before ? [`failure budget before: ${budget.before}`] : []), ...(budget.after ? [`failure budget after: ${budget.after}`] : [])];
}
