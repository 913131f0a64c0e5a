// The pool decommission step's decisions (generator/deploy/steps/minioPools.ts) as pure functions over statuses as
// MinIO RELEASE.2023-03-20 answered them (test/minio/decommission.test.ts runs the same calls for real), and the
// runner's waiting (timeout, progress lines, failed reads) on a clock and an admin that a test scripts. The runner
// against a real two-pool MinIO: test/deploy/minioPoolsProcess.test.ts.
import { describe, expect, it } from 'vitest';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import { describeProgress, nextAction, poolDecommissionRunner, poolFigures, poolState, runPoolDecommission, type PoolAdmin } from '../../generator/deploy/steps/minioPoolDecommission.ts';
import type { StepOf } from '../../generator/deploy/steps/types.ts';
import type { PoolStatus } from '../../generator/minio/admin.ts';

const POOL = 'http://minio{1...4}:9000/data{1...2}';
const step: StepOf<'minio-pool-decommission'> = {
  id: 'minio-pool-decommission:minio1..minio4',
  kind: 'minio-pool-decommission',
  pool: POOL,
  nodes: ['minio1', 'minio2', 'minio3', 'minio4'],
  changes: ['minio-pool-remove:minio1..minio4'],
  verifyAfter: [],
  command: `mc admin decommission start ALIAS/ ${POOL}`,
};

/** Answers captured from MinIO RELEASE.2023-03-20 (two pools of 4 drives), the pool renamed. */
const status = (info: Partial<NonNullable<PoolStatus['decommissionInfo']>>): PoolStatus => ({
  id: 0,
  cmdline: POOL,
  lastUpdate: '2026-11-30T09:56:18.890990124Z',
  decommissionInfo: { startTime: '0001-01-01T00:00:00Z', startSize: 0, totalSize: 195586588672, currentSize: 144151674880, complete: false, failed: false, canceled: false, ...info },
});
const idle = status({});
const running = status({ startTime: '2026-11-30T09:56:18.659210415Z', startSize: 144151674880, currentSize: 144151674880 });
const moving = (bytes: number) => status({ startTime: '2026-11-30T09:56:18.659210415Z', startSize: 144151674880, currentSize: 144151674880 + bytes });
const complete = status({ startTime: '2026-11-30T09:56:18.659210415Z', startSize: 144151674880, currentSize: 144152575461, complete: true });
// A failure (and a cancel, in this release) zeroes the start time and keeps the sizes.
const failed = status({ startSize: 144133824512, currentSize: 144133844512, failed: true });

describe('poolState and poolFigures: what a status says', () => {
  it.each([
    ['never decommissioned', idle, 'idle'],
    ['started, nothing moved yet', running, 'running'],
    ['complete', complete, 'complete'],
    ['failed (the start time zeroed)', failed, 'failed'],
    ['canceled', status({ canceled: true }), 'canceled'],
    ['no decommissionInfo at all', { id: 0, cmdline: POOL, lastUpdate: '' }, 'idle'],
  ] as const)('%s → %s', (_, answer, state) => {
    expect(poolState(answer)).toBe(state);
  });

  it('RELEASE.2023-03-20: bytes moved = currentSize − startSize, the used space at the start = totalSize − startSize, no counts', () => {
    expect(poolFigures(complete)).toEqual({ bytesMoved: 900581, usedAtStart: 195586588672 - 144151674880 });
    expect(poolFigures(failed)).toEqual({ bytesMoved: 20000, usedAtStart: 195586588672 - 144133824512 });
    // Never started: nothing moved; the used space is what is used now.
    expect(poolFigures(idle)).toEqual({ bytesMoved: 0, usedAtStart: 195586588672 - 144151674880 });
  });

  it('later releases: their counts win over the sizes', () => {
    const counted = status({ ...complete.decommissionInfo, objectsDecommissioned: 9, objectsDecommissionedFailed: 1, bytesDecommissioned: 900000, bytesDecommissionedFailed: 512 });
    expect(poolFigures(counted)).toEqual({ bytesMoved: 900000, usedAtStart: 195586588672 - 144151674880, objects: 9, objectsFailed: 1, bytesFailed: 512 });
    expect(describeProgress(poolFigures(counted))).toBe('878.9 KiB of about 47.9 GiB moved, 9 objects; failed: 1 objects, 512 B');
    expect(describeProgress(poolFigures(complete))).toBe('879.5 KiB of about 47.9 GiB moved');
  });
});

