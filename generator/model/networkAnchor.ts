// One idle task on every node, attached to the stack's overlay network, so that no node ever leaves it.
//
// A node takes part in an overlay network's gossip (swarm's NetworkDB: who runs where, and the DNS names) only while a
// task on it is attached. A MinIO host or an etcd host runs one task of the stack. When that task restarts, stop-first,
// the node leaves the network and joins it again, and the names of tasks that started meanwhile on other nodes reach
// it only with the next bulk sync, up to 30 s later. When every MinIO node restarts together (a pool added, an image
// bumped), every node left and rejoined. Measured on staging, four nodes restarted at once, until MinIO was
// initialised everywhere: 40 s before; 80 s with MinIO's own wait for its peers' names (minioPeerWait.ts) alone; 36 s
// with this anchor alone; 10 s with both (9.9, 10.0 and 11.1 s). The same rejoin is why a one-off `docker run
// --network` on a node was refused for about a second after the node's last task stopped (cluster/stackNetworkRun.ts).
//
// The helper image's `sleep`: nothing listens, nothing is mounted, and SIGTERM ends it at once (sh as PID 1 ignores
// the signal unless it traps it).
import { NETWORK_ANCHOR } from '../topology/reservedNames.ts';
import type { Service } from './types.ts';

export function networkAnchorService(helperImage: string): Service {
  return {
    name: NETWORK_ANCHOR,
    role: 'network-anchor',
    image: helperImage,
    entrypoint: ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'],
    command: [],
    environment: {},
    mounts: [],
    secrets: [],
    configs: [],
    ports: [],
    placement: { kind: 'any' },
    replicas: 1,
    everyNode: true,
    stateful: false,
  };
}
