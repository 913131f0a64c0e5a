// The pool decommission step (generator/deploy/steps/minioPools.ts) end to end against a real MinIO RELEASE.2023-03-20
// with two pools on one process: only the way to MinIO is the test's (its endpoint instead of the proxy swarm runs),
// the calls, the waiting and the decisions are deploy's. Polls every 200 ms instead of 2 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import { poolDecommissionRunner } from '../../generator/deploy/steps/minioPoolDecommission.ts';
import type { StepOf } from '../../generator/deploy/steps/types.ts';
import { MinioAdmin } from '../../generator/minio/admin.ts';
import type { SigningCredentials } from '../../generator/minio/sigv4.ts';
import { restartMinio, s3ClientOf, startMinio, writeObjects as writeBucket, type MinioProcess } from '../minio/minioProcess.ts';
import { readObject } from '../processes/support/processes.ts';

const BUCKET = 'milvus-bucket';

const stepFor = (pool: string): StepOf<'minio-pool-decommission'> => ({
  id: 'minio-pool-decommission:pool1',
  kind: 'minio-pool-decommission',
  pool,
  nodes: ['minio1'],
  changes: ['minio-pool-remove:pool1'],
  verifyAfter: [],
  command: `mc admin decommission start ALIAS/ ${pool}`,
});

function contextFor(minio: MinioProcess) {
  const log: string[] = [];
  const context = {
    environment: 'local',
    log: (line: string) => log.push(line),
    options: { minio: { root: minio.root } },
    model: { minio: { secrets: { rootUser: 'minio_root_user', rootPassword: 'minio_root_password', verifyUser: 'v', verifyPassword: 'w' } } },
  } as unknown as DeployContext;
  return { context, log };
}

const runnerFor = (minio: MinioProcess, credentials: SigningCredentials = minio.root) =>
  poolDecommissionRunner({
    connect: async () => ({ admin: new MinioAdmin({ endpoint: minio.endpoint, credentials }), through: `127.0.0.1:${minio.port}`, notes: [] }),
    pollMs: 200,
  });

const clientOf = s3ClientOf;
const writeObjects = (minio: MinioProcess, count: number) => writeBucket(minio, BUCKET, count, (index) => `files/insert_log/${index}`, (index) => 2_000 + index * 1_013);

async function expectAllReadable(minio: MinioProcess, objects: Map<string, Buffer>): Promise<void> {
  const client = clientOf(minio);
  for (const [key, body] of objects) expect((await readObject(client, BUCKET, key)).equals(body), key).toBe(true);
}

/** For one describe: a MinIO of two pools holding 30 objects (started before, stopped after its tests). */
function twoPoolsWithObjects(): { minio: MinioProcess; objects: Map<string, Buffer> } {
  const state = {} as { minio: MinioProcess; objects: Map<string, Buffer> };
  beforeAll(async () => {
    state.minio = await startMinio({ pools: 2 });
    state.objects = await writeObjects(state.minio, 30);
  }, 90_000);
  afterAll(async () => {
    await state.minio?.stop();
  });
  return state;
}

