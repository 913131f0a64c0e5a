// monitoring/alerts.yml: the alert rules, written for this cluster from the model (its members, quorum, erasure sets
// and recovery window), with recording rules for the failure budget — how many more failures each cluster survives
// now, from what Prometheus sees etcd and MinIO report. Every alert names the swarm service and the host in its
// summary and carries a runbook_url to its section of monitoring/README.md, which says what to do.
// etcd's thresholds follow its own alerting guidance (etcd-io/etcd contrib/mixin: WAL fsync p99 over 0.5 s, backend
// commit p99 over 0.25 s, four leader changes in 15 minutes, fragmentation under 50 % of a database over 100 MiB);
// they are written here in our words, for a cluster whose size we know.
import type { ClusterModel, ErasureSetModel } from '../model/types.ts';
import { JOBS, oneOf, promString, selector, swarmService } from './monitoringTargets.ts';
import type { AlertName } from '../topology/alertNames.ts';
import { generatedHeader, toYaml } from './yaml.ts';

export type Severity = 'critical' | 'warning';

export interface AlertRule {
  kind: 'alert';
  alert: string;
  expr: string;
  /** How long the condition must hold before the alert fires. */
  forSeconds: number;
  /** The rendered default, when this environment sets its own `for:` (monitoring.alerts). */
  defaultForSeconds?: number;
  severity: Severity;
  /** Prometheus templates: {{ $labels.member }}, {{ $value }}. Names the swarm service and the host. */
  summary: string;
  description: string;
  /** When it fires, in a few words: the README tables print it. */
  when: string;
  /** What to do, in order: monitoring/README.md prints it under the alert's heading. */
  runbook: string[];
}

export interface RecordingRule {
  kind: 'record';
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: (AlertRule | RecordingRule)[];
}

/** The recording rules' metric names: the failure budget, where alerts and dashboards read it. */
export const BUDGET_METRICS = {
  etcdAnswering: 'milvus_swarm:etcd_members_answering',
  etcdBudget: 'milvus_swarm:etcd_failure_budget',
  nodeDrivesOffline: 'milvus_swarm:minio_node_drives_offline',
  setDrivesOffline: 'milvus_swarm:minio_erasure_set_drives_offline',
  setReadBudget: 'milvus_swarm:minio_erasure_set_read_budget',
  setWriteBudget: 'milvus_swarm:minio_erasure_set_write_budget',
} as const;

const MIB = 1024 * 1024;

export function alertGroups(model: ClusterModel): RuleGroup[] {
  const own = model.monitoring.alertForSeconds;
  return [etcdGroup(model), minioGroup(model), failureBudgetGroup(model)].map((group) => ({
    ...group,
    rules: group.rules.map((rule) => (rule.kind === 'alert' ? retimed(rule, own[rule.alert]) : rule)),
  }));
}

/** How the alerts' texts say a `for:`: "30 s", "1 minute", "10 minutes", "1 hour". */
export function durationWords(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds > 0 && seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}

/**
 * The alert with this environment's own `for:` (monitoring.alerts). Its `when` and summary say the default's duration
 * as their last "for …" (a unit test holds every alert to that), so they say the new one there instead.
 */
function retimed(rule: AlertRule, forSeconds: number | undefined): AlertRule {
  if (forSeconds === undefined || forSeconds === rule.forSeconds) return rule;
  const said = new RegExp(`,? for ${durationWords(rule.forSeconds)}(?!.* for )`);
  const say = (text: string) => {
    if (rule.forSeconds === 0) return forSeconds === 0 ? text : `${text}, for ${durationWords(forSeconds)}`;
    return text.replace(said, (phrase) => (forSeconds === 0 ? '' : `${phrase.startsWith(',') ? ',' : ''} for ${durationWords(forSeconds)}`));
  };
  return { ...rule, forSeconds, defaultForSeconds: rule.forSeconds, when: say(rule.when), summary: rule.forSeconds === 0 ? rule.summary : say(rule.summary) };
}

