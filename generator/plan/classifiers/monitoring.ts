// Monitoring (`monitoring:`): Prometheus and Alertmanager in the stack, their secrets and settings, and what the
// rendered monitoring files scrape and alert on. Nothing here touches etcd or MinIO: the worst a change does is lose
// metric history (a Prometheus moved to another manager or data dir starts empty) or page nobody (a missing secret).
// Registered in the checklist as one item (monitoringChecklist) covering every field of the section.
import type { ClusterModel } from '../../model/types.ts';
import { renderAlertRules } from '../../render/alertRules.ts';
import { renderPrometheusConfig } from '../../render/prometheusConfig.ts';
import { DEFAULT_MONITORING, type MonitoringSettings } from '../../topology/schema.ts';
import { care, changeId, safe, type Change } from '../change.ts';
import type { ChecklistItem, Classifier, Comparison } from '../comparison.ts';
import { code, deploy, swarmService, verify } from '../runbook.ts';

type ServiceName = 'prometheus' | 'alertmanager';
const WHAT: Record<ServiceName, string> = { prometheus: 'Prometheus', alertmanager: 'Alertmanager' };

const settings = (side: Comparison['before']): MonitoringSettings => side.topology.monitoring ?? DEFAULT_MONITORING;

const createSecret = (environment: string, name: string, variable: string) =>
  `create the swarm secret ${code(name)} on a manager (${code(`rendered/${environment}/create-secrets.sh`)} with ${code(variable)} set, or ${code(`docker secret create ${name} -`)})`;

/** A monitoring service added, removed, moved to another manager or data dir, or re-imaged, re-ported, re-kept. */
const serviceChanges =
  (name: ServiceName): Classifier =>
  ({ environment, before, after }) => {
    const [from, to] = [settings(before)[name], settings(after)[name]];
    const what = WHAT[name];
    const service = swarmService(after.model, name);
    const secretStep = (side: MonitoringSettings) =>
      name === 'prometheus'
        ? createSecret(environment, side.minioTokenSecret, 'MINIO_METRICS_TOKEN')
        : createSecret(environment, side.alertmanager!.webhookUrlSecret, 'ALERTMANAGER_WEBHOOK_URL');
    if (!from && !to) return [];
    if (!from && to) {
      return [
        care(changeId(`${name}-add`, to.host ?? environment), `${what} runs in the stack${to.host ? ` on ${to.host}` : ''}`, `deploy starts ${service} with its data in ${to.dataDir}, port ${to.port}; its secret must exist first`, [
          secretStep(settings(after)),
          `${deploy(environment)}: it creates ${to.dataDir} and starts ${service}`,
          `open port ${to.port} on ${to.host ?? 'the node'} and check its targets (Status → Targets), then ${verify(environment)}`,
        ]),
      ];
    }
    if (from && !to) {
      const service = swarmService(before.model, name);
      return [
        care(changeId(`${name}-remove`, from.host ?? environment), `${what} no longer runs in the stack`, `${service} leaves the stack file; its data in ${from.dataDir}${from.host ? ` on ${from.host}` : ''} stays until removed by hand`, [
          `${deploy(environment)}, then ${code(`docker service rm ${service}`)} if it still runs`,
          `delete ${from.dataDir}${from.host ? ` on ${from.host}` : ''} when its history is no longer wanted`,
        ]),
      ];
    }
    const [was, is] = [from!, to!];
    const changes: Change[] = [];
    if (was.host !== is.host || was.dataDir !== is.dataDir) {
      changes.push(
        care(changeId(`${name}-move`, was.host ?? environment), `${what} ${was.host ?? '(any node)'}:${was.dataDir} → ${is.host ?? '(any node)'}:${is.dataDir}`, `${service} restarts on the new place with an empty data dir: its history stays behind`, [
          `to keep the history, stop ${service} (${code(`docker service scale ${service}=0`)}) and copy ${was.dataDir} to ${is.dataDir} on ${is.host ?? 'the node'} first`,
          deploy(environment),
        ]),
      );
    }
    if (was.port !== is.port) {
      changes.push(care(changeId(`${name}-port`, was.port), `${what} port ${was.port} → ${is.port}`, `bookmarks, a Grafana data source or a federation that uses port ${was.port} stop reaching ${service}`, [deploy(environment), `point what uses port ${was.port} at ${is.port}`]));
    }
    if (was.image !== is.image) changes.push(safe(changeId(`${name}-image`, is.image), `${what} image ${was.image} → ${is.image}`, `${service} restarts on the new image with its data dir; alerts pause while it restarts`));
    if (name === 'prometheus' && 'retentionDays' in was && 'retentionDays' in is && was.retentionDays !== is.retentionDays) {
      changes.push(safe(changeId('prometheus-retention', was.retentionDays), `Prometheus keeps ${was.retentionDays} → ${is.retentionDays} days`, `${service} restarts; ${is.retentionDays < was.retentionDays ? 'samples older than the new retention are deleted' : 'older samples are kept from now on'}`));
    }
    if ('webhookUrlSecret' in was && 'webhookUrlSecret' in is && was.webhookUrlSecret !== is.webhookUrlSecret) {
      changes.push(care(changeId('alertmanager-webhook-secret', was.webhookUrlSecret), `Alertmanager's webhook URL from secret ${was.webhookUrlSecret} → ${is.webhookUrlSecret}`, 'deploy refuses to start until the new secret exists', [secretStep(settings(after)), deploy(environment)]));
    }
    return changes;
  };

