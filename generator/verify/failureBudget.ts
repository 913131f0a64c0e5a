// The failure budget: how many more failures each cluster survives now, from what etcd and MinIO report — not from
// the topology alone. etcd: the voting members `member list` names, those that answer `endpoint status` with a leader,
// and the quorum of the voting ones. MinIO: every drive's state from the admin API's storageinfo, the parity and set
// size MinIO reports, per erasure set. Pure: verify's rows and deploy's before/after lines read these.
//
// MinIO's quorums (cmd/erasure-metadata.go objectQuorumFromMeta, cmd/erasure-object.go): a set of N drives with
// parity P reads with N-P drives and writes with N-P, or N-P+1 when data and parity are equal (P = N/2). So reads
// survive P drives lost, writes P (or P-1 when P = N/2).
import type { EndpointStatus, Member } from '../cluster/etcdctlJson.ts';
import { quorumOf } from '../cluster/etcdctl.ts';
import type { StorageInfo } from '../minio/admin.ts';
import { minioDriveTarget } from '../model/minio.ts';
import type { ClusterModel } from '../model/types.ts';
import { erasureLayout } from '../topology/erasure.ts';
import { fail, pass, warn, type Outcome } from './rows.ts';

export interface EtcdBudget {
  /** Voting members (learners do not vote): from `member list`, else the topology's count. */
  voting: number;
  votingFrom: 'member list' | 'topology';
  /** Voting members that answered `endpoint status` and see a leader. */
  answering: number;
  quorum: number;
  /** answering - quorum: how many more members may stop before quorum is lost (negative: lost). */
  tolerates: number;
  /** The voting members that do not answer, as `etcd2 on host stg-etcd2`. */
  silent: string[];
}

/** From what the members said: `members` undefined when `member list` failed (it needs quorum). */
export function etcdBudget(model: ClusterModel, members: readonly Member[] | undefined, statuses: readonly EndpointStatus[]): EtcdBudget {
  const endpointOf = (name: string) => `${name}:${model.etcd.clientPort}`;
  const hostOf = new Map(model.etcd.members.map((member) => [member.name, member.host]));
  const votingNames = members ? members.filter((member) => !member.isLearner).map((member) => member.name || '(unstarted)') : model.etcd.members.map((member) => member.name);
  const withLeader = new Set(statuses.filter((status) => !status.isLearner && status.leader !== '' && status.leader !== '0').map((status) => status.endpoint));
  const answering = votingNames.filter((name) => withLeader.has(endpointOf(name)));
  const quorum = quorumOf(votingNames.length);
  return {
    voting: votingNames.length,
    votingFrom: members ? 'member list' : 'topology',
    answering: answering.length,
    quorum,
    tolerates: answering.length - quorum,
    silent: votingNames.filter((name) => !answering.includes(name)).map((name) => (hostOf.get(name) ? `${name} on host ${hostOf.get(name)}` : name)),
  };
}

/** `etcd: 3 voting members, 3 answer, tolerates 1 more` (the issue's words). */
export function describeEtcdBudget(budget: EtcdBudget): string {
  const voting = `${budget.voting} voting member${budget.voting === 1 ? '' : 's'}${budget.votingFrom === 'topology' ? ' (the topology\'s: member list did not answer)' : ''}`;
  const answer = `${budget.answering} answer${budget.answering === 1 ? 's' : ''}${budget.silent.length > 0 ? ` (not ${budget.silent.join(', ')})` : ''}`;
  const tolerance = budget.tolerates > 0 ? `tolerates ${budget.tolerates} more` : budget.tolerates === 0 ? 'tolerates no more: one more member down loses quorum' : `quorum lost: ${budget.quorum} needed`;
  return `etcd: ${voting}, ${answer}, ${tolerance}`;
}

export function judgeEtcdBudget(budget: EtcdBudget): Outcome {
  const text = describeEtcdBudget(budget);
  if (budget.tolerates < 0) return fail(`${text} — etcd refuses writes: bring the silent members back before anything else`);
  if (budget.silent.length > 0) return warn(`${text} — bring the silent members back before another fails`);
  return pass(text);
}

export interface ErasureSetBudget {
  /** From 1, as the README and the alerts number them. */
  pool: number;
  set: number;
  drives: number;
  parity: number;
  online: number;
  /** How many more drives the set may lose: reads, then writes (negative: that quorum is lost). */
  readsSurvive: number;
  writesSurvive: number;
  /** The nodes (with hosts) whose drives of this set are not online. */
  offlineOn: string[];
}

export type MinioBudget = { ok: true; sets: ErasureSetBudget[] } | { ok: false; problem: string };

/**
 * Every erasure set's budget from MinIO's storageinfo. A drive MinIO could open carries its pool and set; a drive it
 * could not (a node it cannot reach, a drive gone) carries only its endpoint, and its set is where the server command
 * line puts it: MinIO expands `http://minio{1...4}:9000/data{1...2}` with the node varying fastest and cuts the list
 * into sets in order (pkg/ellipses argExpander, cmd/endpoint-ellipses.go endpointSet.Get).
 */
