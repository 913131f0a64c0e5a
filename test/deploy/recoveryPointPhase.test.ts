// When deploy makes a recovery point first (phases/recoveryPoint.ts): only with a backup: section, only for care and
// destructive changes, never without root's pair, and not with --no-recovery-point. Each case here stops or passes
// before anything is asked of docker or MinIO (the runner answers nothing); a point made for real before a care change
// is the e2e drills' (test/e2e/backupDrills.test.ts).
import { describe, expect, it } from 'vitest';
import { recoveryPointFirst } from '../../generator/deploy/phases/recoveryPointFirst.ts';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import type { Change } from '../../generator/plan/change.ts';
import { frozenModel, frozenTopology } from '../frozen.ts';
import { scriptedDocker } from './support.ts';

const backup = { schedule: '17 3 * * *', keep: 7, windowDays: 7, targets: { directory: '/var/backups/milvus-swarm/local' } };
const change = (id: string, kind: Change['class']): Change => ({ id, class: kind, what: id, why: 'because', acknowledged: false });
const root = { accessKey: 'root', secretKey: 'root-secret', user: 'root' as const };

function context(options: { backup?: boolean; planned: Change[]; root?: boolean; noRecoveryPoint?: boolean }) {
  const runner = scriptedDocker([]);
  const topology = { ...frozenTopology('local'), ...(options.backup === false ? {} : { backup }) };
  return {
    runner,
    context: {
      environment: 'local',
      model: frozenModel('local'),
      topology,
      planned: options.planned,
      runner,
      log: () => undefined,
      options: { minio: options.root === false ? {} : { root }, ...(options.noRecoveryPoint ? { noRecoveryPoint: true } : {}), swarmSites: undefined },
    } as unknown as DeployContext,
  };
}

describe('the recovery point before a deploy', () => {
  it('is not made without a backup: section, nor for safe changes only: nothing asked, nothing said', async () => {
    for (const setup of [context({ backup: false, planned: [change('nginx-template', 'care')] }), context({ planned: [change('bucket-add:x', 'safe')] }), context({ planned: [] })]) {
      expect(await recoveryPointFirst.run(setup.context)).toEqual({ ok: true });
      expect(setup.runner.calls).toEqual([]);
    }
  });

  it('is skipped, and says so, with --no-recovery-point', async () => {
    const { context: skipped, runner } = context({ planned: [change('etcd-tuning', 'care'), change('bucket-add:x', 'safe')], noRecoveryPoint: true });
    expect(await recoveryPointFirst.run(skipped)).toEqual({ ok: true, notes: ['no recovery point before etcd-tuning (care): --no-recovery-point'] });
    expect(runner.calls).toEqual([]);
  });

  it("stops the deploy before anything changes when it cannot be made (no root pair): one line saying what to do", async () => {
    const { context: refused } = context({ planned: [change('etcd-data-dir:etcd1', 'destructive'), change('etcd-tuning', 'care')], root: false });
    expect(await recoveryPointFirst.run(refused)).toEqual({
      ok: false,
      problems: [
        'no recovery point before etcd-data-dir:etcd1 (destructive), etcd-tuning (care): MINIO_ROOT_USER/MINIO_ROOT_PASSWORD are not set (a point lists every version of the bucket); nothing was changed: fix it and deploy again, or deploy with --no-recovery-point (the action\'s no-recovery-point input) to go on without one',
      ],
    });
  });

  it('stops the deploy when the point fails (here MinIO refuses a made-up root pair, or is not there at all), naming why and never the secret', async () => {
    const { context: failing } = context({ planned: [change('etcd-tuning', 'care')] });
    const result = await recoveryPointFirst.run(failing);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems![0]).toMatch(/^no recovery point before etcd-tuning \(care\): .*; nothing was changed: /);
    expect(result.problems![0]).not.toContain('root-secret');
  });
});
