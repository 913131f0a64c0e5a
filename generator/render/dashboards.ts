// monitoring/dashboard-etcd.json and dashboard-minio.json: Grafana dashboards (JSON model, schemaVersion 39) written
// here from the metric names etcd 3.5.5 and MinIO RELEASE.2023-03-20 expose and from the failure-budget recording
// rules; no published dashboard is copied. Import them into a Grafana you run and pick its Prometheus data source.
import type { ClusterModel } from '../model/types.ts';
import { BUDGET_METRICS } from './alertRules.ts';
import { JOBS, promString, selector } from './monitoringTargets.ts';

export interface PanelQuery {
  expr: string;
  legend: string;
}

export interface Panel {
  title: string;
  type: 'stat' | 'timeseries';
  unit: string;
  description: string;
  queries: PanelQuery[];
  /** Stat panels: red at or below this value (a budget of 0), green above. */
  redAtOrBelow?: number;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

export function dashboards(model: ClusterModel): { etcd: Dashboard; minio: Dashboard } {
  return { etcd: etcdDashboard(model), minio: minioDashboard(model) };
}

/** Every query of both dashboards, for the tests (each must parse and name metrics the targets expose). */
export const dashboardQueries = (model: ClusterModel): string[] =>
  Object.values(dashboards(model)).flatMap((dashboard) => dashboard.panels.flatMap((panel) => panel.queries.map((query) => query.expr)));

function etcdDashboard(model: ClusterModel): Dashboard {
  const etcd = selector(model, JOBS.etcd);
  const env = `{environment=${promString(model.environment)}}`;
  const members = model.monitoring.etcdMembers.length;
  return {
    uid: `milvus-swarm-${model.environment}-etcd`,
    title: `etcd — ${model.environment} (stack ${model.stack})`,
    panels: [
      stat('Failure budget', 'none', `Members that may still fail before etcd loses quorum (${model.monitoring.etcdQuorum} of ${members} needed).`, [q(`${BUDGET_METRICS.etcdBudget}${env}`, 'members')], 0),
      stat('Members answering with a leader', 'none', `Of ${members} members.`, [q(`${BUDGET_METRICS.etcdAnswering}${env}`, 'answering')]),
      stat('Leader', 'none', '1 on the member that leads.', [q(`etcd_server_is_leader${etcd}`, '{{member}}')]),
      timeseries('Has a leader', 'none', '0: the member sees no leader and serves nothing.', [q(`etcd_server_has_leader${etcd}`, '{{member}} ({{host}})')]),
      timeseries('Leader changes (1 h)', 'none', 'Elections stall writes; more than a few an hour means restarts, slow disks or a flaky network.', [
        q(`increase(etcd_server_leader_changes_seen_total${etcd}[1h])`, '{{member}}'),
      ]),
      timeseries('Proposals', 'ops', 'Committed, applied and failed proposals per second; pending ones waiting for a commit.', [
        q(`rate(etcd_server_proposals_committed_total${etcd}[5m])`, 'committed {{member}}'),
        q(`rate(etcd_server_proposals_applied_total${etcd}[5m])`, 'applied {{member}}'),
        q(`rate(etcd_server_proposals_failed_total${etcd}[5m])`, 'failed {{member}}'),
        q(`etcd_server_proposals_pending${etcd}`, 'pending {{member}}'),
      ]),
      timeseries('WAL fsync p99', 's', 'Over 0.5 s heartbeats are missed (EtcdSlowFsync).', [
        q(`histogram_quantile(0.99, sum by (le, member) (rate(etcd_disk_wal_fsync_duration_seconds_bucket${etcd}[5m])))`, '{{member}}'),
      ]),
      timeseries('Backend commit p99', 's', 'Over 0.25 s the disk is too slow (EtcdSlowCommit).', [
        q(`histogram_quantile(0.99, sum by (le, member) (rate(etcd_disk_backend_commit_duration_seconds_bucket${etcd}[5m])))`, '{{member}}'),
      ]),
      timeseries('Database size and quota', 'bytes', 'The file, the part in use (the rest is freed by defrag) and the quota where etcd refuses writes.', [
        q(`etcd_mvcc_db_total_size_in_bytes${etcd}`, 'file {{member}}'),
        q(`etcd_mvcc_db_total_size_in_use_in_bytes${etcd}`, 'in use {{member}}'),
        q(`max(etcd_server_quota_backend_bytes${etcd})`, 'quota'),
      ]),
      timeseries('gRPC proxy replicas answering', 'none', `Of ${model.monitoring.etcdProxy.replicas} (${model.monitoring.etcdProxy.service}): Milvus reaches etcd through them.`, [
        q(`count(up${selector(model, JOBS.etcdProxy)} == 1)`, 'answering'),
      ]),
      timeseries('Client requests', 'reqps', 'gRPC requests the members handle, by method.', [q(`sum by (grpc_method) (rate(grpc_server_handled_total${etcd}[5m]))`, '{{grpc_method}}')]),
    ],
  };
}

function minioDashboard(model: ClusterModel): Dashboard {
  const node = selector(model, JOBS.minioNode);
  const cluster = selector(model, JOBS.minioCluster);
  const env = `{environment=${promString(model.environment)}}`;
  // Every node answers for the whole cluster: one value, whichever node is asked.
  const clusterWide = (metric: string) => `max(${metric}${cluster})`;
  return {
    uid: `milvus-swarm-${model.environment}-minio`,
    title: `MinIO — ${model.environment} (stack ${model.stack})`,
    panels: [
      stat('Failure budget: writes', 'none', 'Drives each erasure set may still lose before uploads fail.', [q(`${BUDGET_METRICS.setWriteBudget}${env}`, 'pool {{pool}} set {{set}}')], 0),
      stat('Failure budget: reads', 'none', 'Drives each erasure set may still lose before its objects cannot be read.', [q(`${BUDGET_METRICS.setReadBudget}${env}`, 'pool {{pool}} set {{set}}')], 0),
      stat('Nodes answering', 'none', `Of ${model.monitoring.minioNodes.length}, as Prometheus sees them.`, [q(`sum(up${node})`, 'answering')]),
      timeseries("Nodes and drives offline (MinIO's view)", 'none', 'MinIO refreshes these once a minute.', [
        q(clusterWide('minio_cluster_nodes_offline_total'), 'nodes offline'),
        q(clusterWide('minio_cluster_disk_offline_total'), 'drives offline'),
        q(clusterWide('minio_cluster_disk_online_total'), 'drives online'),
      ]),
      timeseries('Drives offline per node', 'none', 'As each node reports its own drives; a node that does not answer counts all of its drives.', [
        q(`${BUDGET_METRICS.nodeDrivesOffline}${env}`, '{{node}} ({{host}})'),
      ]),
      timeseries('Usable capacity', 'bytes', 'After parity: what objects can fill.', [
        q(clusterWide('minio_cluster_capacity_usable_total_bytes'), 'usable'),
        q(clusterWide('minio_cluster_capacity_usable_free_bytes'), 'usable free'),
      ]),
      // Per-drive figures come from the cluster endpoint (labelled by server), the same from every node that answers.
      timeseries('Drive space used', 'bytes', 'Used space of each drive.', [q(`max by (server, disk) (minio_node_disk_used_bytes${cluster})`, '{{server}} {{disk}}')]),
      timeseries('S3 requests', 'reqps', `Requests MinIO answered (Milvus's through ${model.monitoring.minioProxy.service}), by API.`, [
        q(`sum by (api) (rate(minio_s3_requests_total${node}[5m]))`, '{{api}}'),
      ]),
      timeseries('S3 errors', 'reqps', '4xx and 5xx answers; 5xx means quorum lost or nodes restarting (MinioS3ServerErrors).', [
        q(`sum(rate(minio_s3_requests_4xx_errors_total${node}[5m]))`, '4xx'),
        q(`sum(rate(minio_s3_requests_5xx_errors_total${node}[5m]))`, '5xx'),
      ]),
      timeseries('S3 traffic', 'Bps', 'Bytes received and sent.', [
        q(`sum(rate(minio_s3_traffic_received_bytes${node}[5m]))`, 'received'),
        q(`sum(rate(minio_s3_traffic_sent_bytes${node}[5m]))`, 'sent'),
      ]),
    ],
  };
}

const q = (expr: string, legend: string): PanelQuery => ({ expr, legend });

const stat = (title: string, unit: string, description: string, queries: PanelQuery[], redAtOrBelow?: number): Panel => ({
  title,
  type: 'stat',
  unit,
  description,
  queries,
  ...(redAtOrBelow !== undefined ? { redAtOrBelow } : {}),
});

const timeseries = (title: string, unit: string, description: string, queries: PanelQuery[]): Panel => ({ title, type: 'timeseries', unit, description, queries });

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Grafana's JSON model: stats in a row of four across the top, time series two per row below. */
export function renderDashboard(dashboard: Dashboard): string {
  let y = 0;
  let statX = 0;
  let seriesIndex = 0;
  const stats = dashboard.panels.filter((panel) => panel.type === 'stat');
  const panels = dashboard.panels.map((panel, index) => {
    let gridPos: { x: number; y: number; w: number; h: number };
    if (panel.type === 'stat') {
      gridPos = { x: statX, y: 0, w: 6, h: 4 };
      statX += 6;
    } else {
      y = (stats.length > 0 ? 4 : 0) + Math.floor(seriesIndex / 2) * 8;
      gridPos = { x: (seriesIndex % 2) * 12, y, w: 12, h: 8 };
      seriesIndex++;
    }
    return {
      id: index + 1,
      type: panel.type,
      title: panel.title,
      description: panel.description,
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: {
        defaults: {
          unit: panel.unit,
          ...(panel.redAtOrBelow !== undefined
            ? { thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: panel.redAtOrBelow + 1 }] } }
            : {}),
        },
        overrides: [],
      },
      options: panel.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background' } : { legend: { displayMode: 'list', placement: 'bottom' } },
      targets: panel.queries.map((query, queryIndex) => ({ datasource: DATASOURCE, expr: query.expr, legendFormat: query.legend, refId: String.fromCharCode(65 + queryIndex) })),
    };
  });
  const model = {
    uid: dashboard.uid,
    title: dashboard.title,
    description: 'Generated by milvus-swarm from the topology. Do not edit: change the topology and run `npx milvus-swarm render`.',
    tags: ['milvus-swarm'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }] },
    panels,
  };
  return `${JSON.stringify(model, null, 2)}\n`;
}
