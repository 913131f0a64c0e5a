// `promtool test rules` cases for every alert of a rendered alerts.yml: for each, a world where it fires (with the
// exact labels and annotations Prometheus gives it) and one where it stays quiet. The series carry the labels the
// rendered prometheus.yml gives its targets, so a rule that selects a label the scrape does not set fails here.
// Each case is written from the cluster's shape (members, quorum, erasure sets), so it holds for 3 or 5 members and
// for any pool layout.
import { stringify } from 'yaml';
import { alertRules, BUDGET_METRICS, runbookUrl } from '../../generator/render/alertRules.ts';
import type { ClusterModel, ErasureSetModel } from '../../generator/model/types.ts';
import { expandTemplate, scrapeTargets, type ScrapeTarget } from './support.ts';

/** One minute of samples at the tests' 30 s step (and rule evaluations: promtool evaluates every rule at each). */
const STEP = '30s';
const PER_MINUTE = 2;
const MINUTES = 25;

export interface ExpectedAlert {
  labels: Record<string, string>;
  /** The alert's value, for {{ $value }} in its annotations. */
  value: number;
}

export interface AlertCase {
  name: string;
  alert: string;
  series: Map<string, string>;
  evalTime: string;
  interval?: string;
  expected: ExpectedAlert[];
}

export interface BudgetCase {
  name: string;
  series: Map<string, string>;
  expr: string;
  expected: { labels: string; value: number }[];
}

type Labels = Record<string, string>;

const seriesText = (name: string, labels: Labels) => `${name}{${Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(',')}}`;

/** A constant value for the whole run (promtool's `VxN` is N+1 samples). */
const constant = (value: number | string, minutes = MINUTES) => `${value}x${minutes * PER_MINUTE - 1}`;
/** A counter growing by `perStep` every step. */
const growing = (perStep: number, minutes = MINUTES) => `0+${perStep}x${minutes * PER_MINUTE - 1}`;

/** The healthy cluster as Prometheus would scrape it, which each case then changes. */
class World {
  readonly series = new Map<string, string>();
  constructor(readonly model: ClusterModel, readonly targets: ScrapeTarget[]) {}

  static healthy(model: ClusterModel, targets: ScrapeTarget[]): World {
    const world = new World(model, targets);
    for (const target of world.job('etcd')) {
      world.set('up', target.labels, constant(1));
      world.set('etcd_server_has_leader', target.labels, constant(1));
    }
    for (const target of world.job('etcd-proxy').slice(0, model.monitoring.etcdProxy.replicas)) world.set('up', target.labels, constant(1));
    for (const target of world.job('minio-node')) world.set('up', target.labels, constant(1));
    for (const target of world.job('minio-cluster')) {
      world.set('up', target.labels, constant(1));
      for (const node of world.job('minio-node')) world.set('minio_node_disk_offline_total', { ...target.labels, server: node.labels.instance! }, constant(0));
    }
    return world;
  }

  job(name: string): ScrapeTarget[] {
    return this.targets.filter((target) => target.job === name);
  }

  set(name: string, labels: Labels, values: string): this {
    this.series.set(seriesText(name, labels), values);
    return this;
  }

  /** A MinIO node that does not answer: its targets are down, and no node reports its drives any more. */
  minioNodeDown(node: string): this {
    for (const target of [...this.job('minio-node'), ...this.job('minio-cluster')].filter((candidate) => candidate.labels.node === node)) {
      this.set('up', target.labels, constant(0));
      for (const key of [...this.series.keys()]) if (key.startsWith('minio_node_disk_offline_total{') && key.includes(`instance=${JSON.stringify(target.labels.instance)}`)) this.series.delete(key);
    }
    const address = this.job('minio-node').find((target) => target.labels.node === node)!.labels.instance!;
    for (const key of [...this.series.keys()]) if (key.includes(`server=${JSON.stringify(address)}`)) this.series.delete(key);
    return this;
  }

  /** Every node that answers reports `count` offline drives on `node`. */
  drivesOffline(node: string, count: number): this {
    const address = this.job('minio-node').find((target) => target.labels.node === node)!.labels.instance!;
    for (const key of [...this.series.keys()]) if (key.startsWith('minio_node_disk_offline_total{') && key.includes(`server=${JSON.stringify(address)}`)) this.series.set(key, constant(count));
    return this;
  }

