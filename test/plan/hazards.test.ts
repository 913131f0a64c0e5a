// The plan's blind spots issue 22 lists, one describe each: every case here was red against the plan before its fix
// (the commit that fixed it says so). The cases are patches on the frozen base (cases.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../generator/plan/change.ts';
import { etcdCompactionChanged } from '../../generator/plan/classifiers/etcdCluster.ts';
import { etcdDataDirReused } from '../../generator/plan/classifiers/etcdMembers.ts';
import { compareRevisions } from '../../generator/plan/comparison.ts';
import { sameMachine } from '../../generator/plan/machines.ts';
import { main } from '../../generator/cli.ts';
import { EXIT } from '../../generator/commands/io.ts';
import { caseText } from './cases.ts';
import { caseFiles, CASES_DIR, captureIO, loadSide, planFixture, PRODUCTION, stepsFixture } from './support.ts';

const byId = (changes: readonly Change[], id: string): Change => {
  const change = changes.find((entry) => entry.id === id);
  if (!change) throw new Error(`no ${id} among ${changes.map((entry) => entry.id).join(', ')}`);
  return change;
};
const classes = (changes: readonly Change[]) => changes.map((change) => [change.class, change.id]);
const procedureOf = (change: Change) => (change.procedure ?? []).join('\n');

/** `plan --from before.yaml --to after.yaml` of a case, as an operator runs it. */
async function planCli(name: string) {
  const io = captureIO(CASES_DIR);
  const files = caseFiles(name);
  const code = await main(['plan', '--from', files.before, '--to', files.after], io);
  return { code, stdout: io.output, stderr: io.stderr };
}

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

describe('a member joining on a data dir another member holds during the change (item 1)', () => {
  const order = (name: string) => {
    const ids = stepsFixture(name).map((step) => step.id);
    return (id: string) => {
      expect(ids).toContain(id);
      return ids.indexOf(id);
    };
  };

  it('moved onto the host a removed member leaves: ordered leave → empty → join, and refused unacknowledged', () => {
    const changes = planFixture('etcd-member-move-onto-leaving');
    expect(byId(changes, 'etcd-data-dir-reuse:etcd4')).toMatchObject({ class: 'destructive' });
    expect(byId(changes, 'etcd-data-dir-reuse:etcd4').what).toContain("the data dir of etcd5, which leaves");
    expect(byId(changes, 'etcd-member-host:etcd4').why).toContain("etcd5's data dir must be emptied first");
    const at = order('etcd-member-move-onto-leaving');
    expect(at('etcd-member-remove:etcd4')).toBeLessThan(at('etcd-member-remove:etcd5'));
    expect(at('etcd-member-remove:etcd5')).toBeLessThan(at('etcd-data-dir-empty:etcd5'));
    expect(at('etcd-data-dir-empty:etcd5')).toBeLessThan(at('etcd-member-add:etcd4'));
    const empty = stepsFixture('etcd-member-move-onto-leaving').find((step) => step.id === 'etcd-data-dir-empty:etcd5')!;
    expect(empty).toMatchObject({ host: 'gp22aitppapxpeg', dataDir: '/mnt/data/etcd', acknowledgement: 'etcd-data-dir-reuse:etcd4' });
  });

  it('two members swapping hosts: both leave before either joins on the other\'s emptied dir', () => {
    const changes = planFixture('etcd-members-swap-hosts');
    expect(classes(changes).filter(([changeClass]) => changeClass === 'destructive')).toEqual([
      ['destructive', 'etcd-data-dir-reuse:etcd4'],
      ['destructive', 'etcd-data-dir-reuse:etcd5'],
    ]);
    expect(byId(changes, 'etcd-data-dir-reuse:etcd4').what).toContain('which moves to gp22aitppapwc2g in the same change');
    const at = order('etcd-members-swap-hosts');
    expect(at('etcd-member-remove:etcd5')).toBeLessThan(at('etcd-data-dir-empty:etcd5'));
    expect(at('etcd-data-dir-empty:etcd5')).toBeLessThan(at('etcd-member-add:etcd4'));
    expect(at('etcd-data-dir-empty:etcd4')).toBeLessThan(at('etcd-member-add:etcd5'));
    expect(at('etcd-member-remove:etcd4')).toBeLessThan(at('etcd-data-dir-empty:etcd4'));
    // Neither member's old dir is left to delete by hand: the other takes it.
    for (const name of ['etcd4', 'etcd5']) expect(procedureOf(byId(changes, `etcd-member-host:${name}`))).not.toContain('by hand');
  });

  it('a new member on the host a moving member leaves joins only once that member has moved away', () => {
    const changes = planFixture('etcd-member-add-onto-moved');
    expect(byId(changes, 'etcd-data-dir-reuse:etcd6').class).toBe('destructive');
    expect(byId(changes, 'etcd-member-add:etcd6').why).toContain('only once etcd5 has moved away and its data dir emptied');
    const at = order('etcd-member-add-onto-moved');
    expect(at('etcd-member-remove:etcd5')).toBeLessThan(at('etcd-data-dir-empty:etcd5'));
    expect(at('etcd-data-dir-empty:etcd5')).toBeLessThan(at('etcd-member-add:etcd6'));
  });
});

