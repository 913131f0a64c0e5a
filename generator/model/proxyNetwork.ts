/**
 * The stack network's interface (eth0: a task's first network; the gateway bridge is eth1) gives a departed peer up in
 * 0.2 s, not 3. When a host's engine stops, swarm's overlay drops its tasks' entries at once, and a connection to
 * one of their addresses then waits for address resolution, which fails after 3 probes 1 s apart ("No route to
 * host" after 3.06 s) — or, where the peer's address was still cached as reachable (up to 45 s after the last
 * traffic), the SYN goes nowhere and the connect times out after 3 s. A MinIO write pays that once per kind of call
 * to the departed node, one after the other (bucket check, each drive's disk info, the lock): the first write after
 * a MinIO host stopped took 9.2 and 11.2 s on staging. With one resolution probe 200 ms apart, entries that turn stale
 * after about a second and are probed at once when used, it took 1.9, 1.0 and 0.8 s (the slowest of the next two:
 * 2.9, 1.8 and 2.9 s). Resolution inside the overlay is answered by this host's own overlay (proxy ARP from swarm's
 * table), never a peer, so one probe and 200 ms lose nothing while the peer exists.
 */
const NEIGHBOUR_SYSCTLS: Record<string, string> = {
  'net.ipv4.neigh.eth0.mcast_solicit': '1',
  'net.ipv4.neigh.eth0.retrans_time_ms': '200',
  'net.ipv4.neigh.eth0.base_reachable_time_ms': '1000',
  'net.ipv4.neigh.eth0.delay_first_probe_time': '0',
};

// The proxies' network namespace. A proxy keeps long-lived connections to its backends (the etcd gRPC proxy one per
// member, nginx a keepalive pool per MinIO node). When a backend's host is cut off, packets to it vanish without a
// reset, and Linux retransmits an unacknowledged segment for about 15 minutes (tcp_retries2 = 15) before it gives
// the connection up; etcd 3.5.5's grpc-proxy has no client keepalive (--dial-keepalive-time came later), so every
// request it routes to that member hangs until then, and it still did 3 minutes after the partition healed (seen
// on the staging swarm: the member came back at a new address, the proxy kept the dead connection). With 5 retries a
// dead connection fails after about 13 s (RTO 0.2 s doubling), the client redials by name, and round robin skips
// the member until it answers again. The setting is per network namespace: the proxy's container only.
export const PROXY_SYSCTLS: Record<string, string> = { 'net.ipv4.tcp_retries2': '5', ...NEIGHBOUR_SYSCTLS };

/**
 * The MinIO nodes' network namespace. A write reaches every node of its erasure set, and MinIO 2023-03 dials a peer with
 * a fixed 10 s timeout (internal/rest DefaultTimeout, not configurable) to the address its DNS cache still holds: with
 * a peer's host down, nothing answers the SYN, and the first writes after it stopped waited that long (15 s measured
 * through nginx on staging). One SYN retransmission gives a dead peer up after 3 s (SYN at 0 s, again at 1 s, given up
 * at 3 s); a live one on a LAN answers the first. And an established connection to a host that died fails after about
 * 13 s of unacknowledged retransmissions, as the proxies' do, instead of 15 minutes. Per network namespace: the
 * node's container only.
 */
export const MINIO_NODE_SYSCTLS: Record<string, string> = { 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5', ...NEIGHBOUR_SYSCTLS };
