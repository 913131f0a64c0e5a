// The monitoring part of the model: what Prometheus scrapes (every etcd member, the gRPC proxy's replicas, every MinIO
// node), the numbers the alert rules are written from (etcd's quorum, each erasure set's parity and tolerance, the
// recovery window), and the Prometheus and Alertmanager services when the stack runs them.
import { erasureLayout } from '../topology/erasure.ts';
import { DEFAULT_MONITORING, type Topology } from '../topology/schema.ts';
import { expandName, UNPINNED } from '../topology/stateful.ts';
import type { EtcdModel } from './etcd.ts';
import type { MinioModel } from './minio.ts';
import { pinnedPlacement } from './placement.ts';
import type { ClusterModel, MonitoringModel, Service } from './types.ts';

/**
 * Where the stack's Prometheus and Alertmanager keep their data and read their files inside their containers. The
 * data dir is mounted whole; its `config/` folder holds the rendered files and `data/` the TSDB (or Alertmanager's
 * silences and notification log). The files are not swarm configs: a config is immutable, so a changed rule would
 * be a new config in the service's spec and a restart. Deploy writes them into `config/` and asks the running
 * process to reload them (deploy/operations/monitoringFiles.ts) — one stable path, no restart.
 */
export const PROMETHEUS_CONTAINER_PORT = 9090;
export const ALERTMANAGER_CONTAINER_PORT = 9093;
export const PROMETHEUS_MOUNT = '/prometheus';
export const ALERTMANAGER_MOUNT = '/alertmanager';
/** The data dir's folder with the rendered files, on the host and in the container. */
export const MONITORING_CONFIG_FOLDER = 'config';
const MONITORING_DATA_FOLDER = 'data';
/** Swarm mounts secrets under /run/secrets/<target> when the target is a bare name. */
export const WEBHOOK_URL_FILE = '/run/secrets/alertmanager_webhook_url';

/** The rendered files each service reads from its data dir's config/ folder (rendered/<env>/monitoring/<file>). */
export const MONITORING_FILES = { prometheus: ['prometheus.yml', 'alerts.yml'], alertmanager: ['alertmanager.yml'] } as const;
export const MONITORING_SECRET_KEYS = { minioToken: 'minio_metrics_token', webhookUrl: 'alertmanager_webhook_url' } as const;

/** The service names Prometheus and Alertmanager run under (DNS names on the stack's network). */
export const PROMETHEUS_SERVICE = 'prometheus';
export const ALERTMANAGER_SERVICE = 'alertmanager';

/** Without backup's recovery window, the capacity alert looks this far ahead. */
export const DEFAULT_CAPACITY_HORIZON_DAYS = 7;

export function monitoringModel(topology: Topology, etcd: EtcdModel, minio: MinioModel): MonitoringModel {
  const settings = topology.monitoring ?? DEFAULT_MONITORING;
  const hostOf = (host: string | undefined) => host ?? UNPINNED;
  return {
    scrapeIntervalSeconds: settings.scrapeIntervalSeconds,
    notifications: settings.notifications,
    alertForSeconds: Object.fromEntries(Object.entries(settings.alerts).map(([name, alert]) => [name, alert.forSeconds])),
    minioTokenFile: settings.minioTokenFile,
    runbookBaseUrl: settings.runbookBaseUrl,
    secrets: { minioToken: settings.minioTokenSecret, webhookUrl: settings.alertmanager?.webhookUrlSecret ?? 'alertmanager_webhook_url' },
    etcdMembers: etcd.members.map((member) => ({ member: member.name, host: hostOf(member.host), address: `${member.name}:${etcd.clientPort}` })),
    etcdQuorum: Math.floor(etcd.members.length / 2) + 1,
    etcdQuotaBackendBytes: etcd.quotaBackendBytes,
    etcdProxy: { service: etcd.proxy.name, tasksName: `tasks.${etcd.proxy.name}`, port: etcd.proxy.listenPort, replicas: etcd.proxy.replicas },
    minioNodes: minio.pools.flatMap((pool, poolIndex) =>
      pool.nodes.map((node) => ({ node: node.name, host: hostOf(node.host), pool: poolIndex + 1, address: `${node.name}:${minio.apiPort}`, drives: node.drives.length })),
    ),
    erasureSets: minio.pools.flatMap((pool, poolIndex) => erasureSets(pool, poolIndex + 1)),
    minioProxy: { service: minio.proxy.name, replicas: minio.proxy.replicas },
    capacityHorizonDays: topology.backup?.windowDays ?? DEFAULT_CAPACITY_HORIZON_DAYS,
    capacityHorizonIsRecoveryWindow: topology.backup !== undefined,
    prometheus: settings.prometheus && {
      image: settings.prometheus.image,
      host: settings.prometheus.host,
      dataDir: expandName(settings.prometheus.dataDir, PROMETHEUS_SERVICE),
      port: settings.prometheus.port,
      retentionDays: settings.prometheus.retentionDays,
    },
    alertmanager: settings.alertmanager && {
      image: settings.alertmanager.image,
      host: settings.alertmanager.host,
      dataDir: expandName(settings.alertmanager.dataDir, ALERTMANAGER_SERVICE),
      port: settings.alertmanager.port,
    },
    webhookUrlFile: WEBHOOK_URL_FILE,
  };
}

