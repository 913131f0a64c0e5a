// Placements in the topology's terms, and reading them without knowing every kind (most readers only ask "pinned
// to which host?"). The swarm words for them are render/swarmPlacement.ts's job.
import type { Host, PlacementTarget } from '../topology/schema.ts';
import type { Placement } from './types.ts';

/** A stateful service goes where its data is: the host the topology names, with what identifies its node. */
export function pinnedPlacement(hosts: readonly Host[]): (host: string | undefined) => Placement {
  const byName = new Map(hosts.map((host) => [host.name, host]));
  return (name) => {
    if (name === undefined) return { kind: 'any' };
    const host = byName.get(name);
    return {
      kind: 'host',
      host: name,
      ...(host?.nodeId ? { nodeId: host.nodeId } : {}),
      ...(host && Object.keys(host.labels).length > 0 ? { labels: host.labels } : {}),
    };
  };
}

/** A stateless proxy's replicas spread over the managers or any node. */
export const spreadPlacement = (target: PlacementTarget): Placement => ({ kind: target });

/** The topology's host a service is pinned to, or undefined when it may run on more than one node. */
export function pinnedHost(placement: Placement): string | undefined {
  return placement.kind === 'host' ? placement.host : undefined;
}
