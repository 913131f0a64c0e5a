// MinIO's write quorum lost on the local stack: two nodes scaled to 0, writes fail and verify fails within 20 s, then
// restored the way an operator restores the topology's state — `milvus-swarm deploy` — after which verify passes every
// row again. The file leaves the stack as it found it. Single failures (a host stopped, a link cut, a manager down)
// are the staging swarm's drills (test/e2e/staging/drills.test.ts): real faults on real hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel } from '../../generator/model/types.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { row, verifyLocal, type VerifyRun } from './support/cli.ts';
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

describe('drill: MinIO nodes down', () => {
  it('two nodes scaled to 0: writes fail, and verify fails within 20 s', async () => {
    await scaleDown('minio3');
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
