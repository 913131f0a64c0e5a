// The monitoring files' contents that matter, on frozen topologies: what is scraped and with which labels, that no
// credential is rendered, the erasure sets the failure budget counts, the stack's Prometheus and Alertmanager, and
// that every metric a rule or dashboard reads is one the real targets expose (test/monitoring/fixtures, captured from
// etcd 3.5.5 and MinIO RELEASE.2023-03-20 by test/monitoring/captureScrapes.ts). promtool's own checks of the same
// files are the `monitoring` project's (test/monitoring/promtool.test.ts).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAlertmanagerConfig } from '../../generator/render/alertmanagerConfig.ts';
import { erasureSets } from '../../generator/model/monitoring.ts';
import { alertGroups, BUDGET_METRICS, durationWords, renderAlertRules } from '../../generator/render/alertRules.ts';
import { renderMonitoringReadme } from '../../generator/render/monitoringReadme.ts';
import { dashboardQueries } from '../../generator/render/dashboards.ts';
import { exposedMetrics, metricNames } from '../monitoring/support.ts';
import { parseStack, renderableTopologies, renderFile, renderFrozen } from './renderedFiles.ts';
import { readRepoFile } from './support.ts';

const recorded = new Set<string>(Object.values(BUDGET_METRICS));
/** Prometheus's own per-target series. */
const SYNTHETIC = new Set(['up']);

