// The failure budget (generator/verify/failureBudget.ts): from what etcd and MinIO report — etcdctl's endpoint status
// and member list captured from etcd 3.5.5, MinIO RELEASE.2023-03-20's storageinfo captured on the local stack
// (test/verify/captureStorageInfo.ts: healthy, and with minio3's task gone) — in the issue's words.
import { describe, expect, it } from 'vitest';
import { parseEndpointStatus, parseMemberList } from '../../generator/cluster/etcdctlJson.ts';
import type { StorageInfo } from '../../generator/minio/admin.ts';
import { describeMinioBudget, etcdBudget, judgeEtcdBudget, judgeMinioBudget, minioBudget, type ErasureSetBudget } from '../../generator/verify/failureBudget.ts';
import { topologyModel } from '../deploy/support.ts';
import { frozenText } from '../frozen.ts';
import { fixture, frozenModel } from './support.ts';

const production = frozenModel('production');
const statuses = () => parseEndpointStatus(fixture('endpoint-status-healthy.json'));
const members = () => parseMemberList(fixture('member-list.json'));
const storage = (name: string) => JSON.parse(fixture(name)) as StorageInfo;

describe('etcd', () => {
  it('every voting member answers with a leader: tolerates 1 more of 3', () => {
    expect(judgeEtcdBudget(etcdBudget(production, members(), statuses()))).toEqual({ status: 'pass', reason: 'etcd: 3 voting members, 3 answer, tolerates 1 more' });
  });

  it('one silent: tolerates no more, naming the member and its host (a warning)', () => {
    const two = parseEndpointStatus(fixture('endpoint-status-one-down.stdout.json'));
    expect(judgeEtcdBudget(etcdBudget(production, members(), two))).toEqual({
      status: 'warn',
      reason: 'etcd: 3 voting members, 2 answer (not etcd3 on host gp22aitppapch5z), tolerates no more: one more member down loses quorum — bring the silent members back before another fails',
    });
  });

  it('a majority silent, member list unanswered: the topology counts the voters, quorum is lost (a failure)', () => {
    const one = statuses().slice(0, 1);
    const outcome = judgeEtcdBudget(etcdBudget(production, undefined, one));
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toBe(
      "etcd: 3 voting members (the topology's: member list did not answer), 1 answers (not etcd2 on host gp22aitppap92xg, etcd3 on host gp22aitppapch5z), quorum lost: 2 needed — etcd refuses writes: bring the silent members back before anything else",
    );
  });

  it('a member that answers without a leader does not count; a learner does not vote', () => {
    const noLeader = statuses().map((status) => (status.endpoint === 'etcd1:2379' ? { ...status, leader: '0' } : status));
    expect(etcdBudget(production, members(), noLeader)).toMatchObject({ voting: 3, answering: 2, tolerates: 0, silent: ['etcd1 on host gp22aitppapcsve'] });
    const learner = members().map((member) => (member.name === 'etcd3' ? { ...member, isLearner: true } : member));
    // Two voters: quorum 2, both answer: one more member down loses it.
    expect(etcdBudget(production, learner, statuses())).toMatchObject({ voting: 2, answering: 2, quorum: 2, tolerates: 0, silent: [] });
  });
});

