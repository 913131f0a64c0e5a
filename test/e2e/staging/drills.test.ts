// Issue 14's drills on the staging swarm, with real faults: a host's engine stopped (the machine is down), a host's
// link cut (a network partition), a manager stopped. Nothing is faked and nothing is scaled by hand. The file leaves
// the swarm as it found it: every host up and linked, the repository's stack deployed and ready.
// Issue 25 watches the same faults: the stack runs Prometheus and Alertmanager (built here) for this file
// (monitoring.ts), and each drill checks the alert Prometheus fires and Alertmanager delivers to a webhook this
// process runs — an etcd host's and a MinIO host's engines stopped (member down, node down), two etcd hosts cut off
// (quorum lost), all resolved when they come back, each time measured and printed — and the failure budget verify
// prints, which drops by one etcd member and two MinIO drives and comes back.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerOk } from '../support/docker.ts';
import { nodeAction, STAGING } from '../harness/staging.ts';
import { isIsolated } from '../harness/swarmNodes.ts';
import { streamToBuffer, within } from '../support/clients.ts';
import { scratchRepository } from '../support/scratch.ts';
import { deployFromRepository, swarmSnapshot, until } from '../support/stack.ts';
import type { VerifyRun } from '../support/cli.ts';
import { clean, endpoints, etcdThrough, log, nodesRunning, notPassing, ready, s3Client, staging, untilNode, verifyStaging, verifyUntil, type Staging } from './support.ts';
import {
  MONITORING_HOST,
  monitoredStaging,
  monitoringSection,
  prometheusApi,
  prometheusTask,
  removeMonitoring,
  seconds,
  untilDelivered,
  untilFiring,
  untilQuiet,
  untilTargetsUp,
  type Monitored,
} from './monitoring.ts';

let context: Staging;
let monitored: Monitored | undefined;
/** The monitored deploy's stderr: its failure-budget lines. */
let monitoredDeployLog = '';

/** verify as the operator of the monitored topology runs it (from its repository: it judges what that deployed). */
const verifyHere = () => verifyStaging({ cwd: monitored!.scratch.root });
const verifyHereUntil = (what: string, done: (run: VerifyRun) => boolean, timeoutMs?: number) => verifyUntil(what, done, timeoutMs, { cwd: monitored!.scratch.root });

/** The failure-budget rows as `status reason`. */
const budget = (run: VerifyRun) => Object.fromEntries(run.rows.filter((row) => row.check.startsWith('failure budget')).map((row) => [row.check, `${row.status} ${row.reason}`]));
const HEALTHY_BUDGET = {
  'failure budget: etcd': 'pass etcd: 3 voting members, 3 answer, tolerates 1 more',
  'failure budget: minio': 'pass MinIO pool 1 set 1: 8 drives, parity 4, 8 online — reads survive 4 more, writes 3 more',
};
/** Hosts a drill stopped or cut off and has not yet brought back: afterAll brings them back whatever failed. */
const stopped = new Set<string>();
const isolated = new Set<string>();

beforeAll(async () => {
  context = await staging();
  await ready(context);
  const up = await monitoredStaging(context);
  monitored = up.monitored;
  monitoredDeployLog = up.deployLog;
});

afterAll(async () => {
  for (const host of isolated) await nodeAction('rejoin', host);
  for (const host of stopped) await nodeAction('start', host);
  for (const host of [...isolated, ...stopped]) await untilNode(host, 'ready', 120_000);
  if (isolated.size + stopped.size > 0) await restore();
  // The repository's topology, unless the last test brought it back already.
  if (monitored) await removeMonitoring(monitored, () => deployRepository());
});

