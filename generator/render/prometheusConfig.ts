// monitoring/prometheus.yml: what Prometheus scrapes. Every etcd member's /metrics, every replica of the etcd gRPC
// proxy (swarm's tasks.<service> DNS name lists each one), and every MinIO node's node and cluster metrics with the
// bearer token read from a file (never rendered). Each target carries the labels the alerts name it by: the
// environment, the swarm service, and the member or node with its host.
import { alertmanagerEndpoint, PROMETHEUS_CONTAINER_PORT } from '../model/monitoring.ts';
import type { ClusterModel } from '../model/types.ts';
import { JOBS, MINIO_CLUSTER_METRICS_PATH, MINIO_NODE_METRICS_PATH, swarmService } from './monitoringTargets.ts';
import { generatedHeader, toYaml } from './yaml.ts';

/** The rule file's name beside prometheus.yml (Prometheus reads rule_files relative to its configuration file). */
export const ALERTS_FILE = 'alerts.yml';

export function renderPrometheusConfig(model: ClusterModel): string {
  const { monitoring } = model;
  const interval = `${monitoring.scrapeIntervalSeconds}s`;
  const environment = model.environment;
  const minioAuthorization = { type: 'Bearer', credentials_file: monitoring.minioTokenFile };
  const minioTargets = monitoring.minioNodes.map((node) => ({
    targets: [node.address],
    labels: { environment, service: swarmService(model, node.node), node: node.node, host: node.host, pool: String(node.pool) },
  }));
  const config = {
    global: {
      scrape_interval: interval,
      evaluation_interval: interval,
      // A scrape must end before the next one starts.
      scrape_timeout: `${Math.min(10, monitoring.scrapeIntervalSeconds)}s`,
    },
    rule_files: [ALERTS_FILE],
    ...(monitoring.alertmanager ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanagerEndpoint] }] }] } } : {}),
    scrape_configs: [
      {
        job_name: JOBS.etcd,
        static_configs: monitoring.etcdMembers.map((member) => ({
          targets: [member.address],
          labels: { environment, service: swarmService(model, member.member), member: member.member, host: member.host },
        })),
      },
      {
        job_name: JOBS.etcdProxy,
        // The proxy runs several replicas behind one name; tasks.<name> resolves to each task's own address.
        dns_sd_configs: [{ names: [monitoring.etcdProxy.tasksName], type: 'A', port: monitoring.etcdProxy.port, refresh_interval: '30s' }],
        relabel_configs: [
          { target_label: 'environment', replacement: environment },
          { target_label: 'service', replacement: swarmService(model, monitoring.etcdProxy.service) },
        ],
      },
      { job_name: JOBS.minioNode, metrics_path: MINIO_NODE_METRICS_PATH, authorization: minioAuthorization, static_configs: minioTargets },
      // Every node answers for the whole cluster: asking each keeps the cluster's view while any node is up.
      { job_name: JOBS.minioCluster, metrics_path: MINIO_CLUSTER_METRICS_PATH, authorization: minioAuthorization, static_configs: minioTargets },
      ...(monitoring.prometheus
        ? [{ job_name: JOBS.prometheus, static_configs: [{ targets: [`localhost:${PROMETHEUS_CONTAINER_PORT}`], labels: { environment, service: swarmService(model, 'prometheus') } }] }]
        : []),
      ...(monitoring.alertmanager
        ? [{ job_name: JOBS.alertmanager, static_configs: [{ targets: [alertmanagerEndpoint], labels: { environment, service: swarmService(model, 'alertmanager') } }] }]
        : []),
    ],
  };
  return `${generatedHeader('#', model.source)}${usage(model)}${toYaml(config, ['targets', 'names', 'rule_files'])}`;
}

function usage(model: ClusterModel): string {
  const lines = model.monitoring.prometheus
    ? [`The stack's Prometheus reads this file and ${ALERTS_FILE} as swarm configs; the MinIO token is the swarm secret ${model.monitoring.secrets.minioToken}.`]
    : [
        `For a Prometheus you run: attach it to the network ${model.network.name} (the names below resolve there), put`,
        `${ALERTS_FILE} beside this file and MinIO's bearer token in ${model.monitoring.minioTokenFile} (README.md, "Monitoring").`,
      ];
  return lines.map((line) => `# ${line}\n`).join('');
}