export const alertRules = (model: ClusterModel): AlertRule[] =>
  alertGroups(model).flatMap((group) => group.rules.filter((rule): rule is AlertRule => rule.kind === 'alert'));

/** Where an alert's runbook_url points: its heading in this environment's monitoring/README.md. */
export function runbookUrl(model: ClusterModel, alert: string): string {
  return `${model.monitoring.runbookBaseUrl ?? ''}rendered/${model.environment}/monitoring/README.md#${alert.toLowerCase()}`;
}

export function renderAlertRules(model: ClusterModel): string {
  const groups = alertGroups(model).map((group) => ({
    name: group.name,
    rules: group.rules.map((rule) =>
      rule.kind === 'record'
        ? { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: rule.labels } : {}) }
        : {
            alert: rule.alert,
            expr: rule.expr,
            ...(rule.forSeconds > 0 ? { for: duration(rule.forSeconds) } : {}),
            labels: { severity: rule.severity, environment: model.environment },
            annotations: { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(model, rule.alert) },
          },
    ),
  }));
  return `${generatedHeader('#', model.source)}${toYaml({ groups })}`;
}

const duration = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

const verifyCommand = (model: ClusterModel) => `\`npx milvus-swarm verify --env ${model.environment}\``;

// ~145 lines: a table — one entry per etcd alert (its expression, threshold and texts), read top to bottom.
function etcdGroup(model: ClusterModel): RuleGroup {
  const etcd = selector(model, JOBS.etcd);
  const members = model.monitoring.etcdMembers;
  const proxy = model.monitoring.etcdProxy;
  const proxyService = swarmService(model, proxy.service);
  const perMember = 'etcd member {{ $labels.member }} ({{ $labels.service }}) on host {{ $labels.host }}';
  const servicePs = '`docker service ps SERVICE --no-trunc` with the service the alert names';
  return {
    name: `etcd-${model.environment}`,
    rules: [
      alert('EtcdMemberDown', `up${etcd} == 0`, 60, 'critical', `${perMember} does not answer`, {
        when: 'a member has not answered Prometheus for 1 minute',
          description: `Prometheus cannot scrape the member's /metrics for a minute: its task is not running, its host is down or cut off. The cluster of ${members.length} needs ${model.monitoring.etcdQuorum} members for quorum.`,
        runbook: [
          `see why the task stopped: ${servicePs}`,
          'is the host up and in the swarm? `docker node ls` (on a manager)',
          `check the cluster from outside: ${verifyCommand(model)}`,
          'once the host is back, swarm restarts the member on its data dir; a member whose data is lost is replaced with `etcdctl member remove` / `member add` (plan prints the procedure)',
        ],
      }),
      alert(
        'EtcdInsufficientMembers',
        `${BUDGET_METRICS.etcdAnswering}${environmentSelector(model)} < ${model.monitoring.etcdQuorum}`,
        30,
        'critical',
        `etcd has lost quorum: {{ $value }} of ${members.length} members answer with a leader, ${model.monitoring.etcdQuorum} needed (${etcdServices(model)})`,
        {
          when: 'fewer members answer with a leader than the quorum, for 30 s',
          description: `Fewer than ${model.monitoring.etcdQuorum} of the ${members.length} members answer with a leader: etcd accepts no writes and Milvus stops.`,
          runbook: [
            'find the members that are down: the EtcdMemberDown alerts name them and their hosts',
            'bring their hosts back (engine, network); never remove members while quorum is lost',
            `then ${verifyCommand(model)}; if the data of a majority is lost, restore the latest recovery point (\`npx milvus-swarm restore --env ${model.environment} --point latest\`)`,
          ],
        },
      ),
      alert('EtcdNoLeader', `etcd_server_has_leader${etcd} == 0`, 60, 'critical', `${perMember} has no leader`, {
        when: 'a member that answers has seen no leader for 1 minute',
          description: 'The member answers but sees no leader for a minute: it serves no requests. Usually it is cut off from the others, or quorum is lost.',
        runbook: ['check the network between the etcd hosts (`ping`, the overlay network)', `check every member: ${verifyCommand(model)}`, 'the member\'s log: `docker service logs SERVICE --since 10m`'],
      }),
      alert(
        'EtcdFrequentLeaderChanges',
        `increase(etcd_server_leader_changes_seen_total${etcd}[15m]) >= 4`,
        300,
        'warning',
        `${perMember} saw 4 or more leader changes in 15 minutes`,
        {
          when: 'a member saw 4 or more leader changes in 15 minutes, for 5 minutes',
          description: 'Frequent elections stall writes each time: a member restarting, a slow disk missing heartbeats, or a flaky network between the etcd hosts.',
          runbook: [
            'look for a member that restarts: `docker service ps` of each member',
            'check the disks: the EtcdSlowFsync alert, `etcd_disk_wal_fsync_duration_seconds` on the etcd dashboard',
            'check the network between the etcd hosts',
          ],
        },
      ),
      alert('EtcdFailedProposals', `increase(etcd_server_proposals_failed_total${etcd}[1h]) > 5`, 0, 'warning', `${perMember}: more than 5 failed proposals in the last hour`, {
        when: 'a member counted more than 5 failed proposals in the last hour',
          description: 'Proposals fail during leader elections and while quorum is lost: writes were refused.',
        runbook: ['see EtcdFrequentLeaderChanges and EtcdMemberDown for the cause', verifyCommand(model)],
      }),
      alert(
        'EtcdSlowFsync',
        `histogram_quantile(0.99, sum by (le, environment, service, member, host) (rate(etcd_disk_wal_fsync_duration_seconds_bucket${etcd}[5m]))) > 0.5`,
        600,
        'warning',
        `${perMember}: WAL fsync p99 over 0.5 s for 10 minutes`,
        {
          when: "a member's WAL fsync p99 is over 0.5 s for 10 minutes",
          description: 'etcd writes every change to its WAL with fsync before answering: above 0.5 s heartbeats are missed and leaders change.',
          runbook: [
            "check the disk under the member's data dir on the host the alert names (`iostat -x 5`): another workload on it, or a failing disk",
            'etcd wants a dedicated SSD; move the member to a better disk (plan: a member moved to another host)',
          ],
        },
      ),
      alert(
        'EtcdSlowCommit',
        `histogram_quantile(0.99, sum by (le, environment, service, member, host) (rate(etcd_disk_backend_commit_duration_seconds_bucket${etcd}[5m]))) > 0.25`,
        600,
        'warning',
        `${perMember}: backend commit p99 over 0.25 s for 10 minutes`,
        {
          when: "a member's backend commit p99 is over 0.25 s for 10 minutes",
          description: "etcd's database commits are slow (over 0.25 s at p99): the disk is too slow or too busy.",
          runbook: ['check the disk of the host the alert names, as for EtcdSlowFsync', 'a large database commits slower: see EtcdDatabaseFragmented'],
        },
      ),
      alert(
        'EtcdDatabaseNearQuota',
        `etcd_mvcc_db_total_size_in_bytes${etcd} / etcd_server_quota_backend_bytes${etcd} > 0.8`,
        300,
        'warning',
        `${perMember}: database at {{ $value | humanizePercentage }} of its quota`,
        {
          when: "a member's database file is over 80 % of its quota for 5 minutes",
          description: `At the quota (${model.monitoring.etcdQuotaBackendBytes} bytes, etcd.quotaBackendBytes) etcd raises NOSPACE and refuses every write until an operator defragments and disarms the alarm.`,
          runbook: [
            'defragment one member at a time (through the proxy or on the network): `etcdctl --endpoints=MEMBER:2379 defrag`',
            'if the live data itself is large, raise etcd.quotaBackendBytes in the topology (plan: etcd tuning)',
          ],
        },
      ),
      alert(
        'EtcdDatabaseQuotaExhausted',
        `etcd_mvcc_db_total_size_in_bytes${etcd} / etcd_server_quota_backend_bytes${etcd} > 0.95`,
        60,
        'critical',
        `${perMember}: database at {{ $value | humanizePercentage }} of its quota: writes are about to be refused`,
        {
          when: "a member's database file is over 95 % of its quota for 1 minute",
          description: 'Over 95 % of the quota: etcd raises NOSPACE at 100 % and Milvus cannot write metadata.',
          runbook: ['defragment each member (`etcdctl defrag`), then `etcdctl alarm list` and `etcdctl alarm disarm` if NOSPACE is raised', 'see EtcdDatabaseNearQuota'],
        },
      ),
      alert(
        'EtcdDatabaseFragmented',
        `(etcd_mvcc_db_total_size_in_use_in_bytes${etcd} / etcd_mvcc_db_total_size_in_bytes${etcd}) < 0.5 and etcd_mvcc_db_total_size_in_bytes${etcd} > ${100 * MIB}`,
        600,
        'warning',
        `${perMember}: only {{ $value | humanizePercentage }} of its database file is in use`,
        {
          when: 'under half of a database file over 100 MiB is in use, for 10 minutes',
          description: 'Compaction frees space inside the file but never shrinks it: the file counts against the quota.',
          runbook: ['defragment the member: `etcdctl --endpoints=MEMBER:2379 defrag` (it blocks that member for seconds: one member at a time)'],
        },
      ),
      alert(
        'EtcdProxyReplicasMissing',
        `(count(up${selector(model, JOBS.etcdProxy)} == 1) or vector(0)) < ${proxy.replicas}`,
        120,
        'warning',
        `${proxyService}: {{ $value }} of ${proxy.replicas} gRPC proxy replicas answer`,
        {
          when: 'fewer gRPC proxy replicas answer than the topology runs, for 2 minutes',
          description: `Milvus reaches etcd through ${proxy.service}: with no replica left it cannot reach etcd at all.`,
          runbook: [`\`docker service ps ${proxyService} --no-trunc\``, `the proxy's log: \`docker service logs ${proxyService} --since 10m\``, verifyCommand(model)],
        },
      ),
    ],
  };
}

