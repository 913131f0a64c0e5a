// Reading a Placement without knowing every kind: most readers only ask "pinned to which host?".
import type { Placement } from './types.ts';

/** The topology's host a service is pinned to, or undefined when it may run on more than one node. */
export function pinnedHost(placement: Placement): string | undefined {
  return placement.kind === 'host' ? placement.host : undefined;
}