  etcdDown(member: ScrapeTarget): this {
    return this.set('up', member.labels, constant(0));
  }

  /** Also gives every MinIO cluster target one series of `name` with this value (each answers for the cluster). */
  clusterWide(name: string, value: string): this {
    for (const target of this.job('minio-cluster')) this.set(name, { ...target.labels, server: target.labels.instance! }, value);
    return this;
  }
}

/**
 * Takes `offline` drives of `set` away, as a real fault would: whole nodes down while their drives in the set fit,
 * then drives reported offline on the next node.
 */
function setLoses(world: World, set: ErasureSetModel, offline: number): World {
  let remaining = offline;
  for (const member of set.nodes) {
    if (remaining <= 0) break;
    if (remaining >= member.drives) {
      world.minioNodeDown(member.node);
      remaining -= member.drives;
    } else {
      world.drivesOffline(member.node, remaining);
      remaining = 0;
    }
  }
  if (remaining > 0) throw new Error(`erasure set ${set.pool}/${set.set} has fewer than ${offline} drives`);
  return world;
}

const setLabels = (model: ClusterModel, set: ErasureSetModel): Labels => ({
  environment: model.environment,
  pool: String(set.pool),
  set: String(set.set),
  nodes: set.nodes.map((member) => `${model.stack}_${member.node} on ${model.monitoring.minioNodes.find((node) => node.node === member.node)!.host}`).join(', '),
});

const without = (labels: Labels, ...names: string[]): Labels => Object.fromEntries(Object.entries(labels).filter(([name]) => !names.includes(name)));