/**
 * MinIO's erasure sets of one pool, and which nodes hold how many of each set's drives. MinIO expands
 * `http://minio{1...4}:9000/data{1...2}` with the host varying fastest (minio1/data1, minio2/data1, …, minio1/data2,
 * …: pkg/ellipses argExpander parses patterns right to left) and cuts that list into sets in order
 * (cmd/endpoint-ellipses.go endpointSet.Get), so a set spans every node when it is at least as large as the pool's
 * node count, and consecutive nodes otherwise.
 */
export function erasureSets(pool: MinioModel['pools'][number], poolNumber: number): MonitoringModel['erasureSets'] {
  const nodes = pool.nodes.map((node) => node.name);
  const layout = erasureLayout(nodes.length, pool.drivesPerNode);
  if (!layout) return [];
  const writeTolerance = layout.setSize - layout.writeQuorum;
  const readTolerance = layout.setSize - layout.readQuorum;
  return Array.from({ length: layout.sets }, (_, setIndex) => {
    const counts = new Map<string, number>();
    for (let position = setIndex * layout.setSize; position < (setIndex + 1) * layout.setSize; position++) {
      const node = nodes[position % nodes.length]!;
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    return {
      pool: poolNumber,
      set: setIndex + 1,
      drives: layout.setSize,
      parity: layout.parity,
      readTolerance,
      writeTolerance,
      nodes: [...counts].map(([node, drives]) => ({ node, drives })),
    };
  });
}

/** Prometheus and Alertmanager, when the topology runs them: stateful (their data dirs), pinned to their manager. */
// ~62 lines: the two services side by side (Prometheus, Alertmanager), each a literal of its fields.
export function monitoringServices(topology: Topology, model: ClusterModel['monitoring']): Service[] {
  // A manager is not a data host: its placement is by hostname (pinnedPlacement falls back to it for unknown hosts).
  const pinned = pinnedPlacement(topology.hosts);
  const services: Service[] = [];
  if (model.prometheus) {
    const { prometheus } = model;
    services.push({
      name: PROMETHEUS_SERVICE,
      role: 'prometheus',
      image: prometheus.image,
      entrypoint: ['prometheus'],
      command: [
        `--config.file=${PROMETHEUS_MOUNT}/${MONITORING_CONFIG_FOLDER}/prometheus.yml`,
        `--storage.tsdb.path=${PROMETHEUS_MOUNT}/${MONITORING_DATA_FOLDER}`,
        `--storage.tsdb.retention.time=${prometheus.retentionDays}d`,
        `--web.listen-address=:${PROMETHEUS_CONTAINER_PORT}`,
        // POST /-/reload: deploy's new files applied without a restart (no gap in the scrapes, alerts keep their state).
        '--web.enable-lifecycle',
      ],
      environment: {},
      mounts: [{ source: prometheus.dataDir, target: PROMETHEUS_MOUNT }],
      secrets: [{ key: MONITORING_SECRET_KEYS.minioToken, target: model.minioTokenFile }],
      configs: [],
      ports: [{ target: PROMETHEUS_CONTAINER_PORT, published: prometheus.port, purpose: 'Prometheus (web UI and API)' }],
      placement: pinned(prometheus.host),
      replicas: 1,
      stateful: true,
      // The upstream image runs as nobody; deploy and prepare-hosts.sh create data dirs owned by root, as etcd's and
      // MinIO's (whose images run as root).
      user: '0:0',
    });
  }
  if (model.alertmanager) {
    const { alertmanager } = model;
    services.push({
      name: ALERTMANAGER_SERVICE,
      role: 'alertmanager',
      image: alertmanager.image,
      entrypoint: ['alertmanager'],
      command: [
        `--config.file=${ALERTMANAGER_MOUNT}/${MONITORING_CONFIG_FOLDER}/alertmanager.yml`,
        `--storage.path=${ALERTMANAGER_MOUNT}/${MONITORING_DATA_FOLDER}`,
        `--web.listen-address=:${ALERTMANAGER_CONTAINER_PORT}`,
        // One instance: no gossip port (9094) to bind or peers to look for.
        '--cluster.listen-address=',
      ],
      environment: {},
      // Alertmanager always serves POST /-/reload (no flag): deploy's new file is applied the same way.
      mounts: [{ source: alertmanager.dataDir, target: ALERTMANAGER_MOUNT }],
      secrets: [{ key: MONITORING_SECRET_KEYS.webhookUrl, target: MONITORING_SECRET_KEYS.webhookUrl }],
      configs: [],
      ports: [{ target: ALERTMANAGER_CONTAINER_PORT, published: alertmanager.port, purpose: 'Alertmanager (web UI and API)' }],
      placement: pinned(alertmanager.host),
      replicas: 1,
      stateful: true,
      user: '0:0',
    });
  }
  return services;
}

/** The external secrets the monitoring services mount, only when the stack runs them. */
export function monitoringSecrets(model: ClusterModel['monitoring']): ClusterModel['secrets'] {
  return [
    ...(model.prometheus ? [{ key: MONITORING_SECRET_KEYS.minioToken, name: model.secrets.minioToken, holds: "bearer token for MinIO's metrics (Prometheus)" }] : []),
    ...(model.alertmanager ? [{ key: MONITORING_SECRET_KEYS.webhookUrl, name: model.secrets.webhookUrl, holds: "Alertmanager's webhook URL" }] : []),
  ];
}

/** Where Prometheus finds the stack's Alertmanager on the network. */
export const alertmanagerEndpoint = `${ALERTMANAGER_SERVICE}:${ALERTMANAGER_CONTAINER_PORT}`;