describe('nextAction: status → what the runner does', () => {
  it.each([
    ['idle', 'start', 'wait'],
    ['running', 'wait', 'wait'],
    ['complete', 'done', 'done'],
    // Deploy run again is the resume command: a failure found on entry is retried, one while this run waits stops it.
    ['failed', 'start', 'stop'],
    ['canceled', 'start', 'stop'],
  ] as const)('%s: on entry %s, while waiting %s', (state, onEntry, whileWaiting) => {
    expect(nextAction(state, 'entry')).toBe(onEntry);
    expect(nextAction(state, 'waiting')).toBe(whileWaiting);
  });
});

/** A context with what the runner reads; the log is collected. */
function contextWith(options: { root?: boolean; timeoutMs?: number } = {}) {
  const log: string[] = [];
  const context = {
    environment: 'production',
    log: (line: string) => log.push(line),
    options: { ...(options.root === false ? {} : { minio: { root: { accessKey: 'root-access-key', secretKey: 'root-secret-key' } } }), decommissionTimeoutMs: options.timeoutMs },
    model: { minio: { secrets: { rootUser: 'minio_root_user', rootPassword: 'minio_root_password', verifyUser: 'v', verifyPassword: 'w' } } },
  } as unknown as DeployContext;
  return { context, log };
}

