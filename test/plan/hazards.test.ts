// The plan's blind spots issue 22 lists, one describe each: every case here was red against the plan before its fix
// (the commit that fixed it says so). The cases are patches on the frozen base (cases.ts).
import { describe, expect, it } from 'vitest';
import type { Change } from '../../generator/plan/change.ts';
import { etcdCompactionChanged } from '../../generator/plan/classifiers/etcdCluster.ts';
import { compareRevisions } from '../../generator/plan/comparison.ts';
import { loadSide, planFixture, PRODUCTION, stepsFixture } from './support.ts';

const byId = (changes: readonly Change[], id: string): Change => {
  const change = changes.find((entry) => entry.id === id);
  if (!change) throw new Error(`no ${id} among ${changes.map((entry) => entry.id).join(', ')}`);
  return change;
};
const classes = (changes: readonly Change[]) => changes.map((change) => [change.class, change.id]);
const procedureOf = (change: Change) => (change.procedure ?? []).join('\n');

describe('etcd 3.5 → 3.6 (item 5)', () => {
  it('from 3.5.25 is refused: the floor is 3.5.26 (zombie members, no safe workaround below it)', () => {
    const [change] = planFixture('etcd-version-minor-from-3-5-25');
    expect(change).toMatchObject({ class: 'destructive', id: 'etcd-version:v3.6.0' });
    expect(change!.why).toContain('every member runs 3.5.26 or later');
    expect(change!.why).toContain('zombie members');
    expect(change!.procedure![0]).toContain('etcd:v3.5.26');
    expect(stepsFixture('etcd-version-minor-from-3-5-25')).toEqual([]);
  });
});

describe('auto-compaction (item 6)', () => {
  it('revision → periodic with the same "1000" is care: 1000 hours of history fill the quota, and NOSPACE stops writes', () => {
    const changes = planFixture('etcd-compaction-periodic');
    expect(classes(changes)).toEqual([['care', 'etcd-flag:auto-compaction-mode']]);
    expect(changes[0]!.why).toContain('1000 hours (~42 days) of history instead of the last 1000 revisions');
    expect(changes[0]!.why).toContain('NOSPACE alarm');
    expect(procedureOf(changes[0]!)).toContain('DB SIZE');
  });

  it('less history in the same unit is safe; more is care; a duration in periodic mode is read as hours', () => {
    const base = loadSide('bucket-add', 'before')!;
    const compaction = (mode: 'revision' | 'periodic', retention: string, from = base) =>
      etcdCompactionChanged(compareRevisions(from, { ...from, etcd: { ...from.etcd, autoCompactionMode: mode, autoCompactionRetention: retention } }, PRODUCTION));
    expect(compaction('revision', '500').map((change) => change.class)).toEqual(['safe']);
    expect(compaction('revision', '5000').map((change) => change.class)).toEqual(['care']);
    const periodic = { ...base, etcd: { ...base.etcd, autoCompactionMode: 'periodic' as const, autoCompactionRetention: '1h' } };
    expect(compaction('periodic', '30m', periodic)[0]).toMatchObject({ class: 'safe', id: 'etcd-flag:auto-compaction-retention' });
    expect(compaction('periodic', '1', periodic)[0]!.why).toContain('1 hour of history instead of 1 hour of history');
    expect(compaction('periodic', '72', periodic)[0]!.why).toContain('72 hours (~3 days) of history instead of 1 hour of history');
  });
});