// ~80 lines: a table — one entry per MinIO alert.
function minioGroup(model: ClusterModel): RuleGroup {
  const node = selector(model, JOBS.minioNode);
  const cluster = selector(model, JOBS.minioCluster);
  const perNode = 'MinIO node {{ $labels.node }} ({{ $labels.service }}) on host {{ $labels.host }}';
  const nodes = model.monitoring.minioNodes;
  const nodeList = nodes.map((entry) => `${swarmService(model, entry.node)} on ${entry.host}`).join(', ');
  const lb = swarmService(model, model.monitoring.minioProxy.service);
  const horizon = model.monitoring.capacityHorizonDays;
  return {
    name: `minio-${model.environment}`,
    rules: [
      alert('MinioNodeDown', `up${node} == 0`, 60, 'critical', `${perNode} does not answer`, {
        when: 'a node has not answered Prometheus for 1 minute',
          description: "Prometheus cannot scrape the node's metrics for a minute: its task is not running, its host is down or cut off. Its drives are offline for every erasure set they belong to.",
        runbook: [
          '`docker service ps SERVICE --no-trunc` with the service the alert names',
          'is the host up and in the swarm? `docker node ls`',
          `the failure budget: MinioFailureBudgetExhausted and the MinIO dashboard; ${verifyCommand(model)}`,
          "when the host is back swarm restarts the node on its drives and MinIO heals what it missed",
        ],
      }),
      alert(
        'MinioClusterSeesNodesOffline',
        `max without (instance, node, host, pool, service, server) (minio_cluster_nodes_offline_total${cluster}) > 0`,
        120,
        'warning',
        `MinIO reports {{ $value }} node(s) offline (${nodeList})`,
        {
          when: 'MinIO itself counts a node offline for 2 minutes',
          description: "MinIO's own view (its nodes cannot reach each other), which a network partition shows before Prometheus does. MinIO refreshes it once a minute.",
          runbook: ['find the node: MinioNodeDown, or `mc admin info ALIAS`', 'check the network between the MinIO hosts'],
        },
      ),
      alert('MinioDrivesOffline', `(${BUDGET_METRICS.nodeDrivesOffline}${environmentSelector(model)} > 0) unless on (node) (up${node} == 0)`, 120, 'warning', `${perNode}: {{ $value }} drive(s) offline`, {
        when: 'a node that answers has a drive offline for 2 minutes',
          description: 'A drive the node cannot use (unmounted, failed, full of errors). MinIO heals it once it is back or replaced.',
        runbook: [
          `on the host the alert names: \`df -h\` of the node's drives (${drivePaths(model)}), \`dmesg | tail\` for disk errors`,
          'a replaced drive: mount an empty disk at the same path; MinIO formats and heals it (`mc admin heal ALIAS`)',
        ],
      }),
      alert(
        'MinioUsableCapacityLow',
        `max without (instance, node, host, pool, service, server) (minio_cluster_capacity_usable_free_bytes${cluster}) / max without (instance, node, host, pool, service, server) (minio_cluster_capacity_usable_total_bytes${cluster}) < 0.1`,
        900,
        'warning',
        `MinIO has {{ $value | humanizePercentage }} of its usable capacity left (${nodeList})`,
        {
          when: 'under 10 % of usable capacity is free for 15 minutes',
          description: 'Under 10 % of usable (after parity) capacity is free. MinIO refuses writes to a full erasure set.',
          runbook: ['delete what Milvus no longer needs (compaction, dropped collections), or add a pool (plan: a MinIO pool added)'],
        },
      ),
      alert(
        'MinioCapacityShortOfRecoveryWindow',
        `predict_linear((max without (instance, node, host, pool, service, server) (minio_cluster_capacity_usable_free_bytes${cluster}))[6h:5m], ${horizon * 86400}) < 0`,
        3600,
        'warning',
        `MinIO's usable capacity runs out within ${horizon} days at this write rate (${nodeList})`,
        {
          when: "at the last 6 hours' rate, free usable capacity runs out within the recovery window, for 1 hour",
          description: model.monitoring.capacityHorizonIsRecoveryWindow
            ? `The bucket keeps every overwritten and deleted object for the recovery window (backup.windowDays: ${horizon} days): at the last 6 hours' write rate the free usable capacity does not last that long.`
            : `At the last 6 hours' write rate the free usable capacity does not last ${horizon} days.`,
          runbook: ['add a pool before it runs out (plan: a MinIO pool added)', 'or shorten the recovery window (backup.windowDays), which frees the old versions sooner'],
        },
      ),
      alert(
        'MinioS3ServerErrors',
        `sum without (instance, node, host, pool, service, api) (rate(minio_s3_requests_5xx_errors_total${node}[5m])) / sum without (instance, node, host, pool, service, api) (rate(minio_s3_requests_total${node}[5m])) > 0.05`,
        300,
        'warning',
        `S3 through ${lb}: over 5 % of requests answered with a server error (5xx) for 5 minutes`,
        {
          when: 'over 5 % of S3 requests are answered 5xx for 5 minutes',
          description: `MinIO answers over 5 % of S3 requests with server errors (quorum lost, a node restarting); Milvus's reads and writes through ${lb} fail. nginx's own 502/504 (no MinIO node reachable) are not in these figures: MinioNodeDown covers that case.`,
          runbook: ['check the failure budget alerts and MinioNodeDown', `\`docker service logs ${lb} --since 10m\` for upstream errors`, verifyCommand(model)],
        },
      ),
    ],
  };
}