describe('a joiner whose dir\'s holder stays (item 1, the branch no case reaches)', () => {
  it('is refused with the split: no order frees the dir before the members restart', () => {
    const base = loadSide('bucket-add', 'before')!;
    // etcd.dataDir becomes per member; a new member named "etcd" lands on etcd1's machine, on etcd1's old dir.
    const after = {
      ...base,
      etcd: { ...base.etcd, dataDir: '/mnt/data/{name}', members: [...base.etcd.members, { name: 'etcd', host: 'gp22aitppapcsve', initialClusterState: 'existing' as const }] },
    };
    const [change] = etcdDataDirReused(compareRevisions(base, after, PRODUCTION));
    expect(change).toMatchObject({ class: 'destructive', id: 'etcd-data-dir-reuse:etcd' });
    expect(change!.what).toContain('the data dir etcd1 runs on until it restarts on its new path');
    expect(procedureOf(change!)).toContain('first change etcd.dataDir alone');
  });
});

describe('two etcd hosts swapping node ids (item 7)', () => {
  it('says each member would start on the other\'s data dir, refuses it, and replaces the members in order', () => {
    const changes = planFixture('node-id-swap');
    const swap = byId(changes, 'node-id:gp22aitppapcsve');
    expect(swap.class).toBe('destructive');
    expect(swap.why).toContain("lwzi92s62589xhej0y4o40xkk is the node gp22aitppap92xg had: etcd1 would start on that machine, on etcd2's /mnt/data/etcd");
    expect(swap.why).toContain("each on the other's data");
    expect(swap.why).toContain("deploy's preflight refuses this unacknowledged");
    expect(swap.why).not.toContain('empty data dirs');
    expect(byId(changes, 'node-id:gp22aitppap92xg').class).toBe('destructive');
    // The members follow the machines: both move, each onto the other's dir, and quorum would not hold.
    for (const id of ['etcd-quorum-loss:etcd1,etcd2', 'etcd-data-dir-reuse:etcd1', 'etcd-data-dir-reuse:etcd2']) expect(byId(changes, id).class).toBe('destructive');
  });
});

describe('MinIO nodes swapping hosts', () => {
  it('says each lands on the other\'s drives, which MinIO refuses in another slot, not on empty drives that heal', () => {
    const changes = planFixture('minio-nodes-swap-hosts');
    for (const [node, other] of [['minio3', 'minio4'], ['minio4', 'minio3']]) {
      const move = byId(changes, `minio-node-host:${node}`);
      expect(move.class).toBe('destructive');
      expect(move.why).toContain(`it starts on ${other}'s drives`);
      expect(move.why).toContain('unexpected drive ordering');
      expect(move.why).not.toContain('heals');
    }
  });

  it('machines: an id another host had on the other side is that host\'s machine, never a re-join', () => {
    const ids = (entries: [string, string][]) => new Map(entries);
    const before = ids([['a', 'A'], ['b', 'B']]);
    expect(sameMachine({ host: 'A', nodeId: 'a', hostsByNodeId: before }, { host: 'A', nodeId: 'b', hostsByNodeId: ids([['b', 'A'], ['a', 'B']]) })).toBe(false);
    expect(sameMachine({ host: 'A', nodeId: 'a', hostsByNodeId: before }, { host: 'A', nodeId: 'new', hostsByNodeId: ids([['new', 'A'], ['b', 'B']]) })).toBe(true);
    expect(sameMachine({ host: 'B', nodeId: 'b', hostsByNodeId: before }, { host: 'A', nodeId: 'b', hostsByNodeId: ids([['b', 'A'], ['a', 'B']]) })).toBe(true);
  });
});

