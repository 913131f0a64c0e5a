// The executable steps of a plan (generator/plan/steps.ts, planSteps.ts): for each kind of care change, the exact
// list deploy runs, in order, with what must hold before the next; and the pure helpers the step runner uses.
import { describe, expect, it } from 'vitest';
import { describeQuorumSpan, quorumSpan, rollingOrder } from '../../generator/plan/etcdSteps.ts';
import { planFixture, stepsFixture } from './support.ts';

const ids = (name: string) => stepsFixture(name).map((step) => step.id);

describe('plan steps', () => {
  it('shrinking etcd 5 → 3: each member leaves alone, leadership moved away first, its service removed, then the roll', () => {
    expect(ids('etcd-member-remove')).toEqual([
      'etcd-move-leader:etcd4',
      'etcd-member-remove:etcd4',
      'service-remove:milvus_etcd4',
      'etcd-move-leader:etcd5',
      'etcd-member-remove:etcd5',
      'service-remove:milvus_etcd5',
      'etcd-members-roll:etcd1,etcd2,etcd3',
      'stack-deploy:milvus',
    ]);
    const [, remove] = stepsFixture('etcd-member-remove');
    expect(remove).toMatchObject({ kind: 'etcd-member-remove', member: 'etcd4', through: ['etcd1', 'etcd2', 'etcd3', 'etcd5'], changes: ['etcd-member-remove:etcd4'] });
    // Removing the 4th and 5th keeps one failure tolerated; the 3-member roll at the end is the tightest moment.
    const why = planFixture('etcd-member-remove').find((change) => change.id === 'etcd-member-remove:etcd4')!.why;
    expect(why).toContain('while each member restarts, 2 of 3 voting members run: quorum holds, but no failure is tolerated');
  });

  it('a member moved to another host: the same name cannot be listed twice, so it leaves, then joins again there empty', () => {
    expect(ids('etcd-member-host')).toEqual([
      'etcd-move-leader:etcd3',
      'etcd-member-remove:etcd3',
      'etcd-member-add:etcd3',
      'etcd-member-start:etcd3',
      'etcd-member-promote:etcd3',
      'etcd-members-roll:etcd1,etcd2,etcd3',
      'stack-deploy:milvus',
    ]);
    expect(stepsFixture('etcd-member-host')[3]).toMatchObject({ host: 'gp22aitppapnch3', dataDir: '/mnt/data/etcd', initialCluster: ['etcd1=http://etcd1:2380', 'etcd2=http://etcd2:2380', 'etcd3=http://etcd3:2380'] });
  });

  it('a member renamed onto another host is replaced: the new one joins before the old one leaves, never below 3', async () => {
    const { loadSide, PRODUCTION } = await import('./support.ts');
    const { planEnvironment, planEnvironmentSteps } = await import('../../generator/plan/index.ts');
    const base = loadSide('etcd-grow-3-to-5', 'before')!;
    const after = { ...base, etcd: { ...base.etcd, members: [...base.etcd.members.slice(0, 2), { name: 'etcd4', host: 'gp22aitppapwc2g', initialClusterState: 'existing' as const }] } };
    expect(planEnvironmentSteps(base, after, PRODUCTION).map((step) => step.id)).toEqual([
      'etcd-member-add:etcd4',
      'etcd-member-start:etcd4',
      'etcd-member-promote:etcd4',
      'etcd-move-leader:etcd3',
      'etcd-member-remove:etcd3',
      'service-remove:milvus_etcd3',
      'etcd-members-roll:etcd1,etcd2,etcd4',
      'stack-deploy:milvus',
    ]);
    const changes = planEnvironment(base, after, PRODUCTION);
    expect(changes.map((change) => change.id)).toEqual(['etcd-member-remove:etcd3', 'etcd-member-add:etcd4', 'milvus-etcd-endpoints:milvus']);
    // Four voting members while etcd3 leaves: only the final roll of three is tight.
    expect(changes[1]!.why).toContain('while each member restarts, 2 of 3 voting members run');
  });

  it('a new member starts with --initial-cluster listing exactly the members listed then, itself included', () => {
    const starts = stepsFixture('etcd-grow-3-to-5').filter((step) => step.kind === 'etcd-member-start');
    expect(starts.map((step) => step.kind === 'etcd-member-start' && step.initialCluster.map((entry) => entry.split('=')[0]))).toEqual([
      ['etcd1', 'etcd2', 'etcd3', 'etcd4'],
      ['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5'],
    ]);
  });

  it('a pool leaves by decommission: start and poll, then the rendered stack, then its services', () => {
    const steps = stepsFixture('minio-pool-remove-first');
    expect(steps.map((step) => step.id)).toEqual(['minio-pool-decommission:minio1..minio4', 'stack-deploy:milvus', 'service-remove:minio1..minio4']);
    expect(steps[0]).toMatchObject({
      pool: 'http://minio{1...4}:9000/data{1...2}',
      command: 'mc admin decommission start ALIAS/ http://minio{1...4}:9000/data{1...2}',
      verifyAfter: ['minio-pool:http://minio{1...4}:9000/data{1...2}:decommissioned', 'minio:cluster-health'],
    });
    expect(steps[2]).toMatchObject({ services: ['milvus_minio1', 'milvus_minio2', 'milvus_minio3', 'milvus_minio4'] });
  });

  it('a pool added restarts every node together, only when acknowledged', () => {
    const [add, deploy] = stepsFixture('minio-pool-add');
    expect(add).toMatchObject({ id: 'minio-pool-add:minio5..minio8', acknowledgement: 'minio-pool-add:minio5..minio8', pool: 'http://minio{5...8}:9000/data{1...2}' });
    expect(add!.kind === 'minio-pool-add' && add!.nodes).toHaveLength(8);
    expect(deploy).toMatchObject({ kind: 'stack-deploy', etcdMembers: 'rolling' });
  });

  it('a network rename deploys every member at once; safe changes have no steps', () => {
    expect(stepsFixture('network-rename')).toEqual([expect.objectContaining({ id: 'stack-deploy:milvus', etcdMembers: 'together', changes: ['network-rename:milvus-cluster-net'] })]);
    expect(stepsFixture('bucket-add')).toEqual([]);
    expect(stepsFixture('etcd-version-patch')).toEqual([]);
  });
});

