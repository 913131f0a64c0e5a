// The plan mistakes issue 11 lists, one test each: every one of these was red against the plan before the fix
// (the report of the branch that fixed them says so). The cases are patches on the frozen base (cases.ts).
import { describe, expect, it } from 'vitest';
import type { Change } from '../../generator/plan/change.ts';
import { planFixture, stepsFixture } from './support.ts';

const byId = (changes: readonly Change[], id: string): Change => {
  const change = changes.find((entry) => entry.id === id);
  if (!change) throw new Error(`no ${id} among ${changes.map((entry) => entry.id).join(', ')}`);
  return change;
};
const procedureOf = (change: Change) => (change.procedure ?? []).join('\n');

describe('removing the first of two MinIO pools', () => {
  it('names the pool actually removed, and decommissions that pool, not the one that stays', () => {
    const changes = planFixture('minio-pool-remove-first');
    expect(changes.map((change) => [change.class, change.id])).toEqual([['care', 'minio-pool-remove:minio1..minio4']]);
    const removal = byId(changes, 'minio-pool-remove:minio1..minio4');
    expect(removal.what).toContain('minio1, minio2, minio3 and minio4');
    expect(procedureOf(removal)).toContain('http://minio{1...4}:9000/data{1...2}');
    expect(procedureOf(removal)).not.toContain('minio{5...8}');
  });
});

describe('the pools listed in another order', () => {
  it('is no pool removed, added or changed: one pool-order change, refused where MinIO refuses it', () => {
    const changes = planFixture('minio-pool-order');
    expect(changes.map((change) => [change.class, change.id])).toEqual([['destructive', 'minio-pool-order:milvus']]);
    expect(changes[0]!.why).toContain('pool order change detected');
    expect(changes[0]!.why).toContain('RELEASE.2023-05-18T00-05-36Z');
  });

  it('on a release that accepts it, only restarts every node together', () => {
    const changes = planFixture('minio-pool-order-newer-release');
    expect(changes.map((change) => [change.class, change.id])).toEqual([['care', 'minio-pool-order:milvus']]);
    expect(changes[0]!.why).toContain('every node restarts together');
  });
});

describe('growing etcd from 3 to 5 members', () => {
  it('claims no quorum that does not hold: new members join as learners, and the running members restart only once both are in', () => {
    const changes = planFixture('etcd-grow-3-to-5');
    for (const id of ['etcd-member-add:etcd4', 'etcd-member-add:etcd5']) {
      expect(byId(changes, id).why).not.toContain('keeps the started members a quorum at every step');
      expect(byId(changes, id).why).toContain('one failure is tolerated at every step');
    }
    expect(stepsFixture('etcd-grow-3-to-5').map((step) => step.id)).toEqual([
      'etcd-member-add:etcd4',
      'etcd-member-start:etcd4',
      'etcd-member-promote:etcd4',
      'etcd-member-add:etcd5',
      'etcd-member-start:etcd5',
      'etcd-member-promote:etcd5',
      'etcd-members-roll:etcd1,etcd2,etcd3,etcd4,etcd5',
      'stack-deploy:milvus',
    ]);
  });
});

describe('renaming an etcd member on its host', () => {
  it('starts the new member only on an emptied data dir, after the old one is removed, and says quorum then has no spare', () => {
    const changes = planFixture('etcd-member-rename');
    const add = byId(changes, 'etcd-member-add:etcd4');
    expect(add.why).not.toContain('keeps the started members a quorum at every step');
    expect(add.why).toContain('2 of 2');
    const ids = stepsFixture('etcd-member-rename').map((step) => step.id);
    const at = (id: string) => {
      expect(ids).toContain(id);
      return ids.indexOf(id);
    };
    expect(at('etcd-move-leader:etcd3')).toBeLessThan(at('etcd-member-remove:etcd3'));
    expect(at('etcd-member-remove:etcd3')).toBeLessThan(at('etcd-data-dir-empty:etcd3'));
    expect(at('etcd-data-dir-empty:etcd3')).toBeLessThan(at('etcd-member-add:etcd4'));
    expect(at('etcd-member-add:etcd4')).toBeLessThan(at('etcd-member-start:etcd4'));
    // Emptying the old member's data needs its own acknowledgement.
    expect(byId(changes, 'etcd-data-dir-reuse:etcd4').class).toBe('destructive');
  });
});

describe('renaming the network', () => {
  it('restarts every etcd member together, as the plan says, instead of rolling them into a network their peers are not on', () => {
    const changes = planFixture('network-rename');
    const rename = byId(changes, 'network-rename:milvus-cluster-net');
    expect(rename.why).toContain('restart at once');
    expect(rename.steps).toEqual([expect.objectContaining({ kind: 'stack-deploy', etcdMembers: 'together' })]);
  });
});

describe('two MinIO nodes of one erasure set changed at once', () => {
  it('is refused as a whole with the split that works, and no change claims there is redundancy left', () => {
    const changes = planFixture('minio-drive-paths-two-nodes');
    const whole = byId(changes, 'minio-redundancy:minio1,minio2');
    expect(whole.class).toBe('destructive');
    expect(whole.why).toContain('no redundancy');
    expect(procedureOf(whole)).toContain('minio1 in one change');
    expect(procedureOf(whole)).toContain('minio2 in the next');
    for (const change of changes) expect(`${change.why}\n${procedureOf(change)}`).not.toMatch(/less redundancy|before (moving|changing) another node/);
  });

  it('a pool-wide drive path change is refused as a whole, one node per change named', () => {
    const whole = byId(planFixture('minio-drive-paths-all-nodes'), 'minio-redundancy:minio1,minio2,minio3,minio4');
    expect(whole.why).toContain('objects are lost');
    expect(procedureOf(whole)).toContain('minio1 in one change');
  });
});

describe('etcd versions', () => {
  it('3.5 → 3.4 is refused: it needs 3.4.32 or later with --next-cluster-version-compatible, which the generator cannot render', () => {
    const [change] = planFixture('etcd-version-downgrade');
    expect(change).toMatchObject({ class: 'destructive', id: 'etcd-version:v3.4.27' });
    expect(change!.why).toContain('3.4.32');
    expect(change!.why).toContain('--next-cluster-version-compatible');
    expect(change!.why).toContain('cannot render');
    expect(procedureOf(change!)).not.toContain('downgrade enable');
  });

  it('3.5 → 3.6 from before 3.5.26 is refused, with the patch upgrade to do first', () => {
    const [change] = planFixture('etcd-version-minor');
    expect(change).toMatchObject({ class: 'destructive', id: 'etcd-version:v3.6.0' });
    expect(change!.why).toContain('3.5.26');
    expect(change!.procedure![0]).toContain('etcd:v3.5.26');
  });

  it('3.5.26 → 3.6 is a rolling upgrade, one member at a time', () => {
    const [change] = planFixture('etcd-version-minor-from-latest-patch');
    expect(change).toMatchObject({ class: 'care', id: 'etcd-version:v3.6.0' });
    expect(change!.steps?.map((step) => step.kind)).toEqual(['etcd-members-roll', 'stack-deploy']);
  });
});