describe('replacing the only MinIO pool in one change (item 2)', () => {
  it('is refused, with the split: add the new pool beside it, deploy, then remove the old one', () => {
    const changes = planFixture('minio-pool-replace-only');
    const removal = byId(changes, 'minio-pool-remove:minio1..minio4');
    expect(removal.class).toBe('destructive');
    expect(removal.why).toContain('refuses to decommission the only pool');
    expect(removal.why).toContain('a second, empty deployment');
    expect(procedureOf(removal)).toContain('first add the new pool beside minio1..minio4');
    expect(procedureOf(removal)).toContain('then remove minio1..minio4 in a change of its own');
    // A pool that stays makes a removal care again (the existing cases).
    expect(byId(planFixture('minio-pool-remove'), 'minio-pool-remove:minio5..minio8').class).toBe('care');
  });
});

describe('every node of a pool renamed in place (item 7)', () => {
  it('is care: RELEASE.2023-03-20 finds its drives by format.json, and pool.bin takes the new command line', () => {
    const [change] = planFixture('minio-pool-nodes-renamed');
    expect(change).toMatchObject({ class: 'care', id: 'minio-pool-nodes:minio1..minio4' });
    expect(change!.what).toContain('every node renamed, each on its machine with its drives');
    expect(change!.why).toContain('not by endpoint names');
    expect(change!.why).toContain('unless a decommission is running');
    expect(change!.why).not.toContain('refuses the changed pool');
    // Another count or order stays refused, with what MinIO says.
    expect(planFixture('minio-pool-nodes-grown')[0]!.why).toContain('already being used in another erasure deployment');
  });
});

describe('MinIO environment that changes the erasure layout or parity (item 3)', () => {
  it('a parity the erasure sets cannot hold is refused as MinIO refuses it at start: no plan, exit 1', async () => {
    const { code, stdout, stderr } = await planCli('minio-env-parity-too-high');
    expect(code).toBe(EXIT.failed);
    expect(stdout).toBe('');
    expect(stderr[0]).toBe(
      'minio-env-parity-too-high/after.yaml:58:35: error: minio.env.MINIO_STORAGE_CLASS_STANDARD: EC:5 is more parity than pool 1\'s erasure sets of 8 drives hold (at most EC:4): every node refuses to start ("Standard storage class parity 5 should be less than or equal to 4")',
    );
  });

  it('another set size for a pool that exists is refused: its drives were formatted with one', () => {
    const [change] = planFixture('minio-env-set-drive-count');
    expect(change).toMatchObject({ class: 'destructive', id: 'minio-env:MINIO_ERASURE_SET_DRIVE_COUNT' });
    expect(change!.what).toContain('minio1..minio4 (sets of 8 → 4)');
    expect(change!.why).toContain('This cannot be changed to 4, please revert your MINIO_ERASURE_SET_DRIVE_COUNT setting');
    expect(procedureOf(change!)).toContain('keep MINIO_ERASURE_SET_DRIVE_COUNT unset while minio1..minio4 exists');
  });

  it('a STANDARD parity the sets hold stays care, and says what it does: new objects only', () => {
    const [change] = planFixture('minio-env');
    expect(change).toMatchObject({ class: 'care', id: 'minio-env:MINIO_STORAGE_CLASS_STANDARD' });
    expect(change!.why).toContain('new objects of the STANDARD (every object Milvus writes) class are written with EC:3 instead of EC:4');
    expect(change!.why).toContain('objects already written keep the parity they were written with');
  });
});

