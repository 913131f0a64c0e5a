// The deploy report: one row per service of the stack, from swarm's own state (converge.ts's ServiceState), as a
// table on stdout and in the job summary, and the verdict and phase timings both print.
import type { ClusterModel, Placement } from '../model/types.ts';
import { swarmConstraints } from '../render/swarmPlacement.ts';
import { markdownTable, textTable, type Column } from '../render/table.ts';
import type { ServiceState } from './operations/convergence.ts';
import type { DeployReport } from './deploy.ts';
import { describeService, isConverged } from './operations/convergence.ts';

export interface ReportRow {
  service: string;
  image: string;
  replicas: string;
  placement: string;
  state: string;
}

/** One key for a list of constraints, whatever order swarm returns them in. */
const constraintsKey = (constraints: readonly string[]) => [...constraints].sort().join(' && ');

function placementWords(placement: Placement): string | undefined {
  switch (placement.kind) {
    case 'host':
      return `host ${placement.host}`;
    case 'managers':
      return 'managers';
    case 'any':
      return undefined; // no constraints: the report says `any node`
  }
}

/**
 * The model's placements in the operator's words, keyed by the constraints the stack file gives them: a running
 * service whose constraints are exactly those reads `host gp22aitppapcsve` or `managers` in the report.
 */
export function placementNames(model: ClusterModel): Map<string, string> {
  const names = new Map<string, string>();
  for (const service of model.services) {
    const words = placementWords(service.placement);
    if (words !== undefined) names.set(constraintsKey(swarmConstraints(service.placement)), words);
  }
  return names;
}

/** Placement in the operator's words (placementNames) when the running constraints are the model's, else the constraints. */
export function reportRows(services: readonly ServiceState[], placements: ReadonlyMap<string, string> = new Map()): ReportRow[] {
  return services.map((service) => ({
    service: service.name,
    image: service.image,
    replicas: service.mode === 'job' ? 'job' : `${service.running}/${service.desired}`,
    placement:
      service.constraints.length === 0
        ? 'any node'
        : (placements.get(constraintsKey(service.constraints)) ?? service.constraints.map((constraint) => constraint.replace(/\s*==\s*/g, '==')).join(', ')),
    state: isConverged(service) ? 'converged' : describeService(service).replace(`${service.name} `, ''),
  }));
}

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
