// The proxies' network namespace. A proxy keeps long-lived connections to its backends (the etcd gRPC proxy one per
// member, nginx a keepalive pool per MinIO node). When a backend's host is cut off, packets to it vanish without a
// reset, and Linux retransmits an unacknowledged segment for about 15 minutes (tcp_retries2 = 15) before it gives
// the connection up; etcd 3.5.5's grpc-proxy has no client keepalive (--dial-keepalive-time came later), so every
// request it routes to that member hangs until then, and it still did 3 minutes after the partition healed (seen
// on the staging swarm: the member came back at a new address, the proxy kept the dead connection). With 5 retries a
// dead connection fails after about 13 s (RTO 0.2 s doubling), the client redials by name, and round robin skips
// the member until it answers again. The setting is per network namespace: the proxy's container only.
export const PROXY_SYSCTLS: Record<string, string> = { 'net.ipv4.tcp_retries2': '5' };
