// The backend-size row: each member's bbolt file against etcd.quotaBackendBytes, from etcdctl endpoint status.
import { describe, expect, it } from 'vitest';
import { Budget } from '../../generator/cluster/deadline.ts';
import type { DockerRunner } from '../../generator/docker/runner.ts';
import { formatBytes, judgeBackendSize } from '../../generator/verify/etcdBackend.ts';
import { memberCheckTarget, startMemberChecks } from '../../generator/verify/etcdInNetwork.ts';
import { fixture, frozenModel } from './support.ts';

const GiB = 2 ** 30;

describe('the etcd backend size', () => {
  it('passes far below the quota, naming the largest member', () => {
    expect(judgeBackendSize([{ name: 'etcd1', dbSize: 20480 }, { name: 'etcd2', dbSize: 3 * 2 ** 20 }], 4 * GiB)).toEqual({ status: 'pass', reason: 'largest 3 MiB of the 4 GiB quota (etcd2)' });
  });

  it('warns from 80 % of the quota on, with what to do before writes stop', () => {
    const outcome = judgeBackendSize([{ name: 'etcd1', dbSize: 20480 }, { name: 'etcd3', dbSize: 3.4 * GiB }], 4 * GiB);
    expect(outcome).toEqual({
      status: 'warn',
      reason: "etcd3's backend is 3.4 GiB of the 4 GiB quota (85 %): at the quota etcd refuses every write (NOSPACE alarm) — compact and defragment it (etcdctl defrag), or raise etcd.quotaBackendBytes",
    });
    expect(judgeBackendSize([{ name: 'etcd1', dbSize: 0.79 * 4 * GiB }], 4 * GiB).status).toBe('pass');
  });

  it('fails when no member answered endpoint status: there is nothing to measure', () => {
    expect(judgeBackendSize(undefined, 4 * GiB)).toEqual({ status: 'fail', reason: 'not read: no member answered endpoint status (see its row)' });
    expect(judgeBackendSize([], 4 * GiB).status).toBe('fail');
  });

  it('formats sizes in binary units', () => {
    expect([0, 512, 20480, 1536 * 2 ** 20, 4 * GiB].map(formatBytes)).toEqual(['0 B', '512 B', '20 KiB', '1.5 GiB', '4 GiB']);
  });

  it('is read from the same endpoint status container as the status row, against the topology\'s quota', async () => {
    // etcd 3.5.5's real endpoint status output for the status container; nothing else is asked before the rows settle.
    const docker: DockerRunner = async (args) => ({
      code: 0,
      stdout: args.includes('status') ? fixture('endpoint-status-healthy.json') : '[]',
      stderr: '',
      timedOut: false,
      elapsedMs: 1,
    });
    const checks = startMemberChecks({ runner: docker, ...memberCheckTarget(frozenModel('local')), budget: new Budget(5_000), runId: 'test' });
    const row = await checks.backendRow;
    expect(row).toMatchObject({ id: 'etcd-members:backend-size', check: 'etcd members: backend size', status: 'pass', reason: 'largest 20 KiB of the 4 GiB quota (etcd1)' });
    expect(row.endpoint).toBeUndefined();
  });
});
