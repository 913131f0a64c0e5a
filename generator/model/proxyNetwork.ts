import type { Topology } from '../topology/schema.ts';

/**
 * With endpoint_mode dnsrr, the stack network's interface gives a departed peer up in about 0.4 s instead of 3. When a
 * host's engine stops, swarm's overlay drops its tasks' entries at once, and a connection to one of their addresses
 * then waits for address resolution, which fails after 3 probes 1 s apart, or, where the address was still cached as
 * reachable, for the SYN to time out: about 3 s either way (3.06 s measured with curl from a MinIO node's container on
 * staging). A MinIO write pays that once per kind of call to the departed node, one after the other (the bucket check,
 * each drive's disk info, the lock): the first write through nginx after a MinIO host stopped took 9.2 and 11.2 s.
 * Here 2 probes go 200 ms apart, and a cached entry turns stale after about a second and is probed at once when used.
 * Inside the overlay, this host's own overlay answers resolution from swarm's table (proxy ARP), so a peer that
 * exists answers the first probe; the second is margin. Measured the same way (staging, three writes after the stop):
 * with 1 probe the first write took 0.8–1.9 s, with 2 probes 0.01 and 1.2 s (the slowest of three 2.7 and 1.2 s), with
 * 3 probes 3.5 and 2.5 s: each probe adds 0.2 s to every call that meets the departed node.
 *
 * Only with dnsrr, where staging measured it: with vip, peers and nginx connect to the service's virtual IP, a path
 * this kernel (no IPVS) cannot run. dnsrr goes with host-mode ports (the topology's rules), so no task has the
 * ingress network, and eth0 is the stack network in every task container (the gateway bridge is eth1).
 */
const NEIGHBOUR_SYSCTLS: Record<string, string> = {
  'net.ipv4.neigh.eth0.mcast_solicit': '2',
  'net.ipv4.neigh.eth0.retrans_time_ms': '200',
  'net.ipv4.neigh.eth0.base_reachable_time_ms': '1000',
  'net.ipv4.neigh.eth0.delay_first_probe_time': '0',
};

type Swarm = Pick<Topology['swarm'], 'endpointMode'>;
const neighbour = (swarm: Swarm) => (swarm.endpointMode === 'dnsrr' ? NEIGHBOUR_SYSCTLS : {});

// The proxies' network namespace. A proxy keeps long-lived connections to its backends (the etcd gRPC proxy one per
// member, nginx a keepalive pool per MinIO node). When a backend's host is cut off, packets to it vanish without a
// reset, and Linux retransmits an unacknowledged segment for about 15 minutes (tcp_retries2 = 15) before it gives
// the connection up; etcd 3.5.5's grpc-proxy has no client keepalive (--dial-keepalive-time came later), so every
// request it routes to that member hangs until then, and it still did 3 minutes after the partition healed (seen
// on the staging swarm: the member came back at a new address, the proxy kept the dead connection). With 5 retries a
// dead connection fails after about 13 s (RTO 0.2 s doubling), the client redials by name, and round robin skips
// the member until it answers again. The setting is per network namespace: the proxy's container only.
export const proxySysctls = (swarm: Swarm): Record<string, string> => ({ 'net.ipv4.tcp_retries2': '5', ...neighbour(swarm) });

/**
 * The MinIO nodes' network namespace. A write reaches every node of its erasure set, and MinIO 2023-03 dials a peer with
 * a fixed 10 s timeout (internal/rest DefaultTimeout, not configurable) to the address its DNS cache still holds: with
 * a peer's host down, nothing answers the SYN, and the first writes after it stopped waited that long (15 s measured
 * through nginx on staging). One SYN retransmission gives a dead peer up after 3 s (SYN at 0 s, again at 1 s, given up
 * at 3 s); a live one on a LAN answers the first. And an established connection to a host that died fails after about
 * 13 s of unacknowledged retransmissions, as the proxies' do, instead of 15 minutes. Per network namespace: the
 * node's container only.
 */
export const minioNodeSysctls = (swarm: Swarm): Record<string, string> => ({ 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5', ...neighbour(swarm) });
