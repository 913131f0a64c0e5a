// The names the scrape configuration gives its jobs and target labels, which the alert rules and dashboards select
// by: one place, so a query cannot name a job the configuration does not have.
import type { ClusterModel } from '../model/types.ts';

export const JOBS = {
  etcd: 'etcd',
  etcdProxy: 'etcd-proxy',
  minioNode: 'minio-node',
  minioCluster: 'minio-cluster',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
} as const;

/** MinIO RELEASE.2023-03-20's metrics paths (cmd/metrics-router.go): per-node and cluster-wide views. */
export const MINIO_NODE_METRICS_PATH = '/minio/v2/metrics/node';
export const MINIO_CLUSTER_METRICS_PATH = '/minio/v2/metrics/cluster';

/**
 * `{job="etcd",environment="production"}`: every selector names the environment, so one Prometheus may scrape
 * several environments (staging and production) without one's alerts counting the other's members.
 */
export function selector(model: ClusterModel, job: string, extra: Record<string, string> = {}): string {
  const matchers = { job, environment: model.environment, ...extra };
  return `{${Object.entries(matchers)
    .map(([name, value]) => `${name}=${promString(value)}`)
    .join(',')}}`;
}

/** A regex matcher's value for exactly these names: `minio1|minio2`, with regex metacharacters escaped. */
export function oneOf(names: readonly string[]): string {
  return names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** A PromQL double-quoted string. */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/** The swarm service a target belongs to, as `docker service ps` names it. */
export const swarmService = (model: ClusterModel, name: string): string => `${model.stack}_${name}`;