export function minioBudget(model: ClusterModel, info: StorageInfo): MinioBudget {
  const { TotalSets: totalSets = [], DrivesPerSet: drivesPerSet = [], StandardSCParity: parity } = info.Backend ?? {};
  if (parity === undefined || totalSets.length === 0 || drivesPerSet.length === 0) return { ok: false, problem: 'storageinfo names no erasure backend (parity, sets): is this a distributed MinIO?' };
  const placeOf = drivePlaces(model);
  const hostOf = new Map(model.minio.pools.flatMap((pool) => pool.nodes.map((node) => [node.name, node.host] as const)));
  const sets = new Map<string, { online: number; offlineOn: Set<string> }>();
  const key = (pool: number, set: number) => `${pool}/${set}`;
  for (const [pool, count] of totalSets.entries()) for (let set = 0; set < count; set++) sets.set(key(pool, set), { online: 0, offlineOn: new Set() });
  const unplaced: string[] = [];
  for (const drive of info.Disks ?? []) {
    const node = nodeOf(drive.endpoint);
    const reported = drive.state === 'ok' && drive.pool_index !== undefined && drive.set_index !== undefined && drive.pool_index >= 0 && drive.set_index >= 0;
    const place = reported ? { pool: drive.pool_index!, set: drive.set_index! } : placeOf.get(drive.endpoint);
    const entry = place && sets.get(key(place.pool, place.set));
    if (!entry) {
      unplaced.push(drive.endpoint);
      continue;
    }
    if (drive.state === 'ok') entry.online++;
    else entry.offlineOn.add(node && hostOf.get(node) ? `${node} on host ${hostOf.get(node)}` : (node ?? drive.endpoint));
  }
  if (unplaced.length > 0) return { ok: false, problem: `MinIO reports drives the topology does not place in a set (${unplaced.slice(0, 3).join(', ')}): is the topology out of date?` };
  return {
    ok: true,
    sets: [...sets].map(([name, entry]) => {
      const [pool, set] = name.split('/').map(Number) as [number, number];
      const drives = drivesPerSet[pool] ?? 0;
      const lost = drives - entry.online;
      const writeTolerance = drives - parity === parity ? parity - 1 : parity;
      return { pool: pool + 1, set: set + 1, drives, parity, online: entry.online, readsSurvive: parity - lost, writesSurvive: writeTolerance - lost, offlineOn: [...entry.offlineOn].sort() };
    }),
  };
}

/** `http://minio3:9000/data1` → where the server command line puts it: pool and set, from 0. */
function drivePlaces(model: ClusterModel): Map<string, { pool: number; set: number }> {
  const places = new Map<string, { pool: number; set: number }>();
  for (const [pool, entry] of model.minio.pools.entries()) {
    const layout = entry.layout ?? erasureLayout(entry.nodes.length, entry.drivesPerNode);
    if (!layout) continue;
    for (let drive = 0; drive < entry.drivesPerNode; drive++) {
      for (const [index, node] of entry.nodes.entries()) {
        const position = drive * entry.nodes.length + index;
        places.set(`http://${node.name}:${model.minio.apiPort}${minioDriveTarget(drive)}`, { pool, set: Math.floor(position / layout.setSize) });
      }
    }
  }
  return places;
}

const nodeOf = (endpoint: string): string | undefined => /^https?:\/\/([^:/]+)/.exec(endpoint)?.[1];

/** `MinIO pool 1 set 1: 8 drives, parity 4, 8 online — reads survive 4 more, writes 3 more` (the issue's words). */
export function describeSetBudget(set: ErasureSetBudget): string {
  const survive = (count: number) => (count > 0 ? `${count} more` : count === 0 ? 'no more' : 'nothing: quorum lost');
  const offline = set.offlineOn.length > 0 ? ` (offline on ${set.offlineOn.join(', ')})` : '';
  return `MinIO pool ${set.pool} set ${set.set}: ${set.drives} drives, parity ${set.parity}, ${set.online} online${offline} — reads survive ${survive(set.readsSurvive)}, writes ${survive(set.writesSurvive)}`;
}

/**
 * Every set that has lost a drive, by name; the sets with every drive online in one phrase (a 62-pool cluster's row
 * stays one line). With one set, that set by name.
 */
export function describeMinioBudget(sets: readonly ErasureSetBudget[]): string {
  const hurt = sets.filter((set) => set.online < set.drives);
  const whole = sets.filter((set) => set.online >= set.drives);
  if (hurt.length === 0 && whole.length === 1) return describeSetBudget(whole[0]!);
  const parts = hurt.map(describeSetBudget);
  if (whole.length > 0) {
    const weakest = whole.reduce((low, set) => (set.writesSurvive < low.writesSurvive ? set : low));
    const others = hurt.length > 0 ? 'the other' : 'all';
    parts.push(`MinIO: ${others} ${whole.length} set${whole.length === 1 ? '' : 's'} with every drive online — reads survive ${weakest.readsSurvive} more, writes ${weakest.writesSurvive} more (or more)`);
  }
  return parts.join('; ');
}

export function judgeMinioBudget(sets: readonly ErasureSetBudget[]): Outcome {
  const text = describeMinioBudget(sets);
  if (sets.some((set) => set.writesSurvive < 0)) return fail(`${text} — writes to that set fail: bring its nodes and drives back before anything else`);
  if (sets.some((set) => set.online < set.drives)) return warn(`${text} — bring the offline drives back before more fail`);
  return pass(text);
}