export function alertCases(model: ClusterModel, prometheusYml: string): AlertCase[] {
  const targets = scrapeTargets(prometheusYml);
  const healthy = () => World.healthy(model, targets);
  const etcd = healthy().job('etcd');
  const minioNodes = healthy().job('minio-node');
  const env = { environment: model.environment };
  const quorum = model.monitoring.etcdQuorum;
  const replicas = model.monitoring.etcdProxy.replicas;
  const set = model.monitoring.erasureSets[0]!;
  const cases: AlertCase[] = [];
  const both = (alert: string, fire: { world: World; expected: ExpectedAlert[]; evalTime?: string; interval?: string }, quiet: { world: World; note?: string; evalTime?: string }) => {
    cases.push({ name: `${alert} fires`, alert, series: fire.world.series, evalTime: fire.evalTime ?? '10m', interval: fire.interval, expected: fire.expected });
    cases.push({ name: `${alert} stays quiet${quiet.note ? `: ${quiet.note}` : ''}`, alert, series: quiet.world.series, evalTime: quiet.evalTime ?? fire.evalTime ?? '10m', interval: fire.interval, expected: [] });
  };

  // etcd
  const member = etcd[1] ?? etcd[0]!;
  const goesDown = (world: World, target: ScrapeTarget, minute: number) => world.set('up', target.labels, `1x${minute * PER_MINUTE - 1} 0x${(MINUTES - minute) * PER_MINUTE - 1}`);
  both('EtcdMemberDown', { world: goesDown(healthy(), member, 5), expected: [{ labels: member.labels, value: 0 }] }, { world: healthy(), note: 'every member answers' });
  cases.push({ name: 'EtcdMemberDown stays pending for its first minute', alert: 'EtcdMemberDown', series: goesDown(healthy(), member, 9).series, evalTime: '9m30s', expected: [] });
  const majorityDown = etcd.slice(0, etcd.length - quorum + 1);
  const oneSpareDown = etcd.slice(0, etcd.length - quorum);
  both(
    'EtcdInsufficientMembers',
    { world: majorityDown.reduce((world, target) => world.etcdDown(target), healthy()), expected: [{ labels: env, value: quorum - 1 }] },
    { world: oneSpareDown.reduce((world, target) => world.etcdDown(target), healthy()), note: `${oneSpareDown.length} of ${etcd.length} down, quorum holds` },
  );
  both('EtcdNoLeader', { world: healthy().set('etcd_server_has_leader', etcd[0]!.labels, constant(0)), expected: [{ labels: etcd[0]!.labels, value: 0 }] }, { world: healthy() });
  both(
    'EtcdFrequentLeaderChanges',
    { world: healthy().set('etcd_server_leader_changes_seen_total', etcd[0]!.labels, growing(0.25)), evalTime: '17m', expected: [{ labels: etcd[0]!.labels, value: 0 }] },
    { world: healthy().set('etcd_server_leader_changes_seen_total', etcd[0]!.labels, constant(1)), note: 'one election, long ago' },
  );
  both(
    'EtcdFailedProposals',
    { world: healthy().set('etcd_server_proposals_failed_total', etcd[0]!.labels, growing(1)), evalTime: '17m', expected: [{ labels: etcd[0]!.labels, value: 0 }] },
    { world: healthy().set('etcd_server_proposals_failed_total', etcd[0]!.labels, `0x${10 * PER_MINUTE} 2x${(MINUTES - 10) * PER_MINUTE - 2}`), note: 'two failures' },
  );
  const histogram = (world: World, name: string, buckets: [string, string][]) => buckets.reduce((result, [le, values]) => result.set(name, { ...etcd[0]!.labels, le }, values), world);
  const latencyLabels = without(etcd[0]!.labels, 'job', 'instance');
  both(
    'EtcdSlowFsync',
    { world: histogram(healthy(), 'etcd_disk_wal_fsync_duration_seconds_bucket', [['0.25', constant(0)], ['1', growing(10)], ['+Inf', growing(10)]]), evalTime: '17m', expected: [{ labels: latencyLabels, value: 0 }] },
    { world: histogram(healthy(), 'etcd_disk_wal_fsync_duration_seconds_bucket', [['0.25', growing(10)], ['1', growing(10)], ['+Inf', growing(10)]]), note: 'p99 under 0.25 s', evalTime: '17m' },
  );
  both(
    'EtcdSlowCommit',
    { world: histogram(healthy(), 'etcd_disk_backend_commit_duration_seconds_bucket', [['0.25', constant(0)], ['1', growing(10)], ['+Inf', growing(10)]]), evalTime: '17m', expected: [{ labels: latencyLabels, value: 0 }] },
    { world: histogram(healthy(), 'etcd_disk_backend_commit_duration_seconds_bucket', [['0.1', growing(10)], ['1', growing(10)], ['+Inf', growing(10)]]), note: 'p99 under 0.1 s', evalTime: '17m' },
  );
  const database = (size: number, inUse: number, quota: number) =>
    healthy()
      .set('etcd_mvcc_db_total_size_in_bytes', etcd[0]!.labels, constant(size))
      .set('etcd_mvcc_db_total_size_in_use_in_bytes', etcd[0]!.labels, constant(inUse))
      .set('etcd_server_quota_backend_bytes', etcd[0]!.labels, constant(quota));
  both('EtcdDatabaseNearQuota', { world: database(850, 850, 1000), expected: [{ labels: etcd[0]!.labels, value: 0.85 }] }, { world: database(500, 500, 1000), note: 'half full' });
  both('EtcdDatabaseQuotaExhausted', { world: database(960, 960, 1000), expected: [{ labels: etcd[0]!.labels, value: 0.96 }] }, { world: database(900, 900, 1000), note: '90 % full' });
  const MIB = 1024 * 1024;
  both(
    'EtcdDatabaseFragmented',
    { world: database(200 * MIB, 80 * MIB, 8192 * MIB), evalTime: '17m', expected: [{ labels: etcd[0]!.labels, value: 0.4 }] },
    { world: database(50 * MIB, 10 * MIB, 8192 * MIB), note: 'a small database' },
  );
  const proxies = healthy().job('etcd-proxy');
  const proxiesUp = (count: number) => {
    const world = new World(model, targets);
    for (const [key, values] of healthy().series) if (!key.startsWith('up{job="etcd-proxy"')) world.series.set(key, values);
    for (const target of proxies.slice(0, count)) world.set('up', target.labels, constant(1));
    return world;
  };
  both('EtcdProxyReplicasMissing', { world: proxiesUp(replicas - 1), expected: [{ labels: env, value: replicas - 1 }] }, { world: proxiesUp(replicas), note: `${replicas} replicas answer` });

  // MinIO
  const node = minioNodes[2] ?? minioNodes[0]!;
  both('MinioNodeDown', { world: healthy().minioNodeDown(node.labels.node!), expected: [{ labels: node.labels, value: 0 }] }, { world: healthy() });
  both(
    'MinioClusterSeesNodesOffline',
    { world: healthy().clusterWide('minio_cluster_nodes_offline_total', constant(1)), expected: [{ labels: { job: 'minio-cluster', ...env }, value: 1 }] },
    { world: healthy().clusterWide('minio_cluster_nodes_offline_total', constant(0)) },
  );
  const drivesNode = minioNodes[1] ?? minioNodes[0]!;
  both(
    'MinioDrivesOffline',
    {
      world: healthy().drivesOffline(drivesNode.labels.node!, 1),
      expected: [{ labels: { ...env, server: drivesNode.labels.instance!, node: drivesNode.labels.node!, host: drivesNode.labels.host!, service: drivesNode.labels.service!, pool: drivesNode.labels.pool! }, value: 1 }],
    },
    { world: healthy().minioNodeDown(drivesNode.labels.node!), note: 'a node down is MinioNodeDown, not this' },
  );
  const capacity = (free: string) => healthy().clusterWide('minio_cluster_capacity_usable_free_bytes', free).clusterWide('minio_cluster_capacity_usable_total_bytes', constant(100));
  both('MinioUsableCapacityLow', { world: capacity(constant(5)), evalTime: '17m', expected: [{ labels: { job: 'minio-cluster', ...env }, value: 0.05 }] }, { world: capacity(constant(50)) });
  // Eight hours at a 5-minute step: enough for the rule's 6-hour trend and its hour of `for`.
  const trend = (values: string) => {
    const world = new World(model, targets);
    for (const target of world.job('minio-cluster')) world.set('minio_cluster_capacity_usable_free_bytes', { ...target.labels, server: target.labels.instance! }, values);
    return world;
  };
  both(
    'MinioCapacityShortOfRecoveryWindow',
    { world: trend('1000000000000-10000000000x96'), evalTime: '8h', interval: '5m', expected: [{ labels: { job: 'minio-cluster', ...env }, value: 0 }] },
    { world: trend('1000000000000x96'), note: 'no writes' },
  );
  const requests = (errorsPerStep: number) => {
    const world = healthy();
    for (const target of minioNodes) {
      world.set('minio_s3_requests_total', { ...target.labels, api: 'putobject' }, growing(100));
      world.set('minio_s3_requests_5xx_errors_total', { ...target.labels, api: 'putobject' }, errorsPerStep === 0 ? constant(0) : growing(errorsPerStep));
    }
    return world;
  };
  both('MinioS3ServerErrors', { world: requests(10), evalTime: '17m', expected: [{ labels: { job: 'minio-node', ...env }, value: 0 }] }, { world: requests(0), note: 'no 5xx' });

  // The failure budget
  both(
    'EtcdFailureBudgetExhausted',
    { world: oneSpareDown.reduce((world, target) => world.etcdDown(target), healthy()), expected: [{ labels: env, value: 0 }] },
    { world: healthy(), note: `all ${etcd.length} members answer` },
  );
  both(
    'MinioFailureBudgetExhausted',
    { world: setLoses(healthy(), set, set.writeTolerance), expected: [{ labels: setLabels(model, set), value: 0 }] },
    { world: setLoses(healthy(), set, set.writeTolerance - 1), note: 'one drive of budget left' },
  );
  both(
    'MinioWriteQuorumLost',
    { world: setLoses(healthy(), set, set.writeTolerance + 1), expected: [{ labels: setLabels(model, set), value: -1 }] },
    { world: setLoses(healthy(), set, set.writeTolerance), note: 'at the limit' },
  );
  both(
    'MinioReadQuorumLost',
    { world: setLoses(healthy(), set, set.readTolerance + 1), expected: [{ labels: setLabels(model, set), value: -1 }] },
    { world: setLoses(healthy(), set, set.readTolerance), note: 'at the limit' },
  );
  return cases;
}

