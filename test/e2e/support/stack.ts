// What the drills do to the running local stack, and how every test file leaves it: converged and ready. Every wait
// is bounded and says what it waited for when it gives up.
import { docker } from '../../../generator/docker/cli.ts';
import { dockerOk } from './docker.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { waitUntilReady, localEndpoints, type ReadinessTarget } from '../harness/readiness.ts';
import { swarmName } from '../harness/topology.ts';
import { milvusSwarm, type CliResult } from './cli.ts';

/** Polls `check` until it returns a value (not undefined), at most `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, pollMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() + pollMs > deadline) throw new Error(`${what}: not after ${Math.round(timeoutMs / 1000)} s${last ? ` (last error: ${last instanceof Error ? last.message : String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The service's containers on this node (the one-node swarm runs them all). */
export async function containersOf(model: ClusterModel, service: string): Promise<string[]> {
  const ids = await dockerOk(['container', 'ls', '--quiet', '--filter', `label=com.docker.swarm.service.name=${swarmName(model, service)}`], { timeoutMs: 15_000 });
  return ids.split('\n').filter((line) => line.trim() !== '');
}

/** `docker service scale` (detached), then waits until the service has that many containers running here. */
export async function scale(model: ClusterModel, service: string, replicas: number, timeoutMs = 60_000): Promise<void> {
  await dockerOk(['service', 'scale', '--detach', `${swarmName(model, service)}=${replicas}`], { timeoutMs: 30_000 });
  await until(`${service} at ${replicas} running containers`, timeoutMs, async () => ((await containersOf(model, service)).length === replicas ? true : undefined));
}

/**
 * `milvus-swarm deploy --env local` from the repository, as an operator restores the topology's state, then ready.
 * Its own timeout is the topology's, twice (a stale proxy is restarted after convergence, see refreshProxy.ts).
 */
export async function deployFromRepository(model: ClusterModel, cwd?: string, ...flags: string[]): Promise<CliResult> {
  return milvusSwarm(['deploy', '--env', model.environment, ...flags], { timeoutMs: 2 * model.swarm.deployTimeoutSeconds * 1000 + 60_000, ...(cwd ? { cwd } : {}) });
}

export async function restoreByDeploy(model: ClusterModel, target?: ReadinessTarget): Promise<CliResult> {
  const deployed = await deployFromRepository(model);
  if (deployed.code !== 0) throw new Error(`restoring the stack failed: ${deployed.command} exited ${deployed.code}: ${deployed.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  await waitUntilReady(model, 120_000, target);
  return deployed;
}

/** What MinIO says through nginx about write quorum (200 or 503), once it answers within `answerMs`. */
export async function minioHealthThroughNginx(model: ClusterModel, answerMs = 4_000): Promise<number> {
  const response = await fetch(`${localEndpoints(model).s3}/minio/health/cluster`, { signal: AbortSignal.timeout(answerMs) });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Right after a node dies MinIO's peers still wait on it (their calls to it time out first), and nginx stalls on its
 * address: requests take seconds. The drills judge the cluster once MinIO answers its health at once again.
 */
export async function untilMinioSays(model: ClusterModel, status: 200 | 503, timeoutMs = 90_000): Promise<void> {
  let streak = 0;
  await until(`MinIO health ${status} through nginx, three times in a row, each within 2 s`, timeoutMs, async () => {
    const seen = await minioHealthThroughNginx(model, 2_000).catch(() => 0);
    streak = seen === status ? streak + 1 : 0;
    return streak >= 3 ? true : undefined;
  });
}

/** The config minio-proxy runs with (its content-hashed name). */
export async function proxyConfigName(model: ClusterModel): Promise<string> {
  const names = await dockerOk(['service', 'inspect', swarmName(model, model.minio.proxy.name), '--format', '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}'], { timeoutMs: 15_000 });
  return names.trim();
}

export async function configNames(): Promise<string[]> {
  return (await dockerOk(['config', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).split('\n').filter(Boolean).sort();
}

/** Everything a refused deploy must leave as it was: service specs (their versions), configs, secrets, services. */
export async function swarmSnapshot(model: ClusterModel) {
  const lines = async (args: string[]) => (await dockerOk(args, { timeoutMs: 20_000 })).split('\n').filter(Boolean).sort();
  const services = await lines(['service', 'ls', '--format', '{{.ID}} {{.Name}}']);
  const versions = await docker(['service', 'inspect', '--format', '{{.Spec.Name}} {{.Version.Index}}', ...services.map((line) => line.split(' ')[0]!)], { timeoutMs: 20_000 });
  return {
    services,
    versions: versions.stdout.split('\n').filter(Boolean).sort(),
    configs: await lines(['config', 'ls', '--format', '{{.ID}} {{.Name}}']),
    secrets: await lines(['secret', 'ls', '--format', '{{.ID}} {{.Name}}']),
    stack: model.stack,
  };
}