/**
 * How many more failures each cluster survives now. etcd: members answering with a leader, minus the quorum.
 * MinIO, per erasure set: the drives the set may lose (parity for reads; for writes one less when data = parity)
 * minus the drives it has lost. A node Prometheus cannot reach counts with all its drives in the set; a node that
 * answers reports its own offline drives. A node whose drives belong to several sets reports one count for all of
 * them, so each of its sets is charged up to its share (an upper bound: the budget may read lower than it is).
 */
// ~70 lines: a table — the recording rules of each cluster's budget, then the alert on it.
function failureBudgetGroup(model: ClusterModel): RuleGroup {
  const env = { environment: model.environment };
  const etcd = selector(model, JOBS.etcd);
  const node = selector(model, JOBS.minioNode);
  const cluster = selector(model, JOBS.minioCluster);
  const drivesPerPool = new Map(model.monitoring.minioNodes.map((entry) => [entry.pool, entry.drives]));
  // MinIO RELEASE.2023-03-20 reports drives per node only on its cluster endpoint, labelled server="NODE:PORT" (the
  // node endpoint has none): every node answers for all, so the largest answer per server is the node's count.
  const reported = `label_replace(max by (environment, server) (minio_node_disk_offline_total${cluster}), "node", "$1", "server", "(.+):[0-9]+")`;
  const answering = `${reported} * on (node) group_left (host, service, pool) (up${node} == 1)`;
  const unreachable = [...drivesPerPool].map(([pool, drives]) => `((up${selector(model, JOBS.minioNode, { pool: String(pool) })} == 0) * 0 + ${drives})`).join(' or ');
  const sets = model.monitoring.erasureSets;
  // The set's nodes and hosts ride along as a label, so an alert on a set names them.
  const setLabels = (set: ErasureSetModel) => ({ ...env, pool: String(set.pool), set: String(set.set), nodes: set.nodes.map((member) => `${swarmService(model, member.node)} on ${hostOf(model, member.node)}`).join(', ') });
  const setSelector = (set: ErasureSetModel) => `{environment=${promString(model.environment)},pool=${promString(String(set.pool))},set=${promString(String(set.set))}}`;
  const setName = `MinIO pool {{ $labels.pool }} erasure set {{ $labels.set }} ({{ $labels.nodes }})`;
  return {
    name: `failure-budget-${model.environment}`,
    rules: [
      record(BUDGET_METRICS.etcdAnswering, `count((up${etcd} == 1) and on (instance) (etcd_server_has_leader${etcd} == 1)) or vector(0)`, env),
      record(BUDGET_METRICS.etcdBudget, `${BUDGET_METRICS.etcdAnswering}${environmentSelector(model)} - ${model.monitoring.etcdQuorum}`, env),
      // A node that answers has the offline drives MinIO reports for it; one that does not has lost all of them.
      record(BUDGET_METRICS.nodeDrivesOffline, `(${answering}) or on (node) (${unreachable})`),
      ...sets.flatMap((set) => {
        const byCount = new Map<number, string[]>();
        for (const member of set.nodes) byCount.set(member.drives, [...(byCount.get(member.drives) ?? []), member.node]);
        const offline = [...byCount]
          .map(([drives, names]) => `clamp_max(${BUDGET_METRICS.nodeDrivesOffline}{environment=${promString(model.environment)},node=~${promString(oneOf(names))}}, ${drives})`)
          .join(' or ');
        return [
          record(BUDGET_METRICS.setDrivesOffline, `sum(${offline})`, setLabels(set)),
          record(BUDGET_METRICS.setReadBudget, `${set.readTolerance} - ${BUDGET_METRICS.setDrivesOffline}${setSelector(set)}`, setLabels(set)),
          record(BUDGET_METRICS.setWriteBudget, `${set.writeTolerance} - ${BUDGET_METRICS.setDrivesOffline}${setSelector(set)}`, setLabels(set)),
        ];
      }),
      alert(
        'EtcdFailureBudgetExhausted',
        `${BUDGET_METRICS.etcdBudget}${environmentSelector(model)} == 0`,
        60,
        'critical',
        `etcd tolerates no more member failures: one more and it loses quorum (${etcdServices(model)})`,
        {
          when: 'exactly a quorum of members answers (one more failure loses it), for 1 minute',
          description: `Exactly ${model.monitoring.etcdQuorum} of ${model.monitoring.etcdMembers.length} members answer with a leader: one more member down and etcd stops accepting writes.`,
          runbook: ['bring back the member EtcdMemberDown names before anything else', 'postpone deploys that restart etcd members', verifyCommand(model)],
        },
      ),
      ...(sets.length > 0
        ? [
            alert('MinioFailureBudgetExhausted', `${BUDGET_METRICS.setWriteBudget}${environmentSelector(model)} == 0`, 60, 'critical', `${setName} can lose no more drives: one more and writes fail`, {
              when: 'an erasure set has lost all the drives it may lose for writes, for 1 minute',
          description: "The set has lost as many drives as its parity allows for writes; reads survive one more at least. The MinIO dashboard shows each set's budget.",
              runbook: ['bring back the nodes MinioNodeDown names and the drives MinioDrivesOffline names', 'postpone deploys that restart MinIO nodes', verifyCommand(model)],
            }),
            alert('MinioWriteQuorumLost', `${BUDGET_METRICS.setWriteBudget}${environmentSelector(model)} < 0`, 30, 'critical', `${setName} has lost write quorum: uploads to it fail`, {
              when: 'an erasure set has lost more drives than writes survive, for 30 s',
          description: 'More drives of the set are offline than its parity allows for writes: Milvus cannot write segments; /minio/health/cluster answers 503.',
              runbook: ['bring back the nodes MinioNodeDown names first (their drives count for every set they hold)', verifyCommand(model), 'MinIO heals the objects written meanwhile once the drives are back'],
            }),
            alert('MinioReadQuorumLost', `${BUDGET_METRICS.setReadBudget}${environmentSelector(model)} < 0`, 30, 'critical', `${setName} has lost read quorum: its objects cannot be read`, {
              when: 'an erasure set has lost more drives than its parity, for 30 s',
          description: 'More drives of the set are offline than its parity: objects of the set cannot be read until drives come back.',
              runbook: ['bring back the nodes and drives the other alerts name; do not format or replace drives while quorum is lost', verifyCommand(model)],
            }),
          ]
        : []),
    ],
  };
}

