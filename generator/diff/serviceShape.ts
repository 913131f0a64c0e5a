// One service as diff compares it: the fields milvus-swarm renders, in the form swarm keeps them. Two pure readers
// fill it — from the rendered stack file (what `docker stack deploy` would turn it into: compose's `entrypoint` is
// the container's Command, `command` its Args, durations in nanoseconds, the network by its stack-scoped name) and
// from `docker service inspect` — so a service is compared with itself, field by field, whoever deployed it.
import { parse } from 'yaml';

export interface MountShape {
  type: string;
  source: string;
  target: string;
  readOnly: boolean;
}

export interface PortShape {
  target: number;
  published: number;
  protocol: string;
  mode: string;
}

export interface HealthcheckShape {
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

export interface ServiceShape {
  /** The service's name in the stack file (etcd1), not swarm's (milvus_etcd1). */
  name: string;
  image: string;
  /** The container's Command (compose's entrypoint). */
  entrypoint: string[];
  /** The container's Args (compose's command). */
  args: string[];
  hostname: string;
  environment: Record<string, string>;
  mounts: MountShape[];
  secrets: { name: string; target: string }[];
  configs: { name: string; target: string }[];
  ports: PortShape[];
  networks: string[];
  constraints: string[];
  maxReplicasPerNode: number;
  mode: string;
  replicas?: number;
  endpointMode: string;
  /** The service's own labels (deploy.labels), without the com.docker.* ones docker adds. */
  labels: Record<string, string>;
  restart: Record<string, string | number>;
  update: Record<string, string | number>;
  rollback: Record<string, string | number>;
  /** undefined: the image's own; `['NONE']`: disabled. */
  healthcheck?: HealthcheckShape;
  sysctls: Record<string, string>;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Compose's `1m30s`, `5s`, `500ms` in milliseconds (Go's time.ParseDuration, which docker uses). */
export function durationMs(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return text * 1000;
  let total = 0;
  let matched = '';
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
    matched += part[0];
  }
  return matched === text ? total : undefined;
}

const nanosToMs = (value: number | undefined): number | undefined => (value === undefined ? undefined : value / 1e6);

/** Keys with undefined values dropped, so a field swarm leaves out equals one the file leaves out. */
function defined(record: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== 0 && entry[1] !== ''));
}

/** swarm's own defaults (failure action pause, order stop-first, a 5 s monitor it fills in when none is given) left out
 * on both sides: a file that names them and one that does not deploy the same spec. */
const SWARM_DEFAULTS: Record<string, string | number> = { failureAction: 'pause', order: 'stop-first', monitorMs: 5000 };

function withoutDefaults(config: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => SWARM_DEFAULTS[key] !== value));
}

const sortMounts = (mounts: MountShape[]) => [...mounts].sort((a, b) => a.target.localeCompare(b.target));
const sortPorts = (ports: PortShape[]) => [...ports].sort((a, b) => a.published - b.published || a.target - b.target);
const byTarget = <T extends { target: string }>(entries: T[]) => [...entries].sort((a, b) => a.target.localeCompare(b.target));

interface ComposeService {
  image?: string;
  hostname?: string;
  entrypoint?: string[] | string;
  command?: string[] | string;
  environment?: Record<string, string | number | null> | string[];
  volumes?: ({ type?: string; source?: string; target?: string; read_only?: boolean } | string)[];
  secrets?: ({ source: string; target?: string } | string)[];
  configs?: ({ source: string; target?: string } | string)[];
  ports?: ({ target: number; published?: number; protocol?: string; mode?: string } | string)[];
  networks?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string; disable?: boolean };
  sysctls?: Record<string, string | number>;
  deploy?: {
    mode?: string;
    replicas?: number;
    endpoint_mode?: string;
    labels?: Record<string, string>;
    placement?: { constraints?: string[]; max_replicas_per_node?: number };
    restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
    update_config?: Record<string, string | number>;
    rollback_config?: Record<string, string | number>;
  };
}

interface Compose {
  services?: Record<string, ComposeService>;
  networks?: Record<string, { name?: string } | null>;
  secrets?: Record<string, { name?: string } | null>;
  configs?: Record<string, { name?: string } | null>;
}

const list = (value: string[] | string | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean));

function updateShape(config: Record<string, string | number> | undefined): Record<string, string | number> {
  return withoutDefaults(defined({
    parallelism: config?.parallelism ?? 1,
    delayMs: durationMs(config?.delay as string | undefined),
    failureAction: config?.failure_action as string | undefined,
    monitorMs: durationMs(config?.monitor as string | undefined),
    maxFailureRatio: config?.max_failure_ratio as number | undefined,
    order: config?.order as string | undefined,
  }));
}