export const prometheusChanged: Classifier = serviceChanges('prometheus');
export const alertmanagerChanged: Classifier = serviceChanges('alertmanager');

/** The token's secret and file, the scrape interval and the runbook links: the files change, the clusters do not. */
export const monitoringSettingsChanged: Classifier = ({ environment, before, after }) => {
  const [was, is] = [settings(before), settings(after)];
  const changes: Change[] = [];
  const inStack = is.prometheus !== undefined;
  if (was.minioTokenSecret !== is.minioTokenSecret && inStack) {
    changes.push(care(changeId('minio-metrics-token-secret', was.minioTokenSecret), `MinIO's metrics token from secret ${was.minioTokenSecret} → ${is.minioTokenSecret}`, 'deploy refuses to start until the new secret exists', [createSecret(environment, is.minioTokenSecret, 'MINIO_METRICS_TOKEN'), deploy(environment)]));
  }
  if (was.minioTokenFile !== is.minioTokenFile) {
    changes.push(
      inStack
        ? safe(changeId('minio-metrics-token-file', was.minioTokenFile), `MinIO's metrics token read from ${is.minioTokenFile}`, 'the stack mounts the secret at the new path; Prometheus restarts')
        : care(changeId('minio-metrics-token-file', was.minioTokenFile), `MinIO's metrics token read from ${is.minioTokenFile}`, 'the Prometheus you run reads the token from the new path: until the file is there, every MinIO target is down', [`put the token in ${is.minioTokenFile} on your Prometheus, then load the new rendered/${environment}/monitoring/prometheus.yml`]),
    );
  }
  if (was.scrapeIntervalSeconds !== is.scrapeIntervalSeconds) {
    changes.push(safe(changeId('scrape-interval', was.scrapeIntervalSeconds), `scrape and rule interval ${was.scrapeIntervalSeconds} s → ${is.scrapeIntervalSeconds} s`, 'alerts fire correspondingly sooner or later; Prometheus reloads its files, nothing restarts'));
  }
  const [timersWere, timersAre] = [was.notifications, is.notifications];
  if (JSON.stringify(timersWere) !== JSON.stringify(timersAre)) {
    const describeTimers = (timers: MonitoringSettings['notifications']) => `wait ${timers.groupWaitSeconds} s, interval ${timers.groupIntervalSeconds} s, repeat ${timers.repeatIntervalMinutes} min`;
    changes.push(
      safe(changeId('notification-timers', environment), `Alertmanager's timers ${describeTimers(timersWere)} → ${describeTimers(timersAre)}`, is.alertmanager ? "only alertmanager.yml changes: deploy writes it and Alertmanager reloads it, nothing restarts" : 'only alertmanager.yml changes: load it into the Alertmanager you run'),
    );
  }
  for (const name of [...new Set([...Object.keys(was.alerts), ...Object.keys(is.alerts)])].sort()) {
    const [from, to] = [was.alerts[name]?.forSeconds, is.alerts[name]?.forSeconds];
    if (from === to) continue;
    const said = (seconds: number | undefined) => (seconds === undefined ? 'its default' : `${seconds} s`);
    changes.push(safe(changeId('alert-for', name), `${name} fires after ${said(from)} → ${said(to)}`, `only alerts.yml changes: ${is.prometheus ? 'deploy writes it and Prometheus reloads it, nothing restarts' : 'load it into the Prometheus you run'}`));
  }
  if (was.runbookBaseUrl !== is.runbookBaseUrl) {
    changes.push(safe(changeId('runbook-url', environment), `alerts' runbook links ${was.runbookBaseUrl ?? '(repository paths)'} → ${is.runbookBaseUrl ?? '(repository paths)'}`, 'only the alerts\' annotations change'));
  }
  return changes;
};