/** The monitored topology again (every drill's faults undone): what this file runs between drills. */
async function restore(): Promise<void> {
  const deployed = await deployFromRepository(context.model, monitored?.scratch.root);
  if (deployed.code !== 0) throw new Error(`restoring staging failed: ${deployed.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  await ready(context);
}

async function deployRepository(): Promise<void> {
  const deployed = await deployFromRepository(context.model);
  if (deployed.code !== 0) throw new Error(`deploying the repository's staging topology failed: ${deployed.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  await ready(context);
}

/** Stops the host's engine; returns when it was stopped (performance.now()), once swarm sees the node down. */
async function stop(host: string): Promise<number> {
  stopped.add(host);
  log(await nodeAction('stop', host));
  const at = performance.now();
  await untilNode(host, 'down', 90_000);
  return at;
}

async function start(host: string): Promise<number> {
  log(await nodeAction('start', host));
  const at = performance.now();
  stopped.delete(host);
  await untilNode(host, 'ready', 120_000);
  return at;
}

/** Waits for an alert to fire (within `withinMs` of the fault) and reach the webhook; logs both times. */
async function expectAlert(alertname: string, labels: Record<string, string>, faultAt: number, withinMs: number) {
  const alert = await untilFiring(monitored!, alertname, labels, Math.max(1_000, faultAt + withinMs - performance.now()));
  const firedMs = performance.now() - faultAt;
  const delivered = await untilDelivered(monitored!, alertname, labels, 'firing', faultAt, 120_000);
  log(`alert ${alertname} ${JSON.stringify(labels)}: firing in Prometheus ${seconds(firedMs)} after the fault, delivered to the webhook after ${seconds(delivered.at - faultAt)}`);
  return alert;
}

/** One write through nginx, timed: the figure an operator waits for when a MinIO host has just died. */
async function timedPut(key: string): Promise<{ ms: number; error?: string }> {
  const client = s3Client(context, (await endpoints(context)).s3);
  const started = performance.now();
  try {
    await within(30_000, `put ${key}`, client.putObject(context.model.milvus.bucketName, key, randomBytes(64 * 1024)));
    return { ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
}

async function expectResolved(alertname: string, labels: Record<string, string>, repairedAt: number) {
  await untilQuiet(monitored!, alertname, labels, 180_000);
  const quietMs = performance.now() - repairedAt;
  const delivered = await untilDelivered(monitored!, alertname, labels, 'resolved', repairedAt, 120_000);
  log(`alert ${alertname} ${JSON.stringify(labels)}: resolved in Prometheus ${seconds(quietMs)} after the repair, delivered resolved after ${seconds(delivered.at - repairedAt)}`);
}

describe('monitoring: Prometheus and Alertmanager in the stack, watching it', () => {
  it('deploy added them and printed the failure budget before and after, from what etcd and MinIO report', () => {
    const line = `${HEALTHY_BUDGET['failure budget: etcd'].slice(5)}; ${HEALTHY_BUDGET['failure budget: minio'].slice(5)}`;
    expect(monitoredDeployLog).toContain(`failure budget before: ${line}\n`);
    expect(monitoredDeployLog).toContain(`failure budget after: ${line}\n`);
    expect(monitoredDeployLog).toMatch(new RegExp(`^prometheus's files on ${MONITORING_HOST}: prometheus\\.yml, alerts\\.yml written$`, 'm'));
  });

  it('every target is up: the members, both etcd proxies, each MinIO node twice, Prometheus, Alertmanager', async () => {
    expect(await untilTargetsUp(monitored!, 60_000)).toBe(3 + 2 + 4 + 4 + 1 + 1);
  });

  it('verify prints the failure budget', async () => {
    expect(budget(await verifyHereUntil('verify clean with monitoring', clean))).toEqual(HEALTHY_BUDGET);
  });
});


describe('drill: a MinIO host and an etcd host down (their engines stopped)', () => {
  const host = 'stg-minio3';
  const etcdHost = 'stg-etcd1';
  let minioStoppedAt = 0;
  let etcdStoppedAt = 0;
  let startedAt = 0;
  let firstWrite: { ms: number; error?: string } | undefined;
  beforeAll(async () => {
    // The first write right after the MinIO host's engine stopped, before swarm even marks the node down: MinIO's
    // peers still dial the dead node's address, and nginx may still pick it.
    stopped.add(host);
    log(await nodeAction('stop', host));
    minioStoppedAt = performance.now();
    firstWrite = await timedPut(`milvus-swarm-e2e/staging-drill/first-write-${randomBytes(4).toString('hex')}`);
    log(`first write through nginx after ${host} stopped: ${firstWrite.error ? `failed after ${firstWrite.ms} ms: ${firstWrite.error}` : `answered in ${firstWrite.ms} ms`}`);
    // An etcd host too: one outage, two faults (MinIO and etcd), and one wait for swarm to mark them down.
    stopped.add(etcdHost);
    log(await nodeAction('stop', etcdHost));
    etcdStoppedAt = performance.now();
    await Promise.all([untilNode(host, 'down', 90_000), untilNode(etcdHost, 'down', 90_000)]);
  });

  it('the first write through nginx after the host stopped succeeds (its time is printed against the 5 s target)', () => {
    // A figure, not a timed assertion: it depends on where the node is in its shutdown (9.2–11.2 s before the stack
    // network's neighbour settings, 0.01–2.1 s after: model/proxyNetwork.ts), and speed targets belong in the printed
    // figures (test/README.md), not in a test that fails under load.
    expect(firstWrite?.error, `the first write after ${host} stopped failed after ${firstWrite?.ms} ms`).toBeUndefined();
    log(`first write after ${host} stopped: ${firstWrite!.ms} ms (target ≤ 5,000 ms: ${firstWrite!.ms <= 5_000 ? 'met' : 'MISSED'})`);
  });

  it('deploy refuses in preflight, naming the host, and changes nothing', async () => {
    // Preflight, not a partial deploy: MinIO restarts every node together when its command line changes, and a node
    // that cannot start is a pool without one of its drives' owners; the operator decides (start it, or move it).
    const before = await swarmSnapshot(context.model);
    const deployed = await deployFromRepository(context.model, monitored!.scratch.root);
    expect(deployed.code, deployed.stderr).toBe(1);
    expect(deployed.stderr).toMatch(new RegExp(`error: host ${host} \\(minio3\\): node ${host} is Down: start its Docker engine or fix its network, then deploy again`));
    expect(deployed.stderr).toMatch(/deploy staging: failed in preflight, nothing was changed/);
    expect(await swarmSnapshot(context.model)).toEqual(before);
  });

  it('writes through nginx keep succeeding', async () => {
    const client = s3Client(context, (await endpoints(context)).s3);
    const bucket = context.model.milvus.bucketName;
    const prefix = `milvus-swarm-e2e/staging-drill/${randomBytes(4).toString('hex')}`;
    const bodies = Array.from({ length: 8 }, () => randomBytes(512 * 1024));
    for (const [index, body] of bodies.entries()) await within(20_000, `put ${index}`, client.putObject(bucket, `${prefix}/${index}`, body));
    for (const [index, body] of bodies.entries()) {
      const read = await streamToBuffer(await within(20_000, `get ${index}`, client.getObject(bucket, `${prefix}/${index}`)));
      expect(read.equals(body)).toBe(true);
    }
    for (const index of bodies.keys()) await within(20_000, `remove ${index}`, client.removeObject(bucket, `${prefix}/${index}`));
  });

  it('verify passes, with a warning that names the host', async () => {
    const run = await verifyHere();
    expect(run.rows.filter((row) => row.status === 'fail').map((row) => `${row.check}: ${row.reason}`)).toEqual([]);
    expect(run.code).toBe(0);
    const warned = run.rows.filter((row) => row.status === 'warn' && row.reason.includes(host));
    expect(warned.map((row) => row.check)).toContain('swarm: services');
    expect(warned.find((row) => row.check === 'swarm: services')!.reason).toMatch(new RegExp(`minio3 [01]/1 running on host ${host} \\(node Down\\)`));
  });

  it('the failure budget verify prints drops by one etcd member and by two MinIO drives', async () => {
    // MinIO's storageinfo waits on the stopped node until its peer call gives up: verify again until it counts.
    const run = await verifyHereUntil('verify counts the failure budget with both hosts down', (candidate) => Object.values(budget(candidate)).every((text) => !text.includes('not counted')), 120_000);
    expect(budget(run)).toEqual({
      'failure budget: etcd': `warn etcd: 3 voting members, 2 answer (not etcd1 on host ${etcdHost}), tolerates no more: one more member down loses quorum — bring the silent members back before another fails`,
      'failure budget: minio': `warn MinIO pool 1 set 1: 8 drives, parity 4, 6 online (offline on minio3 on host ${host}) — reads survive 2 more, writes 1 more — bring the offline drives back before more fail`,
    });
  });

  it('Prometheus fires the member-down and node-down alerts naming member, node and host within 2 minutes; Alertmanager delivers each to the webhook', async () => {
    const member = await expectAlert('EtcdMemberDown', { member: 'etcd1', host: etcdHost }, etcdStoppedAt, 120_000);
    expect(member.annotations.summary).toBe(`etcd member etcd1 (milvus_etcd1) on host ${etcdHost} does not answer`);
    const node = await expectAlert('MinioNodeDown', { node: 'minio3', host }, minioStoppedAt, 120_000);
    expect(node.annotations.summary).toBe(`MinIO node minio3 (milvus_minio3) on host ${host} does not answer`);
    expect(node.annotations.runbook_url).toBe('rendered/staging/monitoring/README.md#minionodedown');
  });

  it('started again (deploy restarts the load balancer, whose MinIO addresses went stale: dnsrr), verify is clean, the budget back', async () => {
    const times = await Promise.all([start(host), start(etcdHost)]);
    startedAt = Math.max(...times);
    await until('minio3 running on its host again', 120_000, async () => ((await nodesRunning(context.model, 'minio3')).includes(host) ? true : undefined), 2_000);
    await restore();
    const run = await verifyHereUntil('verify clean after the MinIO and etcd hosts came back', clean);
    expect(budget(run)).toEqual(HEALTHY_BUDGET);
  });

  it('the alerts resolve, and Alertmanager delivers them resolved', async () => {
    await expectResolved('EtcdMemberDown', { member: 'etcd1', host: etcdHost }, startedAt);
    await expectResolved('MinioNodeDown', { node: 'minio3', host }, startedAt);
  });
});

describe('drill: etcd hosts cut off (a network partition)', () => {
  let quorumLostAt = 0;
  it('one isolated: quorum holds; the proxies drop the dead member within seconds, then every read and write succeeds; verify warns naming it', async () => {
    isolated.add('stg-etcd2');
    await nodeAction('isolate', 'stg-etcd2');
    expect(await isIsolated(STAGING, 'stg-etcd2')).toBe(true);
    const client = etcdThrough((await endpoints(context)).etcdProxy);
    const roundTrip = async (key: string, value: string) => {
      await within(8_000, `put ${key}`, client.put(key).value(value).exec());
      return within(8_000, `get ${key}`, client.get(key).string());
    };
    try {
      // Requests the proxy routes over its connection to the cut-off member hang until the kernel gives that
      // connection up (tcp_retries2 = 5: about 13 s, model/proxyNetwork.ts); round robin then skips the member.
      const started = performance.now();
      let failed = 0;
      let streak = 0;
      while (streak < 5) {
        if (performance.now() - started > 60_000) throw new Error(`the etcd proxy still fails requests 60 s after the partition (${failed} failed)`);
        const ok = await roundTrip('milvus-swarm-e2e/partition/settle', String(streak)).then((value) => value === String(streak), () => false);
        streak = ok ? streak + 1 : 0;
        if (!ok) failed++;
      }
      log(`one etcd host cut off: the proxy served five round trips in a row after ${((performance.now() - started) / 1000).toFixed(1)} s, ${failed} requests failed meanwhile`);
      for (let index = 0; index < 20; index++) expect(await roundTrip(`milvus-swarm-e2e/partition/${index}`, String(index))).toBe(String(index));
      await within(8_000, 'delete', client.delete().prefix('milvus-swarm-e2e/partition/').exec());
    } finally {
      client.close();
    }
    const run = await verifyHereUntil('verify names the cut-off member', (candidate) => candidate.rows.some((row) => row.status === 'warn' && /etcd2 on host stg-etcd2/.test(row.reason)), 60_000);
    expect(run.rows.filter((row) => row.status === 'fail').map((row) => `${row.check}: ${row.reason}`)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('two isolated: verify fails within 20 s, naming both', async () => {
    isolated.add('stg-etcd3');
    await nodeAction('isolate', 'stg-etcd3');
    quorumLostAt = performance.now();
    const run = await verifyHere();
    log(`verify with two etcd hosts cut off: exit ${run.code} in ${(run.wallMs / 1000).toFixed(1)} s (verify's own ${(run.elapsedMs / 1000).toFixed(1)} s)`);
    expect(run.code).toBe(1);
    // verify's own time, which its deadlines bound (VERIFY_BUDGET_MS, 18 s): a check that hung past its deadline
    // fails this. Not the process's wall time: under load, starting node and tsx alone took 15 s once (25.4 s wall,
    // verify's own 10.0 s).
    expect(run.elapsedMs).toBeLessThan(20_000);
    const failed = run.rows.filter((row) => row.status === 'fail');
    expect(failed.some((row) => /etcd2 on host stg-etcd2/.test(row.reason) && /etcd3 on host stg-etcd3/.test(row.reason)), failed.map((row) => `${row.check}: ${row.reason}`).join(' || ')).toBe(true);
  });

  it('two isolated: the quorum alert fires and reaches the webhook', async () => {
    const alert = await expectAlert('EtcdInsufficientMembers', {}, quorumLostAt, 150_000);
    expect(alert.annotations.summary).toMatch(/^etcd has lost quorum: [01] of 3 members answer with a leader, 2 needed \(milvus_etcd1 on stg-etcd1, milvus_etcd2 on stg-etcd2, milvus_etcd3 on stg-etcd3\)$/);
  });

  it('rejoined: verify is green again without a deploy; the quorum alert resolves', async () => {
    for (const host of ['stg-etcd2', 'stg-etcd3']) {
      await nodeAction('rejoin', host);
      isolated.delete(host);
    }
    const rejoinedAt = performance.now();
    await verifyHereUntil('verify clean after the partition healed', clean, 180_000);
    await expectResolved('EtcdInsufficientMembers', {}, rejoinedAt);
  });
});

describe('drill: a manager down', () => {
  let victim = '';
  afterAll(async () => {
    if (victim && stopped.has(victim)) await start(victim);
  });

  it('a changed nginx template and scrape interval still deploy and converge; the proxies on the other managers serve; Prometheus reloads without a restart', async () => {
    const leader = context.model.managers[0]!.name!;
    const running = await nodesRunning(context.model, context.model.minio.proxy.name);
    victim = running.find((node) => node !== leader) ?? context.model.managers.map((manager) => manager.name!).find((name) => name !== leader)!;
    await stop(victim);
    const changed = await scratchRepository();
    const task = await prometheusTask(monitored!.model);
    try {
      const marker = `# manager-down drill ${randomBytes(3).toString('hex')}`;
      await changed.edit('conf/nginx/nginx.conf.hbs', (text) => `${marker}\n${text}`);
      // The monitored topology, scraped every 15 s instead of 10: a new prometheus.yml, written and reloaded.
      await changed.edit(`environments/${STAGING}.yaml`, (text) => `${text}${monitoringSection(15)}`);
      await changed.render(STAGING);
      const deployed = await deployFromRepository(context.model, changed.root);
      expect(deployed.code, deployed.stderr).toBe(0);
      expect(deployed.stderr).toMatch(new RegExp(`^prometheus's files on ${MONITORING_HOST}: prometheus\\.yml written$`, 'm'));
      expect(deployed.stderr).toMatch(/^prometheus reloaded its files \(no restart\)$/m);
      expect(await prometheusTask(monitored!.model)).toBe(task);
      expect((await prometheusApi<{ yaml: string }>(monitored!, '/api/v1/status/config')).yaml).toMatch(/^ {2}scrape_interval: 15s$/m);
      const rendered = parse(await readFile(path.join(changed.root, 'rendered', STAGING, 'stack.yaml'), 'utf8'));
      const configs = await dockerOk(['service', 'inspect', `${context.model.stack}_${context.model.minio.proxy.name}`, '--format', '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}{{end}}'], { timeoutMs: 15_000 });
      expect(configs.trim()).toBe(rendered.configs.nginx_conf.name);
    } finally {
      await changed.remove();
    }
    const nodes = await nodesRunning(context.model, context.model.minio.proxy.name);
    expect(nodes).toHaveLength(context.model.minio.proxy.replicas);
    expect(nodes).not.toContain(victim);
    await ready(context, 120_000);
    for (const node of nodes) {
      const ip = context.model.managers.find((manager) => manager.name === node)!.ip;
      const response = await fetch(`http://${ip}:${context.model.minio.proxy.s3Port}/minio/health/cluster`, { signal: AbortSignal.timeout(5_000) });
      expect({ node, status: response.status }).toEqual({ node, status: 200 });
    }
  });

  it('back up, the repository\'s template deployed again: verify is clean; Prometheus reloaded back, still the same task', async () => {
    await start(victim);
    const task = await prometheusTask(monitored!.model);
    await restore();
    await verifyHereUntil('verify clean after the manager came back', clean);
    expect(await prometheusTask(monitored!.model)).toBe(task);
    expect((await prometheusApi<{ yaml: string }>(monitored!, '/api/v1/status/config')).yaml).toMatch(/^ {2}scrape_interval: 10s$/m);
  });
});

describe('monitoring removed: the repository\'s topology again', () => {
  it('deploy removes Prometheus and Alertmanager; no monitoring config is left in the stack', async () => {
    const leftover = monitored!;
    monitored = undefined;
    await removeMonitoring(leftover, () => deployRepository());
    const services = await dockerOk(['service', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 });
    expect(services.split('\n').filter((name) => /_(prometheus|alertmanager)$/.test(name))).toEqual([]);
    const configs = await dockerOk(['config', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 });
    expect(configs.split('\n').filter((name) => /_(prom_conf|prom_rules|am_conf)_/.test(name))).toEqual([]);
  });
});


