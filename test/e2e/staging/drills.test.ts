// Issue 14's drills on the staging swarm, with real faults: a host's engine stopped (the machine is down), a host's
// link cut (a network partition), a manager stopped. Nothing is faked and nothing is scaled by hand. The file leaves
// the swarm as it found it: every host up and linked, the repository's stack deployed and ready.
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

let context: Staging;
/** Hosts a drill stopped or cut off and has not yet brought back: afterAll brings them back whatever failed. */
const stopped = new Set<string>();
const isolated = new Set<string>();

beforeAll(async () => {
  context = await staging();
  await ready(context);
});

afterAll(async () => {
  for (const host of isolated) await nodeAction('rejoin', host);
  for (const host of stopped) await nodeAction('start', host);
  for (const host of [...isolated, ...stopped]) await untilNode(host, 'ready', 120_000);
  if (isolated.size + stopped.size > 0) await restore();
});

async function restore(): Promise<void> {
  const deployed = await deployFromRepository(context.model);
  if (deployed.code !== 0) throw new Error(`restoring staging failed: ${deployed.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  await ready(context);
}

async function stop(host: string): Promise<void> {
  stopped.add(host);
  log(await nodeAction('stop', host));
  await untilNode(host, 'down', 90_000);
}

async function start(host: string): Promise<void> {
  log(await nodeAction('start', host));
  stopped.delete(host);
  await untilNode(host, 'ready', 120_000);
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

describe('drill: a MinIO host down (its engine stopped)', () => {
  const host = 'stg-minio3';
  let firstWrite: { ms: number; error?: string } | undefined;
  beforeAll(async () => {
    // The first write right after the engine stopped, before swarm even marks the node down: MinIO's peers still dial
    // the dead node's address, and nginx may still pick it.
    stopped.add(host);
    log(await nodeAction('stop', host));
    firstWrite = await timedPut(`milvus-swarm-e2e/staging-drill/first-write-${randomBytes(4).toString('hex')}`);
    log(`first write through nginx after ${host} stopped: ${firstWrite.error ? `failed after ${firstWrite.ms} ms: ${firstWrite.error}` : `answered in ${firstWrite.ms} ms`}`);
    await untilNode(host, 'down', 90_000);
  });

  it('the first write through nginx after the host stopped succeeds (its time is printed against the 5 s target)', () => {
    // A figure, not a timed assertion: it depends on where the node is in its shutdown (0.04–10.2 s measured), and
    // speed targets belong in the printed figures (test/README.md), not in a test that fails under load.
    expect(firstWrite?.error, `the first write after ${host} stopped failed after ${firstWrite?.ms} ms`).toBeUndefined();
    log(`first write after ${host} stopped: ${firstWrite!.ms} ms (target ≤ 5,000 ms: ${firstWrite!.ms <= 5_000 ? 'met' : 'MISSED'})`);
  });

  it('deploy refuses in preflight, naming the host, and changes nothing', async () => {
    // Preflight, not a partial deploy: MinIO restarts every node together when its command line changes, and a node
    // that cannot start is a pool without one of its drives' owners; the operator decides (start it, or move it).
    const before = await swarmSnapshot(context.model);
    const deployed = await deployFromRepository(context.model);
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
    const run = await verifyStaging();
    expect(run.rows.filter((row) => row.status === 'fail').map((row) => `${row.check}: ${row.reason}`)).toEqual([]);
    expect(run.code).toBe(0);
    const warned = run.rows.filter((row) => row.status === 'warn' && row.reason.includes(host));
    expect(warned.map((row) => row.check)).toContain('swarm: services');
    expect(warned.find((row) => row.check === 'swarm: services')!.reason).toMatch(new RegExp(`minio3 [01]/1 running on host ${host} \\(node Down\\)`));
  });

  it('started again (deploy restarts the load balancer, whose MinIO addresses went stale: dnsrr), verify is clean', async () => {
    await start(host);
    await until('minio3 running on its host again', 120_000, async () => ((await nodesRunning(context.model, 'minio3')).includes(host) ? true : undefined), 2_000);
    await restore();
    await verifyUntil('verify clean after the MinIO host came back', clean);
  });
});

describe('drill: etcd hosts cut off (a network partition)', () => {
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
    const run = await verifyUntil('verify names the cut-off member', (candidate) => candidate.rows.some((row) => row.status === 'warn' && /etcd2 on host stg-etcd2/.test(row.reason)), 60_000);
    expect(run.rows.filter((row) => row.status === 'fail').map((row) => `${row.check}: ${row.reason}`)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('two isolated: verify fails within 20 s, naming both', async () => {
    isolated.add('stg-etcd3');
    await nodeAction('isolate', 'stg-etcd3');
    const run = await verifyStaging();
    log(`verify with two etcd hosts cut off: exit ${run.code} in ${(run.wallMs / 1000).toFixed(1)} s (verify's own ${(run.elapsedMs / 1000).toFixed(1)} s)`);
    expect(run.code).toBe(1);
    // verify's own time, which its deadlines bound (VERIFY_BUDGET_MS, 18 s): a check that hung past its deadline
    // fails this. Not the process's wall time: under load, starting node and tsx alone took 15 s once (25.4 s wall,
    // verify's own 10.0 s).
    expect(run.elapsedMs).toBeLessThan(20_000);
    const failed = run.rows.filter((row) => row.status === 'fail');
    expect(failed.some((row) => /etcd2 on host stg-etcd2/.test(row.reason) && /etcd3 on host stg-etcd3/.test(row.reason)), failed.map((row) => `${row.check}: ${row.reason}`).join(' || ')).toBe(true);
  });

  it('rejoined: verify is green again without a deploy', async () => {
    for (const host of ['stg-etcd2', 'stg-etcd3']) {
      await nodeAction('rejoin', host);
      isolated.delete(host);
    }
    await verifyUntil('verify clean after the partition healed', clean, 180_000);
  });
});

describe('drill: a manager down', () => {
  let victim = '';
  afterAll(async () => {
    if (victim && stopped.has(victim)) await start(victim);
  });

  it('a changed nginx template still deploys and converges; the proxies on the other managers serve', async () => {
    const leader = context.model.managers[0]!.name!;
    const running = await nodesRunning(context.model, context.model.minio.proxy.name);
    victim = running.find((node) => node !== leader) ?? context.model.managers.map((manager) => manager.name!).find((name) => name !== leader)!;
    await stop(victim);
    const changed = await scratchRepository();
    try {
      const marker = `# manager-down drill ${randomBytes(3).toString('hex')}`;
      await changed.edit('conf/nginx/nginx.conf.hbs', (text) => `${marker}\n${text}`);
      await changed.render(STAGING);
      const deployed = await deployFromRepository(context.model, changed.root);
      expect(deployed.code, deployed.stderr).toBe(0);
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

  it('back up, the repository\'s template deployed again: verify is clean', async () => {
    await start(victim);
    await restore();
    await verifyUntil('verify clean after the manager came back', clean);
  });
});


