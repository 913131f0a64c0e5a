// The proxies' network namespace. A proxy keeps long-lived connections to its backends (the etcd gRPC proxy one per
// member, nginx a keepalive pool per MinIO node). When a backend's host is cut off, packets to it vanish without a
// reset, and Linux retransmits an unacknowledged segment for about 15 minutes (tcp_retries2 = 15) before it gives
// the connection up; etcd 3.5.5's grpc-proxy has no client keepalive (--dial-keepalive-time came later), so every
// request it routes to that member hangs until then, and it still did 3 minutes after the partition healed (seen
// on the staging swarm: the member came back at a new address, the proxy kept the dead connection). With 5 retries a
// dead connection fails after about 13 s (RTO 0.2 s doubling), the client redials by name, and round robin skips
// the member until it answers again. The setting is per network namespace: the proxy's container only.
export const PROXY_SYSCTLS: Record<string, string> = { 'net.ipv4.tcp_retries2': '5' };

/**
 * The MinIO nodes' network namespace. A write reaches every node of its erasure set, and MinIO 2023-03 dials a peer with
 * a fixed 10 s timeout (internal/rest DefaultTimeout, not configurable) to the address its DNS cache still holds: with
 * a peer's host down, nothing answers the SYN, and the first writes after it stopped waited that long (15 s measured
 * through nginx on staging). One SYN retransmission gives a dead peer up after 3 s (SYN at 0 s, again at 1 s, given up
 * at 3 s); a live one on a LAN answers the first. And an established connection to a host that died fails after about
 * 13 s of unacknowledged retransmissions, as the proxies' do, instead of 15 minutes. Per network namespace: the
 * node's container only.
 */
export const MINIO_NODE_SYSCTLS: Record<string, string> = { 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5' };
