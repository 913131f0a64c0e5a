// Healthchecks that never wait on a peer. Swarm publishes a task's DNS name only once it is healthy, so a check
// that needs quorum (etcdctl endpoint health/status) keeps the members from finding each other: a deadlock.
import type { Healthcheck } from './types.ts';

const healthcheck = (probe: readonly string[], url: string, startPeriodSeconds: number): Healthcheck => ({
  test: ['CMD', ...probe, url],
  intervalSeconds: 5,
  timeoutSeconds: 4,
  retries: 6,
  startPeriodSeconds,
});

/**
 * etcd serves its client port only after the member has joined a quorum (embed's serve() waits on ReadyNotify),
 * but the peer port's /version answers as soon as the process runs: {"etcdserver":"3.5.5","etcdcluster":"not_decided"}.
 */
export const etcdMemberHealthcheck = (probe: readonly string[], peerPort: number) =>
  healthcheck(probe, `http://127.0.0.1:${peerPort}/version`, 30);

/** The gRPC proxy's /health asks the members through the proxy's client: healthy means it can serve. */
export const etcdProxyHealthcheck = (probe: readonly string[], listenPort: number) =>
  healthcheck(probe, `http://127.0.0.1:${listenPort}/health`, 60);

/** MinIO's liveness answers 200 while the node is still waiting for its peers, so it cannot deadlock the pool. */
export const minioNodeHealthcheck = (probe: readonly string[], apiPort: number) =>
  healthcheck(probe, `http://127.0.0.1:${apiPort}/minio/health/live`, 30);

/** nginx answers this itself (conf/nginx): healthy means nginx runs, not that MinIO is up (verify checks that). */
export const NGINX_HEALTH_PATH = '/.nginx/health';
export const minioProxyHealthcheck = (probe: readonly string[], s3Port: number) =>
  healthcheck(probe, `http://127.0.0.1:${s3Port}${NGINX_HEALTH_PATH}`, 30);
