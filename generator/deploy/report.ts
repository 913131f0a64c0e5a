// The deploy report: one row per service of the stack, from swarm's own state (converge.ts's ServiceState), as a
// table on stdout and in the job summary.
import type { ClusterModel, Placement } from '../model/types.ts';
import { table } from '../render/markdown.ts';
import { swarmConstraints } from '../render/swarmPlacement.ts';
import type { ServiceState } from './converge.ts';
import { describeService, isConverged } from './converge.ts';

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
