// Real Prometheus 3.16.0 and Alertmanager 0.35.0 (built here, harness/prometheusBinaries.ts) watching the staging
// swarm for the drills (drills.test.ts): staging.yaml with a `monitoring:` section that runs both in the stack on the
// first manager, deployed by `milvus-swarm deploy` from a scratch copy, and a webhook receiver this process runs on
// the bridge's address, where Alertmanager delivers (its URL is the swarm secret, as an operator's chat bridge's
// would be). staging.yaml itself stays production's shape (no monitoring in the stack): only the drills, which stop
// and cut off hosts anyway, pay for Prometheus and Alertmanager. Prometheus and Alertmanager are asked over their
// published host-mode ports on that manager, as an operator's browser would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { prometheusToken } from '../../../generator/cluster/jwt.ts';
import { docker } from '../../../generator/docker/cli.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { modelEnvironment } from '../../../generator/workspace/environment.ts';
import { envFile } from '../harness/paths.ts';
import { importImages, STAGING } from '../harness/staging.ts';
import { BRIDGE_ADDRESS, nodePaths } from '../harness/swarmNodes.ts';
import { scratchRepository, type Scratch } from '../support/scratch.ts';
import { deployFromRepository, until } from '../support/stack.ts';
import { log, type Staging } from './support.ts';

export const MONITORING_HOST = 'stg-mgr1';
const TOKEN_SECRET = 'milvus_minio_metrics_token';
const WEBHOOK_SECRET = 'milvus_alertmanager_webhook_url';

/**
 * What the drills add to staging.yaml. Scrapes every 10 s (production's 15 s would do; the drills' waits are shorter),
 * Alertmanager sends 5 s after a group starts and again 10 s after it changes, so a resolved alert is delivered
 * within seconds rather than production's 5 minutes. The three alerts the drills wait for fire after 10 s of silence
 * instead of their rendered 1 minute and 30 s (monitoring.alerts, as a team that pages sooner would set it): the
 * drills prove the path from fault to webhook, and the rendered `for:` is promtool's to prove (test/monitoring).
 */
export const monitoringSection = (scrapeIntervalSeconds = 10) => `
monitoring:
  scrapeIntervalSeconds: ${scrapeIntervalSeconds}
  minioTokenSecret: ${TOKEN_SECRET}
  notifications: { groupWaitSeconds: 5, groupIntervalSeconds: 10, repeatIntervalMinutes: 60 }
  alerts: { EtcdMemberDown: { forSeconds: 10 }, MinioNodeDown: { forSeconds: 10 }, EtcdInsufficientMembers: { forSeconds: 10 } }
  prometheus: { image: prometheus:v3.16.0, host: ${MONITORING_HOST}, dataDir: /mnt/data/prometheus, port: 9092 }
  alertmanager: { image: alertmanager:v0.35.0, host: ${MONITORING_HOST}, dataDir: /mnt/data/alertmanager, port: 9093, webhookUrlSecret: ${WEBHOOK_SECRET} }
`;

