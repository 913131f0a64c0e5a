// The step etcd-member-add against etcd's answers (a scripted etcdctl: etcd refuses an add for 5 s after a promote, a
// fault the staging membership drill met once the steps got fast). "unhealthy cluster" is asked again; anything else
// stops the step at once.
import { describe, expect, it } from 'vitest';
import type { EtcdctlCall } from '../../generator/cluster/etcdctlProbe.ts';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import { runMemberAdd } from '../../generator/deploy/steps/etcdMemberAdd.ts';
import { fixture, frozenModel } from './support.ts';

const MEMBERS = fixture('../../verify/fixtures/member-list.json');
const step = { id: 'etcd-member-add:etcd5', kind: 'etcd-member-add' as const, member: 'etcd5', peerUrl: 'http://etcd5:2380', learner: true as const, through: ['etcd1', 'etcd2', 'etcd3'], changes: [], verifyAfter: [] };

function contextAnswering(addAnswers: { code: number; stderr?: string }[]): { context: DeployContext; asked: string[] } {
  const asked: string[] = [];
  const etcdctl: EtcdctlCall = async (_endpoints, command) => {
    asked.push(command.slice(0, 2).join(' '));
    const answer = command[1] === 'add' ? (addAnswers.shift() ?? { code: 0 }) : { code: 0 };
    return { code: answer.code, stdout: command[1] === 'list' ? MEMBERS : '', stderr: answer.stderr ?? '', timedOut: false, elapsedMs: 1, tries: 1 };
  };
  const context = { environment: 'local', model: frozenModel('local'), runner: async () => ({ code: 1, stdout: '', stderr: 'unscripted', timedOut: false, elapsedMs: 1 }), etcdctl, topology: { etcd: { members: [] } }, planned: [] } as unknown as DeployContext;
  return { context, asked };
}

describe('etcd-member-add', () => {
  it('"unhealthy cluster" (the leader not yet connected to every voter for 5 s) is asked again, the list read before each new try', async () => {
    const { context, asked } = contextAnswering([{ code: 1, stderr: 'Error: etcdserver: unhealthy cluster' }, { code: 0 }]);
    const result = await runMemberAdd(step, context);
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual([expect.stringMatching(/^etcd5 added as a learner \(2 tries: etcd said "unhealthy cluster"/)]);
    expect(asked).toEqual(['member list', 'member add', 'member list', 'member add']);
  });

  it('any other refusal stops the step at once, with the command that undoes it', async () => {
    const { context, asked } = contextAnswering([{ code: 1, stderr: 'Error: etcdserver: Peer URLs already exists' }]);
    const result = await runMemberAdd(step, context);
    expect(result.ok).toBe(false);
    expect(result.problems?.[0]).toMatch(/^etcdctl member add etcd5: etcdctl member add: Error: etcdserver: Peer URLs already exists/);
    expect(asked).toEqual(['member list', 'member add']);
  });
});
