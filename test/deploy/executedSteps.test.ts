// The executed steps' pure parts (issue 11): the stack file that starts a joining member, where each step runs
// around the stack deploy, the order members roll in, leadership and ids as etcdctl prints them, and the steps that
// wait for an acknowledgement.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { unacknowledgedSteps } from '../../generator/deploy/phases/preflight.ts';
import { rollOrder } from '../../generator/deploy/operations/memberRoll.ts';
import { hexId, lastLine, leaderOf, type EtcdCluster } from '../../generator/cluster/etcdCluster.ts';
import { readyToRestart } from '../../generator/deploy/moves/etcdMembership.ts';
import type { DeployContext } from '../../generator/deploy/runner/contract.ts';
import { stepsAround } from '../../generator/deploy/steps/index.ts';
import { joiningMemberStack, renderedConstraints } from '../../generator/deploy/operations/memberStack.ts';
import { SPEC_LABEL } from '../../generator/render/stack.ts';
import type { EndpointStatus } from '../../generator/cluster/etcdctlJson.ts';
import { stepsFixture } from '../plan/support.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support.ts';

const stagingStack = readFileSync(path.join(repoRoot, 'rendered/staging/stack.yaml'), 'utf8');

describe('the stack file of a joining member', () => {
  const text = joiningMemberStack(stagingStack, 'etcd3', ['etcd1=http://etcd1:2380', 'etcd3=http://etcd3:2380']);
  const compose = parse(text) as { services: Record<string, { command: string[]; deploy: { labels: Record<string, string>; placement: { constraints: string[] } } }>; configs?: unknown; secrets?: unknown };

  it('holds that member alone, listing the cluster as it is at the join, with --initial-cluster-state existing', () => {
    expect(Object.keys(compose.services)).toEqual(['etcd3']);
    expect(compose.services.etcd3!.command).toContain('--initial-cluster=etcd1=http://etcd1:2380,etcd3=http://etcd3:2380');
    expect(compose.services.etcd3!.command).toContain('--initial-cluster-state=existing');
    expect(compose.services.etcd3!.command.filter((flag) => flag.startsWith('--initial-cluster'))).toHaveLength(3);
    // Everything else as rendered: the token, the placement.
    expect(compose.services.etcd3!.command).toContain('--initial-cluster-token=milvus-etcd-staging');
    expect(compose.services.etcd3!.deploy.placement.constraints).toEqual(renderedConstraints(stagingStack, 'etcd3'));
  });

  it('carries no spec label, so the roll restarts it on the rendered spec; no configs or secrets of other services', () => {
    expect(compose.services.etcd3!.deploy.labels[SPEC_LABEL]).toBeUndefined();
    expect(compose.configs).toBeUndefined();
    expect(compose.secrets).toBeUndefined();
  });

  it('the last member to join, listing the final membership on a topology that says existing, keeps the rendered spec: no restart in the roll', () => {
    const rendered = stagingStack.replace('--initial-cluster-state=new', '--initial-cluster-state=existing');
    const last = parse(joiningMemberStack(rendered, 'etcd1', ['etcd1=http://etcd1:2380', 'etcd2=http://etcd2:2380', 'etcd3=http://etcd3:2380'])) as typeof compose;
    expect(last.services.etcd1!.deploy.labels[SPEC_LABEL]).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses a member the rendered file does not have', () => {
    expect(() => joiningMemberStack(stagingStack, 'etcd9', [])).toThrow('the rendered stack file has no service etcd9: render again');
  });
});

describe('where the steps run', () => {
  it('membership steps before the stack deploy; the roll and the stack itself are the deploy phases\' own', () => {
    const steps = stepsFixture('etcd-grow-3-to-5');
    expect(steps.map((step) => step.kind).slice(-2)).toEqual(['etcd-members-roll', 'stack-deploy']);
    // The six add/start/promote steps (test/plan/mistakes.test.ts holds their order) run before; nothing after.
    const around = stepsAround(steps);
    expect(around.before).toEqual(steps.slice(0, -2));
    expect(around.before.map((step) => step.kind)).toEqual(['etcd-member-add', 'etcd-member-start', 'etcd-member-promote', 'etcd-member-add', 'etcd-member-start', 'etcd-member-promote']);
    expect(around.after).toEqual([]);
  });

  it('a removed pool: drained before the stack, its services removed after it', () => {
    const around = stepsAround(stepsFixture('minio-pool-remove-first'));
    expect(around.before.map((step) => step.id)).toEqual(['minio-pool-decommission:minio1..minio4']);
    expect(around.after.map((step) => step.id)).toEqual(['service-remove:minio1..minio4']);
  });

  it('a member leaving: its service removed before the roll, where orphan removal would otherwise take it first', () => {
    const around = stepsAround(stepsFixture('etcd-member-remove'));
    expect(around.before.map((step) => step.kind)).toEqual(['etcd-move-leader', 'etcd-member-remove', 'service-remove', 'etcd-move-leader', 'etcd-member-remove', 'service-remove']);
  });
});

const status = (endpoint: string, memberId: string, leader: string, raftAppliedIndex = 10): EndpointStatus => ({
  endpoint,
  clusterId: '1',
  memberId,
  leader,
  raftIndex: raftAppliedIndex,
  raftAppliedIndex,
  raftTerm: 2,
  version: '3.5.5',
  isLearner: false,
  dbSize: 1,
});

