// Converged (every task running and healthy) is not ready: MinIO's liveness answers while the pool still waits for
// its peers, and the etcd proxy is healthy before it can reach a leader. The suite starts once the stack answers the
// way the checks need: the etcd proxy reports health, and every MinIO node (not just the one nginx happens to pick)
// answers /minio/health/cluster with 200. A node answers 503 there until it has initialised (cmd/healthcheck-handler.go);
// a bucket policy set while a peer still initialises is missed by that peer (anonymous reads got 403 on a fresh pool).
import { docker, type DockerResult } from '../../../generator/docker/cli.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import type { DockerRunner } from '../../../generator/docker/runner.ts';
import { endpointsFromModel, formatHostPort } from '../../../generator/cluster/endpoints.ts';
import { locateProxies } from '../../../generator/cluster/proxyLocations.ts';

export interface Endpoints {
  s3: string;
  console: string;
  etcdProxy: string;
}

/** The stack's published ports on this machine (host-mode ports: the one node runs every proxy task). */
export const localEndpoints = (model: ClusterModel): Endpoints => ({
  s3: `http://127.0.0.1:${model.minio.proxy.s3Port}`,
  console: `http://127.0.0.1:${model.minio.proxy.consolePort}`,
  etcdProxy: `127.0.0.1:${model.etcd.proxy.publishedPort}`,
});

interface Probe {
  name: string;
  /** Where it looks, for the error message. */
  url: string;
  /** undefined when ready, else what it saw. */
  check: () => Promise<string | undefined>;
}

const httpProbe = (name: string, url: string, ok: (status: number, body: string) => boolean): Probe => ({
  name,
  url,
  async check() {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    const body = await response.text();
    return ok(response.status, body) ? undefined : `HTTP ${response.status} ${body.slice(0, 80)}`;
  },
});

type NodeDocker = (args: readonly string[], timeoutMs: number) => Promise<DockerResult>;

/** How to reach the stack: which engine runs a service's container (its host's, on the staging swarm). */
export interface ReadinessTarget {
  /** A manager's docker, to ask where the proxies run. */
  runner: DockerRunner;
  dockerForService: (service: string) => NodeDocker;
}

const LOCAL_TARGET: ReadinessTarget = {
  runner: (args, options = {}) => docker(args, options),
  dockerForService: () => (args, timeoutMs) => docker(args, { timeoutMs }),
};

/** The node's own view, from inside its container (the nodes publish no port): the image's curl exits 0 on a 200. */
const minioNodeProbe = (model: ClusterModel, node: string, on: NodeDocker): Probe => ({
  name: `minio node ${node}`,
  url: `http://127.0.0.1:${model.minio.apiPort}/minio/health/cluster in ${model.stack}_${node}`,
  async check() {
    const ids = await on(['container', 'ls', '--quiet', '--filter', `label=com.docker.swarm.service.name=${model.stack}_${node}`], 10_000);
    const id = ids.stdout.split('\n').find((line) => line.trim() !== '');
    if (!id) return ids.code === 0 ? 'no running container' : ids.stderr.trim();
    const result = await on(['exec', id, 'curl', '-fsS', '-o', '/dev/null', '--max-time', '3', `http://127.0.0.1:${model.minio.apiPort}/minio/health/cluster`], 10_000);
    return result.code === 0 ? undefined : (result.stderr.trim() || `exit ${result.code}`);
  },
});

/** The published endpoints: 127.0.0.1 on a one-node swarm, else the nodes that run the proxies (host-mode ports). */
export async function stackEndpoints(model: ClusterModel, runner: DockerRunner): Promise<Endpoints> {
  if (model.managers.length === 0) return localEndpoints(model);
  const { endpoints } = await locateProxies(runner, model, endpointsFromModel(model), [], 10_000);
  return { s3: `http://${formatHostPort(endpoints.s3)}`, console: `http://${formatHostPort(endpoints.console)}`, etcdProxy: formatHostPort(endpoints.etcd) };
}

export async function waitUntilReady(model: ClusterModel, timeoutMs: number, target: ReadinessTarget = LOCAL_TARGET): Promise<{ ms: number; probes: string[] }> {
  const endpoints = await stackEndpoints(model, target.runner);
  const probes: Probe[] = [
    // 200 only with write quorum (503 otherwise), from whichever node nginx picks: the path clients take.
    httpProbe('minio cluster (through nginx)', `${endpoints.s3}/minio/health/cluster`, (status) => status === 200),
    ...model.minio.pools.flatMap((pool) => pool.nodes.map((node) => minioNodeProbe(model, node.name, target.dockerForService(node.name)))),
    // The gRPC proxy serves /health on its port; "true" once a member answered through it.
    httpProbe('etcd proxy', `http://${endpoints.etcdProxy}/health`, (status, body) => status === 200 && /"health":\s*"true"/.test(body)),
  ];
  const started = Date.now();
  const last = new Map<string, string>();
  const pending = new Set(probes);
  while (pending.size > 0) {
    for (const probe of [...pending]) {
      try {
        const seen = await probe.check();
        if (seen === undefined) pending.delete(probe);
        else last.set(probe.name, seen);
      } catch (error) {
        last.set(probe.name, error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error));
      }
    }
    if (pending.size === 0) break;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`not ready after ${Math.round(timeoutMs / 1000)} s: ${[...pending].map((probe) => `${probe.name} (${probe.url}): ${last.get(probe.name)}`).join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return { ms: Date.now() - started, probes: probes.map((probe) => probe.name) };
}
