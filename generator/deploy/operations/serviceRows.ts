// The stack's services as the report shows them: one row per service from swarm's own state (convergence.ts's
// ServiceState), its placement in the operator's words when it is the model's.
import type { ClusterModel, Placement } from '../../model/types.ts';
import { swarmConstraints } from '../../render/swarmPlacement.ts';
import { describeService, isConverged, type ServiceState } from './convergence.ts';

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
      service.mode === 'global' && service.constraints.length === 0
        ? 'every node'
        : service.constraints.length === 0
        ? 'any node'
        : (placements.get(constraintsKey(service.constraints)) ?? service.constraints.map((constraint) => constraint.replace(/\s*==\s*/g, '==')).join(', ')),
    state: isConverged(service) ? 'converged' : describeService(service).replace(`${service.name} `, ''),
  }));
}
