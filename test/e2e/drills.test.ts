// The drills of issue 6 on the real local stack, each followed by verify and an assertion on its rows: etcd members and
// MinIO nodes scaled to 0 one, then two at a time, then everything restored the way an operator restores the topology's
// state — `milvus-swarm deploy` — after which verify passes every row again. The file leaves the stack as it found it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../generator/model/types.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { row, statuses, verifyLocal, type VerifyRun } from './support/cli.ts';
import { minioClient, streamToBuffer, within } from './support/clients.ts';
import { containersOf, restoreByDeploy, scale, untilMinioSays } from './support/stack.ts';

let model: ClusterModel;
/** Services a drill scaled down and not yet restored: afterAll restores them whatever failed. */
const down = new Set<string>();

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
});

afterAll(async () => {
  if (down.size > 0) await restoreByDeploy(model);
});

async function scaleDown(service: string): Promise<void> {
  down.add(service);
  await scale(model, service, 0);
}

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
const notPassing = (run: VerifyRun) => run.rows.filter((entry) => entry.status !== 'pass').map((entry) => `${entry.status} ${entry.check}: ${entry.reason}`);

/**
 * Runs verify until `done` says so (bounded), asserting on every run that nothing fails meanwhile. MinIO's node and
 * drive counts are up to a minute old (generator/verify/minioMetrics.ts), so what they show can take that long.
 */
async function verifyUntil(what: string, done: (run: VerifyRun) => boolean, timeoutMs = 100_000): Promise<{ run: VerifyRun; ms: number }> {
  const started = performance.now();
  for (;;) {
    const run = await verifyLocal();
    expect(run.rows.filter((entry) => entry.status === 'fail').map((entry) => `${entry.check}: ${entry.reason}`)).toEqual([]);
    expect(run.code).toBe(0);
    const ms = performance.now() - started;
    if (done(run)) return { run, ms };
    if (ms > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s; last verify: ${notPassing(run).join(' | ') || 'all pass'}`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

async function expectAllPassAfterRestore(what: string): Promise<string> {
  const started = performance.now();
  const deployed = await restoreByDeploy(model);
  down.clear();
  log(`${what}: deploy restored the stack in ${((performance.now() - started) / 1000).toFixed(1)} s (${deployed.stderr.trim().split('\n').at(-1)})`);
  for (const service of model.services) expect({ service: service.name, running: (await containersOf(model, service.name)).length }).toEqual({ service: service.name, running: service.replicas });
  // Passes at once (exit 0, nothing failing); every row passes once MinIO's cached counts caught up.
  const { ms } = await verifyUntil(`${what}: every verify row passing`, (run) => notPassing(run).length === 0);
  log(`${what}: every verify row passes ${(ms / 1000).toFixed(1)} s after the restore`);
  return deployed.stderr;
}

describe('drill: etcd members down', () => {
  it('one member scaled to 0: verify warns about it and passes', async () => {
    await scaleDown('etcd2');
    const run = await verifyLocal();
    expect(run.code, notPassing(run).join('\n')).toBe(0);
    expect(row(run, 'etcd members: endpoint status')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/^etcd2 \(.+\) does not answer; 2 of 3 answer, quorum 2 holds/) });
    expect(row(run, 'etcd member etcd2: probe key')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/\(quorum holds without it\)$/) });
    // Everything else still passes: the proxy writes through the other two, MinIO is untouched.
    expect(statuses(run).filter((line) => !line.startsWith('pass '))).toEqual(['warn etcd members: endpoint status', 'warn etcd member etcd2: probe key']);
  });

  it('two members scaled to 0: verify fails within 20 s, naming both', async () => {
    await scaleDown('etcd3');
    const run = await verifyLocal();
    log(`etcd quorum lost: verify named the dead members in ${(run.elapsedMs / 1000).toFixed(2)} s (process ${(run.wallMs / 1000).toFixed(2)} s)`);
    expect(run.code).toBe(1);
    expect(run.wallMs).toBeLessThan(20_000);
    const status = row(run, 'etcd members: endpoint status');
    expect(status.status).toBe('fail');
    expect(status.reason).toMatch(/^2 of 3 members do not answer: etcd2 \(.+\), etcd3 \(.+\); 1 answering is below quorum 2: etcd cannot serve writes/);
    expect(row(run, 'etcd proxy: put and get').status).toBe('fail');
    // MinIO does not depend on etcd: its rows still pass.
    expect(run.rows.filter((entry) => entry.check.startsWith('minio')).every((entry) => entry.status === 'pass')).toBe(true);
  });

  it('restored by deploy: verify passes every row again', async () => {
    await expectAllPassAfterRestore('etcd');
  });
});

describe('drill: MinIO nodes down', () => {
  it('one node scaled to 0: writes still succeed, verify warns (drives offline) and passes', async () => {
    await scaleDown('minio3');
    await untilMinioSays(model, 200);
    const minio = await minioClient(model);
    const name = `e2e/drill-one-node-down-${randomBytes(4).toString('hex')}.bin`;
    const body = randomBytes(2 * 2 ** 20 + 11);
    await within(20_000, 'putObject with a node down', minio.putObject(model.milvus.bucketName, name, body, body.length));
    expect((await within(20_000, 'getObject', minio.getObject(model.milvus.bucketName, name).then(streamToBuffer))).equals(body)).toBe(true);
    await within(20_000, 'removeObject', minio.removeObject(model.milvus.bucketName, name));

    const { run, ms } = await verifyUntil('the node counts showing minio3 down', (each) => row(each, 'minio: nodes and drives').status !== 'pass');
    log(`one MinIO node down: verify warned ${(ms / 1000).toFixed(1)} s after MinIO answered without it (its counts are cached up to a minute)`);
    expect(row(run, 'minio: nodes and drives')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/^3\/4 nodes and 6\/8 drives online .*: write quorum holds/) });
    expect(row(run, 'minio: cluster health').status).toBe('pass');
    expect(row(run, `minio: probe object in ${model.milvus.bucketName}`).status).toBe('pass');
    expect(statuses(run).filter((line) => line.startsWith('fail '))).toEqual([]);
  });

  it('two nodes scaled to 0: writes fail, and verify fails within 20 s', async () => {
    await scaleDown('minio4');
    await untilMinioSays(model, 503);
    const run = await verifyLocal();
    log(`MinIO write quorum lost: verify failed in ${(run.elapsedMs / 1000).toFixed(2)} s (process ${(run.wallMs / 1000).toFixed(2)} s)`);
    expect(run.code).toBe(1);
    expect(run.wallMs).toBeLessThan(20_000);
    expect(row(run, 'minio: cluster health')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/^503: MinIO has lost write quorum/) });
    expect(row(run, `minio: probe object in ${model.milvus.bucketName}`).status).toBe('fail');
    // etcd does not depend on MinIO.
    expect(run.rows.filter((entry) => entry.check.startsWith('etcd')).every((entry) => entry.status === 'pass')).toBe(true);
  });

  it('restored by deploy (which restarts the load balancer that had their old addresses): verify passes every row again', async () => {
    const stderr = await expectAllPassAfterRestore('MinIO');
    expect(stderr).toMatch(/^restarted minio-proxy: minio3, minio4 started after it looked up the MinIO names \(dnsrr: nginx had their old addresses\)$/m);
  });
});