export interface Delivery {
  /** performance.now() when it arrived. */
  at: number;
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface Monitored {
  scratch: Scratch;
  model: ClusterModel;
  prometheus: string;
  alertmanager: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

/** The webhook receiver: every POST body Alertmanager sends, with when it came. */
async function startWebhook(deliveries: Delivery[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        deliveries.push({ at: performance.now(), ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Delivery, 'at'>) });
      } finally {
        response.writeHead(200).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, BRIDGE_ADDRESS, resolve));
  return { url: `http://${BRIDGE_ADDRESS}:${(server.address() as AddressInfo).port}/alertmanager`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function secret(name: string, value: string): Promise<void> {
  await docker(['secret', 'rm', name], { timeoutMs: 30_000 });
  const created = await docker(['secret', 'create', name, '-'], { timeoutMs: 30_000, input: value });
  if (created.code !== 0) throw new Error(`docker secret create ${name}: ${created.stderr.trim()}`);
}

/**
 * The staging stack with Prometheus and Alertmanager, deployed from a scratch copy (the deploy's stderr is returned:
 * its failure-budget lines are asserted by the caller), every scrape target up.
 */
export async function monitoredStaging(context: Staging): Promise<{ monitored: Monitored; deployLog: string }> {
  const started = performance.now();
  const deliveries: Delivery[] = [];
  const webhook = await startWebhook(deliveries);
  const scratch = await scratchRepository();
  await scratch.edit(`environments/${STAGING}.yaml`, (text) => `${text}${monitoringSection()}`);
  await scratch.render(STAGING);
  const model = await modelOf(scratch);
  const images = await importImages(model, context.nodes);
  // A token for verify's user, as `mc admin prometheus generate` makes one (ours lives a day: longer than the drills).
  await secret(TOKEN_SECRET, prometheusToken(context.credentials.verifyUser, context.credentials.verifyPassword, Math.floor(Date.now() / 1000) + 86_400));
  await secret(WEBHOOK_SECRET, webhook.url);
  const deployed = await deployFromRepository(context.model, scratch.root, '--credentials', envFile(STAGING));
  if (deployed.code !== 0) throw new Error(`deploy with monitoring failed: ${deployed.stderr.trim().split('\n').slice(-6).join(' | ')}`);
  const manager = model.managers.find((entry) => entry.name === MONITORING_HOST)!.ip;
  const monitored: Monitored = {
    scratch,
    model,
    prometheus: `http://${manager}:9092`,
    alertmanager: `http://${manager}:9093`,
    deliveries,
    close: webhook.close,
  };
  const targets = await untilTargetsUp(monitored, 180_000);
  log(
    `monitoring: Prometheus and Alertmanager deployed on ${MONITORING_HOST} (${images.filter((report) => report.importedInto.length > 0).map((report) => report.tag).join(', ') || 'images current'}), ${targets} targets up, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { monitored, deployLog: deployed.stderr };
}

async function modelOf(scratch: Scratch): Promise<ClusterModel> {
  const loaded = modelEnvironment({ environment: STAGING, file: `environments/${STAGING}.yaml`, text: await readFile(path.join(scratch.root, 'environments', `${STAGING}.yaml`), 'utf8') });
  if (!loaded.ok) throw new Error(`the monitored staging topology is invalid: ${loaded.problems.map((problem) => problem.message).join('; ')}`);
  return loaded.model;
}

interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  health: string;
  lastError: string;
}

export async function prometheusApi<T>(monitored: Monitored, query: string): Promise<T> {
  const response = await fetch(`${monitored.prometheus}${query}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${query}: ${response.status}`);
  return ((await response.json()) as { data: T }).data;
}

/**
 * Every target the rendered configuration names answers: the etcd members, both gRPC proxy replicas (DNS), the MinIO
 * nodes twice (node and cluster metrics), Prometheus and Alertmanager. Returns how many.
 */
export async function untilTargetsUp(monitored: Monitored, timeoutMs: number): Promise<number> {
  const { model } = monitored;
  const expected = {
    etcd: model.etcd.members.length,
    'etcd-proxy': model.etcd.proxy.replicas,
    'minio-node': model.minio.pools.flatMap((pool) => pool.nodes).length,
    'minio-cluster': model.minio.pools.flatMap((pool) => pool.nodes).length,
    prometheus: 1,
    alertmanager: 1,
  };
  let last = '';
  return until(`every Prometheus target up (${JSON.stringify(expected)})`, timeoutMs, async () => {
    const { activeTargets } = await prometheusApi<{ activeTargets: Target[] }>(monitored, '/api/v1/targets?state=active');
    const byJob: Record<string, number> = {};
    for (const target of activeTargets) if (target.health === 'up') byJob[target.scrapePool] = (byJob[target.scrapePool] ?? 0) + 1;
    const down = activeTargets.filter((target) => target.health !== 'up').map((target) => `${target.scrapePool} ${target.labels.instance}: ${target.health} ${target.lastError}`);
    last = `${JSON.stringify(byJob)} ${down.join('; ')}`;
    return JSON.stringify(byJob, Object.keys(expected).sort()) === JSON.stringify(expected, Object.keys(expected).sort()) && down.length === 0 ? activeTargets.length : undefined;
  }, 3_000).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; last seen: ${last}`);
  });
}

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([name, value]) => labels[name] === value);

/** Polls Prometheus's alerts until one named so, with these labels, is firing: the alert and when it was seen. */
export async function untilFiring(monitored: Monitored, alertname: string, labels: Record<string, string>, timeoutMs: number): Promise<Alert> {
  return until(`${alertname} ${JSON.stringify(labels)} firing in Prometheus`, timeoutMs, async () => {
    const { alerts } = await prometheusApi<{ alerts: Alert[] }>(monitored, '/api/v1/alerts');
    return alerts.find((alert) => alert.state === 'firing' && matches(alert.labels, { alertname, ...labels }));
  }, 1_000);
}

/** Polls until no alert so named with these labels is pending or firing. */
export async function untilQuiet(monitored: Monitored, alertname: string, labels: Record<string, string>, timeoutMs: number): Promise<void> {
  await until(`${alertname} ${JSON.stringify(labels)} resolved in Prometheus`, timeoutMs, async () => {
    const { alerts } = await prometheusApi<{ alerts: Alert[] }>(monitored, '/api/v1/alerts');
    return alerts.some((alert) => matches(alert.labels, { alertname, ...labels })) ? undefined : true;
  }, 1_000);
}

/** Waits until the webhook received the alert with this status (firing or resolved) after `since` (performance.now()). */
export async function untilDelivered(monitored: Monitored, alertname: string, labels: Record<string, string>, status: 'firing' | 'resolved', since: number, timeoutMs: number): Promise<Delivery> {
  return until(`${alertname} ${JSON.stringify(labels)} delivered ${status} to the webhook`, timeoutMs, async () =>
    monitored.deliveries.find((delivery) => delivery.at >= since && delivery.alerts.some((alert) => alert.status === status && matches(alert.labels, { alertname, ...labels }))),
  1_000);
}

/** The Prometheus task: the same id before and after a deploy means it was not restarted. */
export async function prometheusTask(model: ClusterModel): Promise<string> {
  const result = await docker(['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', `${model.stack}_prometheus`], { timeoutMs: 15_000 });
  return result.stdout.trim();
}

/** The repository's topology again (the monitoring services removed by deploy), the secrets and data dirs gone. */
export async function removeMonitoring(monitored: Monitored, deployRepository: () => Promise<void>): Promise<void> {
  await deployRepository();
  for (const name of [TOKEN_SECRET, WEBHOOK_SECRET]) await docker(['secret', 'rm', name], { timeoutMs: 30_000 });
  for (const folder of ['prometheus', 'alertmanager']) await rm(path.join(nodePaths(STAGING, MONITORING_HOST).mnt, folder), { recursive: true, force: true });
  await monitored.close();
  await monitored.scratch.remove();
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