/** What the failure budget reads in a healthy cluster and after one etcd member and one MinIO node stop. */
export function budgetCases(model: ClusterModel, prometheusYml: string): BudgetCase[] {
  const targets = scrapeTargets(prometheusYml);
  const healthy = () => World.healthy(model, targets);
  const env = `environment=${JSON.stringify(model.environment)}`;
  const members = model.monitoring.etcdMembers.length;
  const spare = members - model.monitoring.etcdQuorum;
  const labels = (extra: Labels) => Object.entries({ environment: model.environment, ...extra }).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ');
  const setSeries = (metric: string, set: ErasureSetModel) => `${metric}{${labels({ pool: String(set.pool), set: String(set.set), nodes: setLabels(model, set).nodes! })}}`;
  const setSelector = (set: ErasureSetModel) => `{${env},pool="${set.pool}",set="${set.set}"}`;
  // The first set and, where there are more, the last (another pool's layout).
  const sets = [...new Set([model.monitoring.erasureSets[0]!, model.monitoring.erasureSets.at(-1)!])];
  return [
    { name: 'etcd: the budget is the members beyond quorum', series: healthy().series, expr: `${BUDGET_METRICS.etcdBudget}{${env}}`, expected: [{ labels: `${BUDGET_METRICS.etcdBudget}{${labels({})}}`, value: spare }] },
    { name: 'etcd: one member stops, the budget drops by one', series: healthy().etcdDown(healthy().job('etcd')[0]!).series, expr: `${BUDGET_METRICS.etcdBudget}{${env}}`, expected: [{ labels: `${BUDGET_METRICS.etcdBudget}{${labels({})}}`, value: spare - 1 }] },
    ...sets.flatMap((set): BudgetCase[] => {
      const first = set.nodes[0]!;
      return [
        { name: `MinIO pool ${set.pool} set ${set.set}: healthy, it may lose what writes survive`, series: healthy().series, expr: `${BUDGET_METRICS.setWriteBudget}${setSelector(set)}`, expected: [{ labels: setSeries(BUDGET_METRICS.setWriteBudget, set), value: set.writeTolerance }] },
        {
          name: `MinIO pool ${set.pool} set ${set.set}: node ${first.node} stops, the budget drops by its ${first.drives} drive(s) in the set`,
          series: healthy().minioNodeDown(first.node).series,
          expr: `${BUDGET_METRICS.setReadBudget}${setSelector(set)}`,
          expected: [{ labels: setSeries(BUDGET_METRICS.setReadBudget, set), value: set.readTolerance - first.drives }],
        },
      ];
    }),
  ];
}