/** An admin whose status answers come from a list (the last repeats); `started` counts the starts. */
function scriptedAdmin(answers: (PoolStatus | Error)[]) {
  let index = 0;
  const admin = {
    starts: 0,
    reads: 0,
    async decommissionStart() {
      admin.starts += 1;
    },
    async decommissionStatus() {
      admin.reads += 1;
      const answer = answers[Math.min(index++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } satisfies PoolAdmin & { starts: number; reads: number };
  return admin;
}

/** The runner on a clock that each sleep moves forward. */
function runnerWith(admin: PoolAdmin) {
  let clock = 0;
  return poolDecommissionRunner({
    connect: async () => ({ admin, through: '10.0.0.1:9000', notes: [] }),
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  });
}

describe('runPoolDecommission: waiting', () => {
  it('starts an idle pool, logs progress at most every 10 s, passes with the figures', async () => {
    const admin = scriptedAdmin([idle, ...Array.from({ length: 15 }, (_, index) => moving(index * 1024 * 1024)), complete]);
    const { context, log } = contextWith();
    const result = await runnerWith(admin)(step, context);
    expect(result).toEqual({ ok: true, notes: [`pool ${POOL} decommissioned in 32.0 s: 879.5 KiB of about 47.9 GiB moved`] });
    expect(admin.starts).toBe(1);
    // Polls at 2, 4, … 32 s: a line at the first and then every 10 s.
    expect(log).toEqual([
      `pool ${POOL}: decommission started`,
      `pool ${POOL}: decommissioning, 0 B of about 47.9 GiB moved in 2.0 s`,
      `pool ${POOL}: decommissioning, 5.00 MiB of about 47.9 GiB moved in 12.0 s`,
      `pool ${POOL}: decommissioning, 10.0 MiB of about 47.9 GiB moved in 22.0 s`,
    ]);
  });

  it('complete already: passes at once, starts nothing', async () => {
    const admin = scriptedAdmin([complete]);
    const result = await runnerWith(admin)(step, contextWith().context);
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual([`pool ${POOL}: decommissioned already (complete since 2026-11-30T09:56:18.890990124Z): 879.5 KiB of about 47.9 GiB moved`]);
    expect([admin.starts, admin.reads]).toEqual([0, 1]);
  });

  it('running already (a deploy that stopped on its timeout, run again): waits, starts nothing', async () => {
    const admin = scriptedAdmin([running, moving(1024), complete]);
    const { context, log } = contextWith();
    expect((await runnerWith(admin)(step, context)).ok).toBe(true);
    expect(admin.starts).toBe(0);
    expect(log[0]).toBe(`pool ${POOL}: decommission running already: waiting for it`);
  });

  it('failed before this run: starts it again and says so', async () => {
    const admin = scriptedAdmin([failed, running, complete]);
    const result = await runnerWith(admin)(step, contextWith().context);
    expect(result.ok).toBe(true);
    expect(admin.starts).toBe(1);
    expect(result.notes?.[0]).toBe(`pool ${POOL}: decommission started again (it had failed; objects moved before stay moved)`);
  });

  it('fails while this run waits: stops with the state, the resume command and the command by hand', async () => {
    const admin = scriptedAdmin([idle, moving(20000), failed]);
    const result = await runnerWith(admin)(step, contextWith().context);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `decommission of pool ${POOL} (through 10.0.0.1:9000) failed after 4.0 s (19.5 KiB of about 47.9 GiB moved): MinIO's log on the node that ran it says why; fix that, then run deploy again, which starts it again (by hand: mc admin decommission start ALIAS/ ${POOL})`,
    ]);
    expect(result.stopped).toEqual({
      state: `the decommission of pool ${POOL} failed (19.5 KiB of about 47.9 GiB moved); the pool keeps the rest, takes no new objects and serves reads; the stack was not deployed`,
      resume: 'npx milvus-swarm deploy --env production',
    });
  });

  it('not complete within the timeout: stops, saying MinIO goes on and deploy waits on', async () => {
    const admin = scriptedAdmin([idle, moving(3 * 1024 * 1024)]);
    const result = await runnerWith(admin)(step, contextWith({ timeoutMs: 60_000 }).context);
    expect(admin.reads).toBe(31);
    expect(result.problems).toEqual([
      `decommission of pool ${POOL} (through 10.0.0.1:9000): not complete within 60.0 s (3.00 MiB of about 47.9 GiB moved); MinIO goes on by itself: run deploy again to wait on (or raise decommissionTimeoutMs)`,
    ]);
    expect(result.stopped).toEqual({
      state: `pool ${POOL} is being decommissioned: 3.00 MiB of about 47.9 GiB moved; the stack was not deployed`,
      resume: 'npx milvus-swarm deploy --env production',
    });
  });

  it('status reads that fail: two in a row are waited out, the third stops', async () => {
    const blip = new Error('MinIO admin pools/status at 10.0.0.1:9000: connection refused');
    expect((await runnerWith(scriptedAdmin([idle, blip, blip, complete]))(step, contextWith().context)).ok).toBe(true);
    const result = await runnerWith(scriptedAdmin([idle, moving(1024), blip, blip, blip]))(step, contextWith().context);
    expect(result.problems).toEqual([
      `decommission of pool ${POOL} (through 10.0.0.1:9000): 3 status reads in a row failed, the last: MinIO admin pools/status at 10.0.0.1:9000: connection refused; MinIO goes on by itself: run deploy again to wait on`,
    ]);
    expect(result.stopped?.state).toBe(`pool ${POOL} is being decommissioned (1.00 KiB of about 47.9 GiB moved when last read); the stack was not deployed`);
  });

  it('without the root pair: stops before any call, naming the variables and the secrets', async () => {
    const result = await runPoolDecommission(step, contextWith({ root: false }).context);
    expect(result).toEqual({
      ok: false,
      problems: [
        `decommission of pool ${POOL}: MINIO_ROOT_USER/MINIO_ROOT_PASSWORD not set; MinIO's pool calls need the root pair: set both to the values of the swarm secrets minio_root_user/minio_root_password (deploy.yml sets them; --credentials FILE by hand)`,
      ],
      notes: [],
      stopped: { state: `pool ${POOL} was not touched; the stack was not deployed`, resume: 'npx milvus-swarm deploy --env production' },
    });
  });
});