describe('the roll order and leadership', () => {
  const members = ['etcd1', 'etcd2', 'etcd3', 'etcd4'].map((name) => ({ name, spec: 'x' }));
  const endpoint = (name: string) => `${name}:2379`;

  it('a silent member first, followers next in file order, the leader last', () => {
    const statuses = [status('etcd1:2379', '11', '22'), status('etcd2:2379', '22', '22'), status('etcd4:2379', '44', '22')];
    expect(rollOrder(members, statuses, endpoint).map((member) => member.name)).toEqual(['etcd3', 'etcd1', 'etcd4', 'etcd2']);
  });

  it('no answers at all: file order', () => {
    expect(rollOrder(members, [], endpoint).map((member) => member.name)).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4']);
  });

  it('a leader only when the members that answered agree on one', () => {
    expect(leaderOf([status('a', '1', '2'), status('b', '2', '2')])?.endpoint).toBe('b');
    expect(leaderOf([status('a', '1', '2'), status('b', '2', '1')])).toBeUndefined();
    expect(leaderOf([status('a', '1', '0')])).toBeUndefined();
  });

  it('member ids: decimal in etcdctl JSON, hex on its command line (beyond a double\'s precision)', () => {
    expect(hexId('7056769341622263998')).toBe('61eeae53ed4320be');
    expect(hexId('2904435676002825965')).toBe(BigInt('2904435676002825965').toString(16));
  });

  it('etcdctl\'s last words, from a JSON log line or plain text', () => {
    expect(lastLine('{"level":"warn","msg":"retrying of unary invoker failed","error":"rpc error: code = FailedPrecondition desc = etcdserver: can only promote a learner member which is in sync with leader"}\n')).toBe(
      'retrying of unary invoker failed: rpc error: code = FailedPrecondition desc = etcdserver: can only promote a learner member which is in sync with leader',
    );
    expect(lastLine('Error: etcdserver: member not found\n')).toBe('Error: etcdserver: member not found');
  });
});

describe('steps that wait for an acknowledgement', () => {
  it('a pool added pauses S3 while every node restarts: refused until acknowledged, with the line to add', () => {
    const step = { id: 'minio-pool-add:minio5..minio8', kind: 'minio-pool-add' as const, pool: 'http://minio{5...8}:9000/data{1...2}', nodes: ['minio1'], changes: [], verifyAfter: [], acknowledgement: 'minio-pool-add:minio5..minio8' };
    expect(unacknowledgedSteps([step], [], 'production')).toEqual([
      expect.stringMatching(/^plan: step minio-pool-add:minio5\.\.minio8 runs only when acknowledged \(restart every MinIO node .*\): add "minio-pool-add:minio5\.\.minio8" under acknowledge: in environments\/production\.yaml$/),
    ]);
    expect(unacknowledgedSteps([step], ['minio-pool-add:minio5..minio8'], 'production')).toEqual([]);
  });
});

describe('before a member restarts', () => {
  /** etcd's answers as a cluster of four would give them with some members silent (a named fake of etcdctl's output). */
  function fakeCluster(silent: readonly string[], leader = 'etcd1'): EtcdCluster & { moves: string[]; asked: string[] } {
    const names = ['etcd1', 'etcd2', 'etcd3', 'etcd4'];
    const id = (name: string) => String(names.indexOf(name) + 11);
    const moves: string[] = [];
    const asked: string[] = [];
    return {
      moves,
      asked,
      endpoint: (name) => `${name}:2379`,
      members: async () => {
        asked.push('member list');
        return { ok: true, value: names.map((name) => ({ id: id(name), name, peerUrls: [`http://${name}:2380`], clientUrls: [], isLearner: false })) };
      },
      statuses: async () => {
        asked.push('endpoint status');
        return names.filter((name) => !silent.includes(name)).map((name) => status(`${name}:2379`, id(name), moves.length > 0 ? moves.at(-1)! : id(leader)));
      },
      etcdctl: async (_members, args) => {
        asked.push(args[0]!);
        if (args[0] === 'move-leader') moves.push(BigInt(`0x${args[1]}`).toString());
        return { ok: true, stdout: '', stderr: '' };
      },
    };
  }
  const context = { environment: 'staging', model: { swarm: { deployTimeoutSeconds: 5 } }, topology: { etcd: { members: ['etcd1', 'etcd2', 'etcd3', 'etcd4'].map((name) => ({ name })) } } } as unknown as DeployContext;

  it('refuses when the others that answer are no quorum: a member down elsewhere plus this restart would stop etcd', async () => {
    const answer = await readyToRestart(fakeCluster(['etcd4']), context, 'etcd3');
    expect(answer).toEqual({
      ok: false,
      reason: 'restarting etcd3 now would leave 2 of 4 voting members running, fewer than the 3 etcd needs: etcd4 does not answer — bring it back first, then deploy again (or deploy with --all-members-at-once, accepting that etcd stops until every member is back)',
    });
  });

  it('lets a silent member restart (it serves nobody), and a follower when the rest are a quorum', async () => {
    const cluster = fakeCluster(['etcd4']);
    expect(await readyToRestart(cluster, context, 'etcd4')).toMatchObject({ ok: true, note: 'etcd4 does not lead (etcd1 does): leadership stays' });
    // One look decides both the quorum and the leader: each etcdctl is a container on the stack's network.
    expect(cluster.asked).toEqual(['member list', 'endpoint status']);
    expect(await readyToRestart(fakeCluster([]), context, 'etcd3')).toMatchObject({ ok: true });
  });

  it('moves leadership away from the leader first, to the most caught-up other member', async () => {
    const cluster = fakeCluster([], 'etcd2');
    expect(await readyToRestart(cluster, context, 'etcd2')).toEqual({ ok: true, note: expect.stringMatching(/^leadership moved from etcd2 to etcd[134]$/) });
    expect(cluster.moves).toHaveLength(1);
    expect(cluster.asked).toEqual(['member list', 'endpoint status', 'move-leader', 'endpoint status']);
  });
});