/**
 * The promtool test files: alerts with their expanded annotations, budgets with their exact values. One file per
 * sample step, evaluated at that step: the capacity trend's eight hours at 5 minutes, everything else at 30 s
 * (promtool evaluates every rule at every step of a file, and eight hours at 30 s would be most of its time).
 */
export function promtoolTestFiles(model: ClusterModel, rulesFile: string, alerts: readonly AlertCase[], budgets: readonly BudgetCase[]): Map<string, string> {
  const steps = [...new Set(alerts.map((entry) => entry.interval ?? STEP))];
  return new Map(
    steps.map((step) => [
      step,
      promtoolTestFile(
        model,
        rulesFile,
        alerts.filter((entry) => (entry.interval ?? STEP) === step),
        step === STEP ? budgets : [],
        step,
      ),
    ]),
  );
}

export function promtoolTestFile(model: ClusterModel, rulesFile: string, alerts: readonly AlertCase[], budgets: readonly BudgetCase[], evaluationInterval = STEP): string {
  const rules = new Map(alertRules(model).map((rule) => [rule.alert, rule]));
  const inputSeries = (series: Map<string, string>) => [...series].map(([name, values]) => ({ series: name, values }));
  const tests = [
    ...alerts.map((entry) => {
      const rule = rules.get(entry.alert);
      if (!rule) throw new Error(`alerts.yml has no alert ${entry.alert}`);
      return {
        name: entry.name,
        interval: entry.interval ?? STEP,
        input_series: inputSeries(entry.series),
        alert_rule_test: [
          {
            eval_time: entry.evalTime,
            alertname: entry.alert,
            exp_alerts: entry.expected.map((expected) => ({
              exp_labels: { ...expected.labels, severity: rule.severity, environment: model.environment },
              exp_annotations: {
                summary: expandTemplate(rule.summary, expected.labels, expected.value),
                description: expandTemplate(rule.description, expected.labels, expected.value),
                runbook_url: runbookUrl(model, rule.alert),
              },
            })),
          },
        ],
      };
    }),
    ...budgets.map((entry) => ({
      name: entry.name,
      interval: STEP,
      input_series: inputSeries(entry.series),
      promql_expr_test: [{ expr: entry.expr, eval_time: '10m', exp_samples: entry.expected.map((sample) => ({ labels: sample.labels, value: sample.value })) }],
    })),
  ];
  return stringify({ rule_files: [rulesFile], evaluation_interval: evaluationInterval, tests }, { lineWidth: 0 });
}