/** The services of a rendered stack file, as `docker stack deploy` would create them in `stack`. */
export function shapesFromCompose(stackText: string, stack: string): Map<string, ServiceShape> {
  const compose = composeInterpolated(parse(stackText) ?? {}) as Compose;
  const scoped = (kind: 'networks' | 'secrets' | 'configs', key: string) => compose[kind]?.[key]?.name ?? `${stack}_${key}`;
  const shapes = new Map<string, ServiceShape>();
  for (const [name, service] of Object.entries(compose.services ?? {})) shapes.set(name, shapeFromComposeService(name, service, scoped));
  return shapes;
}

/**
 * `docker stack deploy` interpolates every value, and `$$` is its literal `$` (render/quote.ts doubles every `$` the
 * renderers write, e.g. in the load balancer's entrypoint script): the spec swarm holds has one.
 */
function composeInterpolated(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$/g, '$');
  if (Array.isArray(value)) return value.map(composeInterpolated);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, composeInterpolated(item)]));
  return value;
}

/** One service of the stack file, as `docker stack deploy` turns it into a spec. */
function shapeFromComposeService(name: string, service: ComposeService, scoped: (kind: 'networks' | 'secrets' | 'configs', key: string) => string): ServiceShape {
  const deploy = service.deploy ?? {};
  const environment = Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]));
  const health = service.healthcheck;
  return {
    name,
    image: service.image ?? '',
    entrypoint: list(service.entrypoint),
    args: list(service.command),
    hostname: service.hostname ?? '',
    environment,
    mounts: sortMounts(
      (service.volumes ?? []).map((volume) =>
        typeof volume === 'string'
          ? { type: volume.startsWith('/') ? 'bind' : 'volume', source: volume.split(':')[0]!, target: volume.split(':')[1] ?? '', readOnly: volume.split(':')[2] === 'ro' }
          : { type: volume.type ?? 'volume', source: volume.source ?? '', target: volume.target ?? '', readOnly: volume.read_only === true },
      ),
    ),
    secrets: byTarget((service.secrets ?? []).map((secret) => (typeof secret === 'string' ? { name: scoped('secrets', secret), target: secret } : { name: scoped('secrets', secret.source), target: secret.target ?? secret.source }))),
    configs: byTarget((service.configs ?? []).map((config) => (typeof config === 'string' ? { name: scoped('configs', config), target: `/${config}` } : { name: scoped('configs', config.source), target: config.target ?? `/${config.source}` }))),
    ports: sortPorts(
      (service.ports ?? []).map((port) => {
        if (typeof port !== 'string') return { target: port.target, published: port.published ?? 0, protocol: port.protocol ?? 'tcp', mode: port.mode ?? 'ingress' };
        const [published, target] = port.split(':').map(Number);
        return { target: target ?? published!, published: published!, protocol: 'tcp', mode: 'ingress' };
      }),
    ),
    networks: (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? { default: null })).map((network) => scoped('networks', network)).sort(),
    constraints: [...(deploy.placement?.constraints ?? [])].sort(),
    maxReplicasPerNode: deploy.placement?.max_replicas_per_node ?? 0,
    mode: deploy.mode ?? 'replicated',
    ...((deploy.mode ?? 'replicated') === 'replicated' ? { replicas: deploy.replicas ?? 1 } : {}),
    endpointMode: deploy.endpoint_mode ?? 'vip',
    labels: { ...(deploy.labels ?? {}) },
    restart: defined({
      condition: deploy.restart_policy?.condition ?? 'any',
      delayMs: durationMs(deploy.restart_policy?.delay) ?? 5000,
      maxAttempts: deploy.restart_policy?.max_attempts,
      windowMs: durationMs(deploy.restart_policy?.window),
    }),
    update: updateShape(deploy.update_config),
    rollback: updateShape(deploy.rollback_config),
    ...(health
      ? {
          healthcheck: health.disable
            ? { test: ['NONE'] }
            : {
                test: typeof health.test === 'string' ? ['CMD-SHELL', health.test] : (health.test ?? []),
                ...defined({ intervalMs: durationMs(health.interval), timeoutMs: durationMs(health.timeout), retries: health.retries, startPeriodMs: durationMs(health.start_period) }),
              },
        }
      : {}),
    sysctls: Object.fromEntries(Object.entries(service.sysctls ?? {}).map(([key, value]) => [key, String(value)])),
  };
}