describe('the step on a pool never decommissioned', () => {
  const pools = twoPoolsWithObjects();

  it('starts it, waits until complete, and passes with the figures; every object stays readable', async () => {
    const { context, log } = contextFor(pools.minio);
    const result = await runnerFor(pools.minio)(stepFor(pools.minio.pools[0]!), context);
    expect(result.problems).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.notes).toHaveLength(1);
    expect(result.notes![0]).toMatch(new RegExp(`^pool .*pool1-drive\\{1\\.\\.\\.4\\} decommissioned in \\d+\\.\\d s: \\S+ \\S+ of about \\S+ \\S+ moved$`));
    expect(log[0]).toBe(`pool ${pools.minio.pools[0]}: decommission started`);
    const status = await new MinioAdmin({ endpoint: pools.minio.endpoint, credentials: pools.minio.root }).decommissionStatus(pools.minio.pools[0]!);
    expect(status.decommissionInfo).toMatchObject({ complete: true, failed: false, canceled: false });
    await expectAllReadable(pools.minio, pools.objects);
  });

  it('run again (deploy resumed after a later step stopped): passes at once, starts nothing', async () => {
    const { context, log } = contextFor(pools.minio);
    const before = await new MinioAdmin({ endpoint: pools.minio.endpoint, credentials: pools.minio.root }).decommissionStatus(pools.minio.pools[0]!);
    const result = await runnerFor(pools.minio)(stepFor(pools.minio.pools[0]!), context);
    expect(result.ok).toBe(true);
    expect(result.notes![0]).toMatch(/^pool .* decommissioned already \(complete since .*\): .* moved$/);
    expect(log).toEqual([]);
    const after = await new MinioAdmin({ endpoint: pools.minio.endpoint, credentials: pools.minio.root }).decommissionStatus(pools.minio.pools[0]!);
    expect(after).toEqual(before);
  });

  it('a pool MinIO does not run: stops, naming the call and what to compare; nothing changes', async () => {
    const { context } = contextFor(pools.minio);
    const result = await runnerFor(pools.minio)(stepFor(`${pools.minio.directory}/elsewhere{1...4}`), context);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems![0]).toMatch(/: MinIO admin pools\/status: 400 XMinioAdminInvalidArgument: specified pool '.*' not found, please specify a valid pool — MinIO runs no pool of exactly this server argument/);
    expect(result.stopped).toEqual({ state: expect.stringMatching(/was not touched \(its decommission state could not be read\); the stack was not deployed$/), resume: 'npx milvus-swarm deploy --env local' });
  });

  it('a wrong root secret key: stops, says which variables, never prints the key', async () => {
    const { context } = contextFor(pools.minio);
    const wrong = { accessKey: pools.minio.root.accessKey, secretKey: `${pools.minio.root.secretKey}-wrong` };
    const result = await runnerFor(pools.minio, wrong)(stepFor(pools.minio.pools[1]!), { ...context, options: { minio: { root: wrong } } } as DeployContext);
    expect(result.ok).toBe(false);
    expect(result.problems![0]).toMatch(/pools\/status: 403 SignatureDoesNotMatch.* — MINIO_ROOT_USER\/MINIO_ROOT_PASSWORD must be the values of the swarm secrets minio_root_user\/minio_root_password/);
    const printed = JSON.stringify(result);
    expect(printed).not.toContain(wrong.secretKey);
    expect(printed).not.toContain(pools.minio.root.accessKey);
  });
});

describe('the step on a pool whose decommission failed (a cancel, in this release)', () => {
  const pools = twoPoolsWithObjects();

  it('starts it again and completes; the pool can then leave the command line', async () => {
    const admin = new MinioAdmin({ endpoint: pools.minio.endpoint, credentials: pools.minio.root });
    const [first, second] = pools.minio.pools as [string, string];
    await admin.decommissionStart(first);
    await admin.decommissionCancel(first);
    for (let attempt = 0; ; attempt += 1) {
      const info = (await admin.decommissionStatus(first)).decommissionInfo!;
      if (info.failed || info.canceled) break;
      if (attempt > 50) throw new Error(`no failure after the cancel: ${JSON.stringify(info)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const { context } = contextFor(pools.minio);
    const result = await runnerFor(pools.minio)(stepFor(first), context);
    expect(result.problems).toBeUndefined();
    expect(result.notes![0]).toMatch(/^pool .* decommission started again \(it had (failed|been canceled); objects moved before stay moved\)$/);
    expect(result.notes![1]).toMatch(/decommissioned in/);
    await expectAllReadable(pools.minio, pools.objects);

    // What the stack deploy after this step does: MinIO restarted without the pool serves every object.
    pools.minio = await restartMinio(pools.minio, [second]);
    await expectAllReadable(pools.minio, pools.objects);
  });
});
