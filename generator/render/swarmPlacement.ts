// The one place a Placement becomes swarm constraints: the stack file, deploy's host-preparation jobs and the
// README's placement column all say it this way, so what deploy pins a job to is what the stack pins the service to.
import type { Placement } from '../model/types.ts';

export function swarmConstraints(placement: Placement): string[] {
  switch (placement.kind) {
    case 'host':
      // Labels first (the runbook places by them, and deploy puts them on the node); a node id survives a hostname
      // change; a hostname is all we have when the topology names neither.
      if (placement.labels && Object.keys(placement.labels).length > 0) {
        return Object.entries(placement.labels)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => `node.labels.${key} == ${value}`);
      }
      return [placement.nodeId ? `node.id == ${placement.nodeId}` : `node.hostname == ${placement.host}`];
    case 'managers':
      return ['node.role == manager'];
    case 'any':
      return [];
  }
}