/** The part of `docker service inspect` output diff reads. */
export interface ServiceInspect {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    TaskTemplate: {
      ContainerSpec?: {
        Image?: string;
        Command?: string[];
        Args?: string[];
        Hostname?: string;
        Env?: string[];
        Mounts?: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }[];
        Secrets?: { SecretName?: string; File?: { Name?: string } }[];
        Configs?: { ConfigName?: string; File?: { Name?: string } }[];
        Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
        Sysctls?: Record<string, string>;
      };
      RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
      Placement?: { Constraints?: string[]; MaxReplicas?: number };
      Networks?: { Target: string; Aliases?: string[] }[];
    };
    Mode: { Replicated?: { Replicas?: number }; Global?: object };
    UpdateConfig?: { Parallelism?: number; Delay?: number; FailureAction?: string; Monitor?: number; MaxFailureRatio?: number; Order?: string };
    RollbackConfig?: { Parallelism?: number; Delay?: number; FailureAction?: string; Monitor?: number; MaxFailureRatio?: number; Order?: string };
    EndpointSpec?: { Mode?: string; Ports?: { Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string }[] };
  };
}

function liveUpdate(config: NonNullable<ServiceInspect['Spec']['UpdateConfig']> | undefined): Record<string, string | number> {
  return withoutDefaults(
    defined({
      parallelism: config?.Parallelism ?? 1,
      delayMs: nanosToMs(config?.Delay),
      failureAction: config?.FailureAction,
      monitorMs: nanosToMs(config?.Monitor),
      maxFailureRatio: config?.MaxFailureRatio,
      order: config?.Order,
    }),
  );
}

/** A running service, read from `docker service inspect`; networks by name (`docker network ls` gives the ids). */
export function shapeFromInspect(inspect: ServiceInspect, stack: string, networkNames: ReadonlyMap<string, string>): ServiceShape {
  const spec = inspect.Spec;
  const container = spec.TaskTemplate.ContainerSpec ?? {};
  const health = container.Healthcheck;
  const restart = spec.TaskTemplate.RestartPolicy;
  return {
    name: spec.Name.startsWith(`${stack}_`) ? spec.Name.slice(stack.length + 1) : spec.Name,
    image: (container.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
    entrypoint: container.Command ?? [],
    args: container.Args ?? [],
    hostname: container.Hostname ?? '',
    environment: Object.fromEntries((container.Env ?? []).map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)])),
    mounts: sortMounts((container.Mounts ?? []).map((mount) => ({ type: mount.Type ?? 'volume', source: mount.Source ?? '', target: mount.Target ?? '', readOnly: mount.ReadOnly === true }))),
    secrets: byTarget((container.Secrets ?? []).map((secret) => ({ name: secret.SecretName ?? '', target: secret.File?.Name ?? '' }))),
    configs: byTarget((container.Configs ?? []).map((config) => ({ name: config.ConfigName ?? '', target: config.File?.Name ?? '' }))),
    ports: sortPorts((spec.EndpointSpec?.Ports ?? []).map((port) => ({ target: port.TargetPort ?? 0, published: port.PublishedPort ?? 0, protocol: port.Protocol ?? 'tcp', mode: port.PublishMode ?? 'ingress' }))),
    networks: (spec.TaskTemplate.Networks ?? []).map((network) => networkNames.get(network.Target) ?? network.Target).sort(),
    constraints: [...(spec.TaskTemplate.Placement?.Constraints ?? [])].sort(),
    maxReplicasPerNode: spec.TaskTemplate.Placement?.MaxReplicas ?? 0,
    mode: spec.Mode.Global ? 'global' : 'replicated',
    ...(spec.Mode.Global ? {} : { replicas: spec.Mode.Replicated?.Replicas ?? 1 }),
    endpointMode: spec.EndpointSpec?.Mode ?? 'vip',
    labels: Object.fromEntries(Object.entries(spec.Labels ?? {}).filter(([key]) => !key.startsWith('com.docker.'))),
    restart: defined({ condition: restart?.Condition ?? 'any', delayMs: nanosToMs(restart?.Delay) ?? 5000, maxAttempts: restart?.MaxAttempts, windowMs: nanosToMs(restart?.Window) }),
    update: liveUpdate(spec.UpdateConfig),
    rollback: liveUpdate(spec.RollbackConfig),
    ...(health
      ? {
          healthcheck:
            health.Test?.[0] === 'NONE'
              ? { test: ['NONE'] }
              : { test: health.Test ?? [], ...defined({ intervalMs: nanosToMs(health.Interval), timeoutMs: nanosToMs(health.Timeout), retries: health.Retries, startPeriodMs: nanosToMs(health.StartPeriod) }) },
        }
      : {}),
    sysctls: container.Sysctls ?? {},
  };
}
