// The deploy report: one row per service of the stack, from swarm's own state (converge.ts's ServiceState), as a
// table on stdout and in the job summary.
import { table } from '../render/markdown.ts';
import type { ServiceState } from './converge.ts';
import { describeService, isConverged } from './converge.ts';

export interface ReportRow {
  service: string;
  image: string;
  replicas: string;
  placement: string;
  state: string;
}

/** Placement in the operator's words: the pinned host (from the topology) when known, else the constraints. */
export function reportRows(services: readonly ServiceState[], hostOfConstraint: ReadonlyMap<string, string> = new Map()): ReportRow[] {
  return services.map((service) => ({
    service: service.name,
    image: service.image,
    replicas: service.mode === 'job' ? 'job' : `${service.running}/${service.desired}`,
    placement:
      service.constraints.length === 0
        ? 'any node'
        : service.constraints.map((constraint) => hostOfConstraint.get(constraint) ?? constraint.replace(/\s*==\s*/g, '==')).join(', '),
    state: isConverged(service) ? 'converged' : describeService(service).replace(`${service.name} `, ''),
  }));
}

const HEADER = ['SERVICE', 'IMAGE', 'REPLICAS', 'PLACEMENT', 'STATE'];
const cells = (row: ReportRow) => [row.service, row.image, row.replicas, row.placement, row.state];

export function formatReportText(rows: readonly ReportRow[]): string {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines.map((line) => line.map((cell, column) => (column < line.length - 1 ? cell.padEnd(widths[column]!) : cell)).join('  ')).join('\n');
}

export function formatReportMarkdown(rows: readonly ReportRow[]): string {
  return table(
    HEADER.map((title) => title.toLowerCase()),
    rows.map(cells),
  );
}