describe('rollingOrder', () => {
  it('restarts an unhealthy member first, followers next, and the leader last after leadership moved away', () => {
    expect(rollingOrder(['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5'], { leader: 'etcd2', unhealthy: ['etcd4'] }).map((step) => step.id)).toEqual([
      'etcd-member-restart:etcd4',
      'etcd-member-restart:etcd1',
      'etcd-member-restart:etcd3',
      'etcd-member-restart:etcd5',
      'etcd-move-leader:etcd2',
      'etcd-member-restart:etcd2',
    ]);
  });

  it('needs no move when the leader is the unhealthy one, or unknown', () => {
    expect(rollingOrder(['etcd1', 'etcd2', 'etcd3'], { leader: 'etcd1', unhealthy: ['etcd1'] }).map((step) => step.id)).toEqual([
      'etcd-member-restart:etcd1',
      'etcd-member-restart:etcd2',
      'etcd-member-restart:etcd3',
    ]);
    expect(rollingOrder(['etcd1', 'etcd2'], { unhealthy: [] }).map((step) => step.kind)).toEqual(['etcd-member-restart', 'etcd-member-restart']);
  });
});

describe('quorumSpan', () => {
  it('says the tightest moment honestly', () => {
    expect(describeQuorumSpan(quorumSpan(['etcd1', 'etcd2', 'etcd3'], stepsFixture('etcd-grow-3-to-5')))).toBe('one failure is tolerated at every step');
    expect(describeQuorumSpan(quorumSpan(['etcd1', 'etcd2', 'etcd3'], stepsFixture('etcd-member-rename')))).toBe(
      'from the removal of etcd3 until etcd4 is promoted, 2 of 2 voting members run: quorum holds, but no failure is tolerated',
    );
    expect(describeQuorumSpan(quorumSpan(['etcd1', 'etcd2', 'etcd3'], stepsFixture('network-rename')))).toBe(
      'at one step 0 of 3 voting members run, fewer than the quorum of 2: etcd stops taking writes',
    );
  });
});