/**
 * The scrape targets and rules follow the clusters: a member or node added, removed, renamed or moved changes what
 * Prometheus scrapes and what the alerts say, in the same pull request. Shown whatever the topology change was, for a
 * topology with a monitoring section (without one the files are rendered all the same, for whoever uses them, and
 * the rendered/ diff shows them).
 */
export const monitoringFilesChanged: Classifier = ({ before, after }) => {
  if (!after.topology.monitoring) return [];
  const files = (model: ClusterModel) => ({ config: renderPrometheusConfig(withoutSource(model)), rules: renderAlertRules(withoutSource(model)) });
  const [was, is] = [files(before.model), files(after.model)];
  const changed = [...(was.config !== is.config ? ['prometheus.yml'] : []), ...(was.rules !== is.rules ? ['alerts.yml'] : [])];
  if (changed.length === 0) return [];
  const reload = after.model.monitoring.prometheus
    ? `deploy writes them into ${swarmService(after.model, 'prometheus')}'s data dir and reloads it (POST /-/reload): nothing restarts`
    : `copy them to the Prometheus you run and reload it (${code('curl -X POST http://PROMETHEUS:9090/-/reload')} with --web.enable-lifecycle)`;
  return [safe(changeId('monitoring-files', after.model.stack), `monitoring files change: ${changed.join(', ')}`, `what Prometheus scrapes or alerts on follows the clusters: ${reload}`)];
};

/** The generated header names the topology file, which is the same on both sides of a plan but not in every test. */
const withoutSource = (model: ClusterModel): ClusterModel => ({ ...model, source: 'topology' });

const SERVICE_FIELDS = (name: ServiceName) => [`monitoring.${name}`];

/** The checklist's entries for the monitoring section, in the order a reviewer reads them. */
export const monitoringChecklist: readonly ChecklistItem[] = [
  { classify: prometheusChanged, fields: SERVICE_FIELDS('prometheus') },
  { classify: alertmanagerChanged, fields: SERVICE_FIELDS('alertmanager') },
  { classify: monitoringSettingsChanged, fields: ['monitoring.minioTokenSecret', 'monitoring.minioTokenFile', 'monitoring.scrapeIntervalSeconds', 'monitoring.runbookBaseUrl', 'monitoring.notifications', 'monitoring.alerts'] },
  { classify: monitoringFilesChanged, fields: [] },
];