describe('an image that cannot run the service\'s probe (item 4)', () => {
  it('a MinIO release without curl under the default curl probe is refused, as the rules refuse it: no plan, exit 1', async () => {
    const { code, stdout, stderr } = await planCli('minio-version-without-curl');
    expect(code).toBe(EXIT.failed);
    expect(stdout).toBe('');
    expect(stderr[0]).toBe(
      "minio-version-without-curl/after.yaml:51:10: error: minio.image: the MinIO nodes' healthcheck runs curl inside quay.io/minio/minio:RELEASE.2023-11-01T18-37-25Z, which has none: MinIO images from RELEASE.2023-11-01T01-57-10Z on ship no curl (RELEASE.2023-11-01T18-37-25Z is one); MinIO's own probe is {probe: exec, command: [mc, ready, local]}; the tasks would never turn healthy, and swarm would never publish them",
    );
  });

  it('the same release probed by `mc ready local` is a care upgrade', () => {
    expect(classes(planFixture('minio-version-mc-probe'))).toEqual([
      ['care', 'healthcheck:minio-nodes'],
      ['care', 'minio-version:RELEASE.2023-11-01T18-37-25Z'],
    ]);
  });

  it('an image whose tools are unknown says what the probe needs from it, and how to check', () => {
    const change = byId(planFixture('minio-version-upgrade'), 'minio-version:v23.10');
    expect(change.why).toContain("the nodes' healthcheck runs curl inside the new image (MinIO images from RELEASE.2023-11-01T01-57-10Z on have no curl)");
    expect(procedureOf(change)).toContain('`docker run --rm --entrypoint curl minio:v23.10 --help` must not say "executable file not found"');
  });
});

describe('a proxy renamed (item 7)', () => {
  it('says deploy removes the old service by its label, never with --prune', () => {
    const [change] = planFixture('proxy-rename');
    expect(change).toMatchObject({ class: 'care', id: 'proxy-rename:etcd-proxy' });
    expect(change!.why).not.toContain('--prune removes');
    expect(change!.why).toContain('deploy removes `milvus_etcd-proxy` by its milvus-swarm label');
    expect(change!.why).toContain('never --prune');
  });
});

describe('plan --from FILE --to FILE takes any file names (item 8)', () => {
  const scratch = () => {
    const directory = mkdtempSync(path.join(CASES_DIR, 'names-'));
    const write = (relative: string, side: 'before' | 'after') => {
      mkdirSync(path.dirname(path.join(directory, relative)), { recursive: true });
      writeFileSync(path.join(directory, relative), caseText('bucket-add', side)!);
    };
    const plan = async (...args: string[]) => {
      const io = captureIO(directory);
      const code = await main(['plan', ...args], io);
      return { code, stdout: io.output, stderr: io.stderr };
    };
    return { write, plan };
  };

  it('--env names the environment of files named anything', async () => {
    const { write, plan } = scratch();
    write('x.from.yaml', 'before');
    write('x.to.yaml', 'after');
    const { code, stdout, stderr } = await plan('--from', 'x.from.yaml', '--to', 'x.to.yaml', '--env', 'production', '--format', 'markdown');
    expect(stderr).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('- **production**: 1 change: 1 safe');
  });

  it('without --env, the folder the --to argument names does, when the file name is no environment name', async () => {
    const { write, plan } = scratch();
    write('staging/x.from.yaml', 'before');
    write('staging/x.to.yaml', 'after');
    const { code, stdout } = await plan('--from', 'staging/x.from.yaml', '--to', 'staging/x.to.yaml', '--format', 'markdown');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('- **staging**: 1 change: 1 safe');
  });

  it('a clear usage error (exit 2) when neither names one, and for an --env that is not an environment name', async () => {
    const { write, plan } = scratch();
    write('x.from.yaml', 'before');
    write('x.to.yaml', 'after');
    write('environments/x.to.yaml', 'after');
    expect(await plan('--from', 'x.from.yaml', '--to', 'x.to.yaml')).toMatchObject({
      code: EXIT.usage,
      stderr: [expect.stringMatching(/^milvus-swarm: --to x\.to\.yaml: the file name gives the environment name "x\.to", but an environment name is a DNS label.*: name the environment with --env NAME \(or rename the file\)$/)],
    });
    expect((await plan('--from', 'x.from.yaml', '--to', 'environments/x.to.yaml')).stderr[0]).toMatch(
      /--to environments\/x\.to\.yaml: neither the file name \("x\.to"\) nor its folder \("environments", the folder of every environment\) names an environment .*--env NAME$/,
    );
    expect(await plan('--from', 'x.from.yaml', '--to', 'x.to.yaml', '--env', 'Prod')).toMatchObject({ code: EXIT.usage, stderr: [expect.stringContaining('--env "Prod": an environment name is a DNS label')] });
    expect(await plan('--base', 'HEAD', '--env', 'production')).toMatchObject({ code: EXIT.usage, stderr: [expect.stringContaining('--env names the environment of --from/--to files')] });
  });
});