describe('production monitoring files (the frozen copy)', async () => {
  const production = await renderFrozen('production');
  const config = parse(production.files.get('monitoring/prometheus.yml')!);
  const jobs = Object.fromEntries(config.scrape_configs.map((job: { job_name: string }) => [job.job_name, job]));

  it('scrapes every etcd member by its service name, labelled with its host and swarm service', () => {
    expect(jobs.etcd.static_configs).toEqual([
      { targets: ['etcd1:2379'], labels: { environment: 'production', service: 'milvus_etcd1', member: 'etcd1', host: 'gp22aitppapcsve' } },
      { targets: ['etcd2:2379'], labels: { environment: 'production', service: 'milvus_etcd2', member: 'etcd2', host: 'gp22aitppap92xg' } },
      { targets: ['etcd3:2379'], labels: { environment: 'production', service: 'milvus_etcd3', member: 'etcd3', host: 'gp22aitppapch5z' } },
    ]);
  });

  it("finds every replica of the gRPC proxy through swarm's tasks.<service> name", () => {
    expect(jobs['etcd-proxy'].dns_sd_configs).toEqual([{ names: ['tasks.etcd-proxy'], type: 'A', port: 23790, refresh_interval: '30s' }]);
  });

  it("scrapes every MinIO node's node and cluster metrics with the token read from a file, never the token", () => {
    for (const [job, path] of [
      ['minio-node', '/minio/v2/metrics/node'],
      ['minio-cluster', '/minio/v2/metrics/cluster'],
    ]) {
      expect(jobs[job!].metrics_path).toBe(path);
      expect(jobs[job!].authorization).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/minio_metrics_token' });
      expect(jobs[job!].static_configs.map((group: { targets: string[] }) => group.targets[0])).toEqual(['minio1:9000', 'minio2:9000', 'minio3:9000', 'minio4:9000']);
    }
    for (const [file, text] of production.files) if (file.startsWith('monitoring/')) expect(text, file).not.toMatch(/bearer_token:|credentials:|Bearer ey/);
  });

  it('names no Alertmanager when the stack runs none, and reads the rules beside it', () => {
    expect(config.alerting).toBeUndefined();
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s', scrape_timeout: '10s' });
  });

  it("sends alerts to a webhook whose URL Alertmanager reads from a file", () => {
    const alertmanager = parse(production.files.get('monitoring/alertmanager.yml')!);
    expect(alertmanager.receivers).toEqual([{ name: 'webhook', webhook_configs: [{ url_file: '/run/secrets/alertmanager_webhook_url', send_resolved: true }] }]);
    expect(alertmanager.route.receiver).toBe('webhook');
    // Alertmanager's own defaults-as-written, and a topology's timers (monitoring.notifications) in its duration format.
    expect(alertmanager.route).toMatchObject({ group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
    const tuned = renderAlertmanagerConfig({ ...production.model, monitoring: { ...production.model.monitoring, notifications: { groupWaitSeconds: 5, groupIntervalSeconds: 90, repeatIntervalMinutes: 45 } } });
    expect(parse(tuned).route).toMatchObject({ group_wait: '5s', group_interval: '90s', repeat_interval: '45m' });
  });

  it('writes the thresholds of a 3-member cluster and one erasure set of 8 drives (EC:4)', () => {
    const rules = alertGroups(production.model).flatMap((group) => group.rules);
    const expr = (name: string) => rules.find((rule) => (rule.kind === 'alert' ? rule.alert : rule.record) === name)!.expr;
    expect(expr('EtcdInsufficientMembers')).toBe('milvus_swarm:etcd_members_answering{environment="production"} < 2');
    expect(expr(BUDGET_METRICS.etcdBudget)).toBe('milvus_swarm:etcd_members_answering{environment="production"} - 2');
    expect(rules.filter((rule) => rule.kind === 'record' && rule.record === BUDGET_METRICS.setWriteBudget).map((rule) => rule.expr)).toEqual([
      '3 - milvus_swarm:minio_erasure_set_drives_offline{environment="production",pool="1",set="1"}',
    ]);
    expect(rules.filter((rule) => rule.kind === 'record' && rule.record === BUDGET_METRICS.setReadBudget).map((rule) => rule.expr)).toEqual([
      '4 - milvus_swarm:minio_erasure_set_drives_offline{environment="production",pool="1",set="1"}',
    ]);
  });

  it('names the swarm service and host in every per-target summary, and links every alert to its runbook', () => {
    const text = production.files.get('monitoring/alerts.yml')!;
    const alerts = parse(text).groups.flatMap((group: { rules: { alert?: string; annotations?: Record<string, string> }[] }) => group.rules.filter((rule) => rule.alert));
    for (const alert of alerts) {
      expect(alert.annotations.runbook_url).toBe(`rendered/production/monitoring/README.md#${alert.alert.toLowerCase()}`);
      // Either the target's labels, or the services and hosts spelled out for a cluster-wide alert.
      expect(alert.annotations.summary, alert.alert).toMatch(/\{\{ \$labels\.service \}\}.*\{\{ \$labels\.host \}\}|milvus_\S+ on \S+|\{\{ \$labels\.nodes \}\}|milvus_etcd-proxy|milvus_minio-proxy/);
    }
    const readme = production.files.get('monitoring/README.md')!;
    for (const alert of alerts) expect(readme).toContain(`### ${alert.alert}\n`);
  });

  it("says each alert's `for:` as the last \"for …\" of its `when` (and of its summary, where that says one): what a topology's own `for:` replaces", () => {
    for (const group of alertGroups(production.model)) {
      for (const rule of group.rules) {
        if (rule.kind !== 'alert' || rule.forSeconds === 0) continue;
        expect(rule.when, rule.alert).toMatch(new RegExp(` for ${durationWords(rule.forSeconds)}$`));
        expect(rule.summary.match(/ for (\d+ s|\d+ minutes?|\d+ hours?)/g)?.at(-1) ?? ` for ${durationWords(rule.forSeconds)}`, rule.alert).toBe(` for ${durationWords(rule.forSeconds)}`);
      }
    }
  });

  it("renders a topology's own `for:` (monitoring.alerts) into the rule, its `when`, its summary and the README, and leaves the others alone", () => {
    const alertForSeconds = { EtcdMemberDown: 10, EtcdSlowFsync: 120, EtcdFailedProposals: 300, MinioWriteQuorumLost: 0 };
    const model = { ...production.model, monitoring: { ...production.model.monitoring, alertForSeconds } };
    const rules = new Map(alertGroups(model).flatMap((group) => group.rules.flatMap((rule) => (rule.kind === 'alert' ? [[rule.alert, rule] as const] : []))));
    const defaults = new Map(alertGroups(production.model).flatMap((group) => group.rules.flatMap((rule) => (rule.kind === 'alert' ? [[rule.alert, rule] as const] : []))));
    expect(rules.get('EtcdMemberDown')).toMatchObject({ forSeconds: 10, defaultForSeconds: 60, when: 'a member has not answered Prometheus for 10 s' });
    expect(rules.get('EtcdSlowFsync')).toMatchObject({ forSeconds: 120, when: "a member's WAL fsync p99 is over 0.5 s for 2 minutes" });
    expect(rules.get('EtcdSlowFsync')!.summary).toMatch(/WAL fsync p99 over 0\.5 s for 2 minutes$/);
    expect(rules.get('EtcdFailedProposals')).toMatchObject({ forSeconds: 300, when: 'a member counted more than 5 failed proposals in the last hour, for 5 minutes' });
    expect(rules.get('MinioWriteQuorumLost')).toMatchObject({ forSeconds: 0, when: 'an erasure set has lost more drives than writes survive' });
    for (const [name, rule] of defaults) if (!(name in alertForSeconds)) expect(rules.get(name), name).toEqual(rule);
    const yaml = parse(renderAlertRules(model)).groups.flatMap((group: { rules: { alert?: string; for?: string }[] }) => group.rules.filter((rule) => rule.alert));
    const forOf = (name: string) => yaml.find((rule: { alert?: string }) => rule.alert === name).for;
    expect([forOf('EtcdMemberDown'), forOf('EtcdSlowFsync'), forOf('EtcdFailedProposals'), forOf('MinioWriteQuorumLost'), forOf('MinioNodeDown')]).toEqual(['10s', '2m', '5m', undefined, '1m']);
    const readme = renderMonitoringReadme(model);
    expect(readme).toContain("**critical**, after 10 s (this environment's monitoring.alerts; 60 s by default).");
    expect(readme).toContain("**critical**, after the first evaluation (this environment's monitoring.alerts; 30 s by default).");
  });

  it("is documented: the repository README's alert table lists every alert", () => {
    const readme = readRepoFile('README.md');
    const missing = alertGroups(production.model).flatMap((group) => group.rules.flatMap((rule) => (rule.kind === 'alert' && !readme.includes(`| ${rule.alert} | ${rule.severity} |`) ? [rule.alert] : [])));
    expect(missing).toEqual([]);
  });
});

describe('every metric a query reads is one the targets expose', () => {
  const exposed = exposedMetrics();

  it('has scrapes of all four endpoints to compare with', () => {
    expect(exposed.get('etcd_server_has_leader')).toEqual(['etcd-grpc-proxy.prom', 'etcd-member.prom']);
    expect(exposed.get('etcd_grpc_proxy_cache_hits_total')).toBeDefined();
    expect(exposed.get('minio_cluster_disk_offline_total')).toBeDefined();
    expect(exposed.get('minio_s3_requests_5xx_errors_total')).toBeDefined();
    // RELEASE.2023-03-20 names drives "disk"; releases after 2023-08 say "drive" (DESIGN.md §5).
    expect(exposed.get('minio_cluster_drive_offline_total')).toBeUndefined();
  });

  it('reads metric names out of an expression, and nothing else', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, member) (rate(a_bucket{job="etcd",x=~"a|b"}[5m]))) > 1e9 and on (instance) (up == 1) or vector(0)')).toEqual(['a_bucket', 'up']);
  });

  it.each(renderableTopologies())('%s: alert rules, recording rules and dashboards', async (topologyFile) => {
    const rendered = await renderFile(topologyFile);
    const queries = [...alertGroups(rendered.model).flatMap((group) => group.rules.map((rule) => rule.expr)), ...dashboardQueries(rendered.model)];
    const unknown = [...new Set(queries.flatMap(metricNames))].filter((name) => !exposed.has(name) && !recorded.has(name) && !SYNTHETIC.has(name));
    expect(unknown).toEqual([]);
    expect(queries.length).toBeGreaterThan(40);
  });
});