/** `milvus_etcd1 on host-a, milvus_etcd2 on host-b, …`: the services and hosts a cluster-wide alert is about. */
const etcdServices = (model: ClusterModel) => model.monitoring.etcdMembers.map((member) => `${swarmService(model, member.member)} on ${member.host}`).join(', ');

const environmentSelector = (model: ClusterModel): string => `{environment=${promString(model.environment)}}`;

/** The drive directories of the MinIO nodes, as the hosts see them. */
const drivePaths = (model: ClusterModel) => [...new Set(model.minio.pools.flatMap((pool) => pool.nodes.flatMap((node) => node.drives.map((drive) => drive.source))))].slice(0, 4).join(', ');

const hostOf = (model: ClusterModel, node: string) => model.monitoring.minioNodes.find((entry) => entry.node === node)?.host ?? '';

function alert(name: AlertName, expr: string, forSeconds: number, severity: Severity, summary: string, text: { when: string; description: string; runbook: string[] }): AlertRule {
  return { kind: 'alert', alert: name, expr, forSeconds, severity, summary, when: text.when, description: text.description, runbook: text.runbook };
}

function record(name: string, expr: string, labels?: Record<string, string>): RecordingRule {
  return { kind: 'record', record: name, expr, ...(labels ? { labels } : {}) };
}