describe('MinIO', () => {
  const local = frozenModel('local');

  it('the local stack healthy (4 nodes × 2 drives, EC:4): reads survive 4 more, writes 3 more', () => {
    const budget = minioBudget(local, storage('storageinfo-healthy.json'));
    if (!budget.ok) throw new Error(budget.problem);
    expect(judgeMinioBudget(budget.sets)).toEqual({ status: 'pass', reason: 'MinIO pool 1 set 1: 8 drives, parity 4, 8 online — reads survive 4 more, writes 3 more' });
  });

  it("minio3's task gone: its two drives, reported by endpoint alone, counted in their set — two drives fewer each way", () => {
    const down = storage('storageinfo-minio3-down.json');
    // As MinIO reports a node it cannot reach (cmd/notification.go getOfflineDisks): endpoint and state, no set.
    expect(down.Disks.filter((drive) => drive.state !== 'ok').map((drive) => drive.endpoint).sort()).toEqual(['http://minio3:9000/data1', 'http://minio3:9000/data2']);
    const budget = minioBudget(local, down);
    if (!budget.ok) throw new Error(budget.problem);
    expect(judgeMinioBudget(budget.sets)).toEqual({
      status: 'warn',
      reason: 'MinIO pool 1 set 1: 8 drives, parity 4, 6 online (offline on minio3) — reads survive 2 more, writes 1 more — bring the offline drives back before more fail',
    });
  });

  it('two nodes gone: write quorum lost (a failure), reads survive no more', () => {
    const info = storage('storageinfo-healthy.json');
    const gone = { ...info, Disks: info.Disks.map((drive) => (/minio[34]:/.test(drive.endpoint) ? { endpoint: drive.endpoint, state: 'offline' } : drive)) };
    const budget = minioBudget(production, gone);
    if (!budget.ok) throw new Error(budget.problem);
    expect(budget.sets).toEqual([
      { pool: 1, set: 1, drives: 8, parity: 4, online: 4, readsSurvive: 0, writesSurvive: -1, offlineOn: ['minio3 on host gp22aitppap7keb', 'minio4 on host gp22aitppapnch3'] },
    ]);
    expect(judgeMinioBudget(budget.sets).status).toBe('fail');
    expect(describeMinioBudget(budget.sets)).toBe(
      'MinIO pool 1 set 1: 8 drives, parity 4, 4 online (offline on minio3 on host gp22aitppap7keb, minio4 on host gp22aitppapnch3) — reads survive no more, writes nothing: quorum lost',
    );
  });

  it('two sets (8 nodes × 4 drives: sets of 16): a node that is gone costs each set its two drives there, placed as MinIO expands the pool', () => {
    const model = topologyModel(fixtureTopology(8, 4));
    // MinIO's own order (node fastest, pkg/ellipses): drive d of node i is position d*8+i, sets of 16 in order.
    const drives = Array.from({ length: 32 }, (_, position) => ({ node: (position % 8) + 1, drive: Math.floor(position / 8) + 1, set: Math.floor(position / 16) }));
    const info: StorageInfo = {
      Disks: drives.map(({ node, drive, set }) =>
        node === 5 ? { endpoint: `http://minio5:9000/data${drive}`, state: 'offline' } : { endpoint: `http://minio${node}:9000/data${drive}`, state: 'ok', pool_index: 0, set_index: set },
      ),
      Backend: { StandardSCParity: 4, TotalSets: [2], DrivesPerSet: [16] },
    };
    const budget = minioBudget(model, info);
    if (!budget.ok) throw new Error(budget.problem);
    expect(budget.sets.map((set) => [set.set, set.online, set.readsSurvive, set.writesSurvive])).toEqual([
      [1, 14, 2, 2],
      [2, 14, 2, 2],
    ]);
  });

  it('many sets with every drive online read as one phrase; a hurt one by name', () => {
    const set = (number: number, online: number): ErasureSetBudget => ({ pool: 1, set: number, drives: 16, parity: 4, online, readsSurvive: 4 - (16 - online), writesSurvive: 4 - (16 - online), offlineOn: online < 16 ? ['minio9'] : [] });
    expect(describeMinioBudget([set(1, 16), set(2, 16), set(3, 16)])).toBe('MinIO: all 3 sets with every drive online — reads survive 4 more, writes 4 more (or more)');
    expect(describeMinioBudget([set(1, 16), set(2, 15)])).toBe(
      'MinIO pool 1 set 2: 16 drives, parity 4, 15 online (offline on minio9) — reads survive 3 more, writes 3 more; MinIO: the other 1 set with every drive online — reads survive 4 more, writes 4 more (or more)',
    );
  });

  it('drives the topology does not place, or no erasure backend: not counted, saying why', () => {
    const info = storage('storageinfo-healthy.json');
    const stray = { ...info, Disks: [...info.Disks, { endpoint: 'http://minio9:9000/data1', state: 'offline' }] };
    expect(minioBudget(local, stray)).toEqual({ ok: false, problem: 'MinIO reports drives the topology does not place in a set (http://minio9:9000/data1): is the topology out of date?' });
    expect(minioBudget(local, { Disks: [], Backend: {} })).toEqual({ ok: false, problem: 'storageinfo names no erasure backend (parity, sets): is this a distributed MinIO?' });
  });
});

/** A copy of the frozen local topology with one pool of `nodes` × `drives`. */
function fixtureTopology(nodes: number, drives: number): string {
  const text = frozenText('local');
  const driveLines = Array.from({ length: drives }, (_, index) => `        - /var/lib/milvus-swarm/local/minio/{name}/disk${index + 1}`).join('\n');
  const nodeLines = Array.from({ length: nodes }, (_, index) => `        - { name: minio${index + 1} }`).join('\n');
  return text.replace(/  pools:\n[\s\S]*?\n  proxy:/, `  pools:\n    - drives:\n${driveLines}\n      nodes:\n${nodeLines}\n  proxy:`);
}
