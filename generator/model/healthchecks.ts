// Healthchecks from the topology's probe settings, one per service kind. Two constraints shape them:
// - never wait on a peer: swarm publishes a task's DNS name only once it is healthy, so a check that needs quorum
//   (etcdctl endpoint health on a member) keeps the members from finding each other — a deadlock (rules forbid it);
// - only what the image ships: the upstream etcd image is distroless, MinIO's newer images have no curl.
import type { HealthcheckSetting } from '../topology/schema.ts';
import type { Healthcheck } from './types.ts';

/** What a service offers a probe: its health URL (for `http`) and its own etcd endpoint (for `etcdctl`). */
export interface ProbeTarget {
  url: string;
  etcdEndpoint?: string;
  startPeriodSeconds: number;
}

/** undefined: no healthcheck (the stack file disables any the image may define). */
export function healthcheckFor(setting: HealthcheckSetting, target: ProbeTarget): Healthcheck | undefined {
  const check = (test: string[]): Healthcheck => ({ test: ['CMD', ...test], intervalSeconds: 5, timeoutSeconds: 4, retries: 6, startPeriodSeconds: target.startPeriodSeconds });
  switch (setting.probe) {
    case 'none':
      return undefined;
    case 'etcdctl':
      // Its own timeouts inside the check's 4 s, so a hung dial says so instead of being killed.
      return check(['etcdctl', `--endpoints=${target.etcdEndpoint ?? '127.0.0.1:2379'}`, '--dial-timeout=2s', '--command-timeout=3s', 'endpoint', 'health']);
    case 'http':
      return check([...(setting.command ?? []), target.url]);
    case 'exec':
      return check([...(setting.command ?? [])]);
  }
}

/**
 * etcd serves its client port only after the member has joined a quorum (embed's serve() waits on ReadyNotify), but
 * the peer port's /version answers as soon as the process runs ({"etcdserver":"3.5.5","etcdcluster":"not_decided"}):
 * an `http` probe for members must use it.
 */
export const etcdMemberProbe = (peerPort: number, clientPort: number): ProbeTarget => ({
  url: `http://127.0.0.1:${peerPort}/version`,
  etcdEndpoint: `127.0.0.1:${clientPort}`,
  startPeriodSeconds: 30,
});

/** The gRPC proxy's /health (and `endpoint health` through it) asks a member: healthy means it can serve. */
export const etcdProxyProbe = (listenPort: number): ProbeTarget => ({
  url: `http://127.0.0.1:${listenPort}/health`,
  etcdEndpoint: `127.0.0.1:${listenPort}`,
  startPeriodSeconds: 60,
});

/** MinIO's liveness answers 200 while the node is still waiting for its peers, so it cannot deadlock the pool. */
export const minioNodeProbe = (apiPort: number): ProbeTarget => ({ url: `http://127.0.0.1:${apiPort}/minio/health/live`, startPeriodSeconds: 30 });

/** nginx answers this itself (conf/nginx): healthy means nginx runs, not that MinIO is up (verify checks that). */
export const NGINX_HEALTH_PATH = '/.nginx/health';
export const minioProxyProbe = (s3Port: number): ProbeTarget => ({ url: `http://127.0.0.1:${s3Port}${NGINX_HEALTH_PATH}`, startPeriodSeconds: 30 });
