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
  /**
   * Between two probes (default 5 s). Docker runs the first probe one interval after the start, and swarm publishes
   * the task's name only after a probe passed: the interval is part of every restart's pause where peers or the load
   * balancer wait for that name.
   */
  intervalSeconds?: number;
}

/** How long a service may fail its probes before it counts as unhealthy, whatever its interval. */
const UNHEALTHY_AFTER_SECONDS = 30;

/** undefined: no healthcheck (the stack file disables any the image may define). */
export function healthcheckFor(setting: HealthcheckSetting, target: ProbeTarget): Healthcheck | undefined {
  const intervalSeconds = target.intervalSeconds ?? 5;
  const check = (test: string[]): Healthcheck => ({
    test: ['CMD', ...test],
    intervalSeconds,
    timeoutSeconds: 4,
    retries: Math.ceil(UNHEALTHY_AFTER_SECONDS / intervalSeconds),
    startPeriodSeconds: target.startPeriodSeconds,
  });
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

/**
 * MinIO's liveness answers 200 while the node is still waiting for its peers, so it cannot deadlock the pool. Every
 * 2 s: a node restarted with the others (a pool added, an image bumped) is in DNS for its peers and nginx 2 s after it
 * starts instead of 5 (a curl every 2 s costs the node nothing it would notice).
 */
export const minioNodeProbe = (apiPort: number): ProbeTarget => ({ url: `http://127.0.0.1:${apiPort}/minio/health/live`, startPeriodSeconds: 30, intervalSeconds: 2 });

/** nginx answers this itself (conf/nginx): healthy means nginx runs, not that MinIO is up (verify checks that). */
export const NGINX_HEALTH_PATH = '/.nginx/health';
/**
 * How long the load balancer's entrypoint (model/minio.ts) waits, in all, for the MinIO nodes' names before nginx
 * starts anyway (and names what it missed). 40 s was not enough once: in a CI run at load 13–19 the pool drill's new
 * proxy task exited 1 about 40 s after it started, right after the nodes restarted, and swarm rolled the update back;
 * the same step passed in the run before.
 */
export const UPSTREAM_WAIT_SECONDS = 90;

/**
 * Every 2 s: a restarted nginx counts as running (and its update moves on) 2 s after it listens instead of 5. Its
 * start period covers the entrypoint's wait: until nginx runs the task is starting, not failed.
 */
export const minioProxyProbe = (s3Port: number): ProbeTarget => ({ url: `http://127.0.0.1:${s3Port}${NGINX_HEALTH_PATH}`, startPeriodSeconds: UPSTREAM_WAIT_SECONDS + 10, intervalSeconds: 2 });
