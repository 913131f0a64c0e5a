// Where verify reaches the cluster from outside: the first manager's address and the proxies' published ports,
// as the topology says (127.0.0.1 when it lists no managers: a one-node swarm), unless the operator overrides them.
// With host-mode ports verify then asks swarm which managers run the proxies (proxyLocations.ts).
import type { ClusterModel } from '../model/types.ts';

export interface HostPort {
  host: string;
  port: number;
}

export interface Endpoints {
  /** The etcd gRPC proxy's published port. */
  etcd: HostPort;
  /** nginx in front of MinIO: S3 API. */
  s3: HostPort;
  /** nginx in front of MinIO: console. */
  console: HostPort;
}

export interface EndpointOverrides {
  etcd?: string;
  s3?: string;
  console?: string;
}

export const LOOPBACK = '127.0.0.1';

/** `etcd 29.16.21.80:2379, S3 29.16.21.80:9000, console 29.16.21.80:9090`: where verify looked, for the CLI and the summary. */
export function describeEndpoints(endpoints: Endpoints): string {
  return `etcd ${formatHostPort(endpoints.etcd)}, S3 ${formatHostPort(endpoints.s3)}, console ${formatHostPort(endpoints.console)}`;
}

export function endpointsFromModel(model: ClusterModel): Endpoints {
  const host = model.managers[0]?.ip ?? LOOPBACK;
  return {
    etcd: { host, port: model.etcd.proxy.publishedPort },
    s3: { host, port: model.minio.proxy.s3Port },
    console: { host, port: model.minio.proxy.consolePort },
  };
}

export type ParsedEndpoints = { ok: true; endpoints: Endpoints; overridden: (keyof Endpoints)[] } | { ok: false; problems: string[] };

/** The topology's endpoints with any `HOST:PORT` overrides applied; a malformed override is a usage problem. */
export function resolveEndpoints(model: ClusterModel, overrides: EndpointOverrides): ParsedEndpoints {
  const endpoints = endpointsFromModel(model);
  const problems: string[] = [];
  for (const key of ['etcd', 's3', 'console'] as const) {
    const value = overrides[key];
    if (value === undefined) continue;
    const parsed = parseHostPort(value);
    if (parsed) endpoints[key] = parsed;
    else problems.push(`--${key}-endpoint ${JSON.stringify(value)}: expected HOST:PORT, e.g. 127.0.0.1:${endpoints[key].port}`);
  }
  const overridden = (['etcd', 's3', 'console'] as const).filter((key) => overrides[key] !== undefined);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, endpoints, overridden };
}

export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1]!, port };
}

export const formatHostPort = (endpoint: HostPort): string => `${endpoint.host}:${endpoint.port}`;