describe('dashboards', async () => {
  const production = await renderFrozen('production');
  it.each(['monitoring/dashboard-etcd.json', 'monitoring/dashboard-minio.json'])('%s parses, and every panel asks the chosen Prometheus', (file) => {
    const dashboard = JSON.parse(production.files.get(file)!);
    expect(dashboard.uid).toMatch(/^milvus-swarm-production-(etcd|minio)$/);
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) expect(target.expr).toContain('environment="production"');
    }
  });
  it('shows the failure budget first, red at 0', () => {
    const minio = JSON.parse(production.files.get('monitoring/dashboard-minio.json')!);
    expect(minio.panels[0]).toMatchObject({ title: 'Failure budget: writes', type: 'stat', gridPos: { x: 0, y: 0 } });
    expect(minio.panels[0].fieldConfig.defaults.thresholds.steps).toEqual([
      { color: 'red', value: null },
      { color: 'green', value: 1 },
    ]);
  });
});

describe('erasure sets, as MinIO lays them out', () => {
  const pool = (nodes: number, drives: number) => ({
    nodes: Array.from({ length: nodes }, (_, index) => ({ name: `minio${index + 1}`, drives: Array.from({ length: drives }, (__, drive) => ({ source: `/d${drive}`, target: `/data${drive}` })) })),
    serverArgument: '',
    drivesPerNode: drives,
  });
  it('spans every node when a set is at least as large as the pool (4 × 2: one set of 8, two drives each)', () => {
    expect(erasureSets(pool(4, 2), 1)).toEqual([
      { pool: 1, set: 1, drives: 8, parity: 4, readTolerance: 4, writeTolerance: 3, nodes: [1, 2, 3, 4].map((n) => ({ node: `minio${n}`, drives: 2 })) },
    ]);
  });
  it('takes consecutive nodes when the pool has more nodes than a set (32 × 1: two sets of 16)', () => {
    const sets = erasureSets(pool(32, 1), 2);
    expect(sets.map((set) => [set.pool, set.set, set.drives, set.nodes[0]!.node, set.nodes.at(-1)!.node, set.nodes.length])).toEqual([
      [2, 1, 16, 'minio1', 'minio16', 16],
      [2, 2, 16, 'minio17', 'minio32', 16],
    ]);
    expect(sets[0]!.writeTolerance).toBe(4);
  });
  it('gives each node one drive in each of several sets (8 × 4: two sets of 16)', () => {
    const sets = erasureSets(pool(8, 4), 1);
    expect(sets.map((set) => set.nodes.map((node) => node.drives))).toEqual([Array(8).fill(2), Array(8).fill(2)]);
  });
});

