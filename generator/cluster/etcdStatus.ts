// What `etcdctl endpoint status` of every member says about the cluster: all answer, one leader agreed by all, one
// cluster id, raft indexes close. verify reports it as a row; a restore waits on it; deploy's roll waits on it.
import type { EndpointStatus } from './etcdctlJson.ts';
import { hexId, quorumOf, type MemberEndpoint } from './etcdctl.ts';
import { fail, pass, warn, type Outcome } from './outcome.ts';

/** Followers this many raft entries behind the most advanced member are worth a warning (not a failure). */
export const RAFT_INDEX_SLACK = 1000;
export interface StatusJudgement {
  outcome: Outcome;
  /** Members that did not answer, with why: other checks excuse their failures while quorum holds. */
  missing: Map<string, string>;
  quorumHolds: boolean;
}

/** `endpoint status` of every member: all answer, one leader agreed by all, one cluster id, raft indexes close. */
export function judgeEndpointStatus(
  stack: string,
  members: readonly MemberEndpoint[], statuses: readonly EndpointStatus[], failures: ReadonlyMap<string, string>): StatusJudgement {
  const byEndpoint = new Map(statuses.map((status) => [status.endpoint, status]));
  const answered = members.filter((member) => byEndpoint.has(member.endpoint));
  const missing = new Map(
    members.filter((member) => !byEndpoint.has(member.endpoint)).map((member) => [member.name, failures.get(member.endpoint) ?? 'no answer']),
  );
  const hostOf = new Map(members.map((member) => [member.name, member.host]));
  const quorum = quorumOf(members.length);
  const quorumHolds = answered.length >= quorum;
  const missingText = [...missing].map(([name, why]) => `${name}${hostOf.get(name) ? ` on host ${hostOf.get(name)}` : ''} (${why})`).join(', ');
  const service = (name: string) => `docker service ps ${stack}_${name}`;

  if (!quorumHolds) {
    return {
      missing,
      quorumHolds,
      outcome: fail(
        `${missing.size} of ${members.length} members do not answer: ${missingText}; ${answered.length} answering is below quorum ${quorum}: etcd cannot serve writes — start them (${[...missing.keys()].map(service).join('; ')})`,
      ),
    };
  }
  const statusesOf = answered.map((member) => ({ name: member.name, status: byEndpoint.get(member.endpoint)! }));
  const nameOfId = new Map(statusesOf.map(({ name, status }) => [status.memberId, name]));

  const clusterIds = new Set(statusesOf.map(({ status }) => status.clusterId));
  if (clusterIds.size > 1) {
    const seen = statusesOf.map(({ name, status }) => `${name}: ${hexId(status.clusterId)}`).join(', ');
    return { missing, quorumHolds, outcome: fail(`members disagree on the cluster id (${seen}): a member's data dir belongs to another cluster — replace it (member remove/add with an empty data dir)`) };
  }
  const leaders = new Set(statusesOf.map(({ status }) => status.leader));
  const [leader] = leaders;
  if (leaders.size !== 1 || leader === undefined || leader === '0' || leader === '') {
    const seen = statusesOf.map(({ name, status }) => `${name} sees ${status.leader === '0' ? 'none' : (nameOfId.get(status.leader) ?? hexId(status.leader))}`).join(', ');
    return { missing, quorumHolds, outcome: fail(`no leader agreed by all members (${seen}): an election is under way or the cluster is split — check again, then the members' logs`) };
  }
  const leaderName = nameOfId.get(leader) ?? `member ${hexId(leader)}`;
  const indexes = statusesOf.map(({ status }) => status.raftIndex);
  const highest = Math.max(...indexes);
  const lagging = statusesOf.filter(({ status }) => highest - status.raftIndex > RAFT_INDEX_SLACK);
  const versions = [...new Set(statusesOf.map(({ status }) => status.version))].join(', ');
  const facts = `leader ${leaderName}, cluster id ${hexId([...clusterIds][0]!)}, raft index ${Math.min(...indexes)}..${highest}, v${versions}`;

  if (missing.size > 0) {
    return {
      missing,
      quorumHolds,
      outcome: warn(`${missingText} does not answer; ${answered.length} of ${members.length} answer, quorum ${quorum} holds (${facts}): start it (${[...missing.keys()].map(service).join('; ')})`),
    };
  }
  if (lagging.length > 0) {
    const behind = lagging.map(({ name, status }) => `${name} is ${highest - status.raftIndex} entries behind`).join(', ');
    return { missing, quorumHolds, outcome: warn(`${behind} (more than ${RAFT_INDEX_SLACK}): it is catching up or too slow — watch its disk latency (${facts})`) };
  }
  const learners = statusesOf.filter(({ status }) => status.isLearner).map(({ name }) => name);
  if (learners.length > 0) return { missing, quorumHolds, outcome: warn(`${learners.join(', ')} still a learner: promote it (etcdctl member promote) (${facts})`) };
  return { missing, quorumHolds, outcome: pass(`${answered.length} of ${members.length} answer, ${facts}`) };
}

