// Does nginx in front of MinIO still know every MinIO node's current address? Only a question in dnsrr mode.
//
// With endpoint_mode dnsrr (kernels without IPVS have no virtual IPs) a service name resolves to its task's own
// address, and nginx resolves the servers of an upstream block once, when it starts: open-source nginx before 1.27.3
// cannot re-resolve them (`resolver` only serves a proxy_pass with variables, which gives up the upstream's keepalive
// and least_conn). A MinIO task that became running after nginx started (scaled 0 → 1, restarted after a crash,
// updated) has an address nginx does not know. Measured on the local swarm: nginx sends that node nothing, and the
// requests it still sends to the old address stall 3.06 s each ("connect() failed (113: No route to host)"; 1 s since
// the template's proxy_connect_timeout 1s) until max_fails takes it out for fail_timeout, then again. Restarting nginx
// re-resolves: deploy restarts the proxy when this finds it stale, and verify reports it. With vip the names resolve
// to virtual IPs that never change, and none of this applies.
import { dockerJson, dockerValue, type DockerValue } from '../docker/calls.ts';
import type { ClusterModel } from '../model/types.ts';
import type { DockerRunner } from '../docker/runner.ts';

export interface TaskTime {
  /** The service's name in the topology (minio2), not swarm's (milvus_minio2). */
  service: string;
  /** When swarm created the task. Its container starts later: after a failure, only after the restart delay. */
  createdAt: number;
  /** When the task became running; with a healthcheck that is when it passed, which is when swarm publishes its name. */
  runningSince: number;
  containerId: string;
}

/**
 * The backends whose running task was created after a proxy's nginx started (looked their names up): a new task has
 * a new address. A task created earlier is the one nginx resolved — swarm publishes a task's name only once it is
 * running (healthy), and nginx exits at start when a name does not resolve, so a running nginx holds the address of
 * every task that existed when it started. (When the task became running is no measure: its status timestamp moves
 * on later reports, and a fresh deploy looked stale by it, which restarted the proxy for nothing, ~35 s.) No slack is
 * needed for DNS propagation: MinIO updates stop-first and a failed task is replaced after it stopped.
 */
export function staleBackends(proxyStarts: readonly number[], backendTasks: readonly Pick<TaskTime, 'service' | 'createdAt'>[]): string[] {
  if (proxyStarts.length === 0) return [];
  const oldestLookup = Math.min(...proxyStarts);
  return [...new Set(backendTasks.filter((task) => task.createdAt > oldestLookup).map((task) => task.service))].sort();
}

interface TaskInspect {
  ID: string;
  CreatedAt: string;
  Status: { State: string; Timestamp: string; ContainerStatus?: { ContainerID?: string } };
}

/** The tasks swarm wants running for these services (stack-prefixed names), with their times. */
export async function runningTaskTimes(runner: DockerRunner, stack: string, services: readonly string[], timeoutMs: number): Promise<DockerValue<TaskTime[]>> {
  const names = services.map((service) => `${stack}_${service}`);
  // Task names are <service>.<slot> (replicated) or <service>.<node id> (global).
  const listed = await dockerValue(
    runner,
    ['service', 'ps', '--no-trunc', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.Name}}', ...names],
    (stdout) =>
      stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [id, name] = line.trim().split(/\s+/) as [string, string];
          return { id, service: name.slice(0, name.lastIndexOf('.')).slice(stack.length + 1) };
        }),
    { timeoutMs },
  );
  if (!listed.ok) return listed;
  const tasks = listed.value;
  if (tasks.length === 0) return { ok: true, value: [] };
  const inspected = await dockerJson<TaskInspect[]>(runner, ['inspect', ...tasks.map((task) => task.id)], { timeoutMs });
  if (!inspected.ok) return { ...inspected, error: `docker inspect (tasks): ${inspected.reason}` };
  const details = new Map(inspected.value.map((detail) => [detail.ID, detail]));
  const times = tasks.flatMap((task) => {
    const detail = details.get(task.id);
    if (!detail) return [];
    return [
      {
        service: task.service,
        createdAt: Date.parse(detail.CreatedAt),
        runningSince: detail.Status.State === 'running' ? Date.parse(detail.Status.Timestamp) : Number.NaN,
        containerId: detail.Status.ContainerStatus?.ContainerID ?? '',
      },
    ];
  });
  return { ok: true, value: times };
}

/**
 * When each task's container started, which is when nginx looked the names up. Only this node's containers can be
 * inspected: a task on another node counts from its creation, which is earlier (so, conservatively, staler).
 */
export async function containerStarts(runner: DockerRunner, tasks: readonly TaskTime[], timeoutMs: number): Promise<number[]> {
  return Promise.all(
    tasks.map(async (task) => {
      if (task.containerId === '') return task.createdAt;
      const inspected = await dockerValue(runner, ['container', 'inspect', '--format', '{{.State.StartedAt}}', task.containerId], (stdout) => Date.parse(stdout.trim()), { timeoutMs });
      const started = inspected.ok ? inspected.value : Number.NaN;
      return Number.isNaN(started) ? task.createdAt : started;
    }),
  );
}

export type ProxyAddresses =
  | { kind: 'not-applicable' }
  | { kind: 'fresh'; proxy: string; backends: number }
  | { kind: 'stale'; proxy: string; stale: string[] };

/** In dnsrr mode: whether the MinIO load balancer looked up every node's current address. */
export async function minioProxyAddresses(runner: DockerRunner, model: ClusterModel, timeoutMs: number): Promise<DockerValue<ProxyAddresses>> {
  if (model.swarm.endpointMode !== 'dnsrr') return { ok: true, value: { kind: 'not-applicable' } };
  const proxy = model.minio.proxy.name;
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
  const times = await runningTaskTimes(runner, model.stack, [proxy, ...nodes], timeoutMs);
  if (!times.ok) return times;
  const proxyStarts = await containerStarts(runner, times.value.filter((task) => task.service === proxy), timeoutMs);
  const backendTasks = times.value.filter((task) => task.service !== proxy && !Number.isNaN(task.runningSince));
  const stale = staleBackends(proxyStarts, backendTasks);
  return { ok: true, value: stale.length > 0 ? { kind: 'stale', proxy, stale } : { kind: 'fresh', proxy, backends: backendTasks.length } };
}