describe('the stack runs Prometheus and Alertmanager when the topology says so (fixture monitoring.yaml)', async () => {
  const rendered = await renderFile('test/fixtures/topologies/monitoring.yaml');
  const stack = parseStack(rendered);

  it('pins each to its manager with its data dir and host-mode port, reading its files from the data dir (no swarm configs: a reload, not a restart)', () => {
    expect(stack.services.prometheus.deploy.placement.constraints).toEqual(['node.hostname == stg-mgr2']);
    expect(stack.services.prometheus.volumes).toEqual([{ type: 'bind', source: '/mnt/data/prometheus', target: '/prometheus' }]);
    expect(stack.services.prometheus.ports).toEqual([{ target: 9090, published: 9092, protocol: 'tcp', mode: 'host' }]);
    expect(stack.services.prometheus.command).toEqual([
      '--config.file=/prometheus/config/prometheus.yml',
      '--storage.tsdb.path=/prometheus/data',
      '--storage.tsdb.retention.time=15d',
      '--web.listen-address=:9090',
      '--web.enable-lifecycle',
    ]);
    expect(stack.services.alertmanager.deploy.placement.constraints).toEqual(['node.hostname == stg-mgr3']);
    expect(stack.services.alertmanager.command).toContain('--config.file=/alertmanager/config/alertmanager.yml');
    expect(stack.services.prometheus.configs).toBeUndefined();
    expect(stack.services.alertmanager.configs).toBeUndefined();
    expect(Object.keys(stack.configs)).toEqual(['nginx_conf']);
  });

  it('mounts the token and the webhook URL from external secrets, and Prometheus sends alerts to the stack\'s Alertmanager', () => {
    expect(stack.services.prometheus.secrets).toEqual([{ source: 'minio_metrics_token', target: '/run/secrets/minio_metrics_token', mode: 0o400 }]);
    expect(stack.services.alertmanager.secrets).toEqual([{ source: 'alertmanager_webhook_url', target: 'alertmanager_webhook_url', mode: 0o400 }]);
    expect(stack.secrets.minio_metrics_token).toEqual({ external: true, name: 'milvus_minio_metrics_token' });
    expect(stack.secrets.alertmanager_webhook_url).toEqual({ external: true, name: 'milvus_alertmanager_webhook_url' });
    expect(parse(rendered.files.get('monitoring/prometheus.yml')!).alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['alertmanager:9093'] }] }] });
  });

  it('creates their secrets from variables and their data dirs on the managers', () => {
    const script = rendered.files.get('create-secrets.sh')!;
    expect(script).toContain("ensure_secret 'milvus_minio_metrics_token' MINIO_METRICS_TOKEN");
    expect(script).toContain("ensure_secret 'milvus_alertmanager_webhook_url' ALERTMANAGER_WEBHOOK_URL");
    expect(rendered.model.hostPreparation.filter((entry) => entry.host?.startsWith('stg-mgr'))).toEqual([
      { host: 'stg-mgr2', ip: '10.77.0.12', directories: [{ path: '/mnt/data/prometheus', mode: '0755', owner: 'Prometheus' }] },
      { host: 'stg-mgr3', ip: '10.77.0.13', directories: [{ path: '/mnt/data/alertmanager', mode: '0755', owner: 'Alertmanager' }] },
    ]);
  });

  it('links the alerts to the repository\'s web pages', () => {
    expect(rendered.files.get('monitoring/alerts.yml')).toContain('runbook_url: https://github.com/example/milvus-swarm/blob/main/rendered/monitoring/monitoring/README.md#etcdmemberdown');
  });
});
