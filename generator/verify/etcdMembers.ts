// etcd's members seen from inside the stack's network, as the runbook checks them: a short-lived container of the
// etcd image on the attachable overlay network runs etcdctl against every member by its service name. The docker
// command lines and the judgement of etcdctl's output are pure; etcdInNetwork.ts runs them.
import { dockerFailure } from '../docker/cli.ts';
import { fail, pass, warn, type Outcome } from './rows.ts';
import type { EndpointStatus, Member } from '../cluster/etcdctlJson.ts';

/** Followers this many raft entries behind the most advanced member are worth a warning (not a failure). */
export const RAFT_INDEX_SLACK = 1000;

/** etcdctl's own limits inside the container, so it gives up (and says why) before our process deadline. */
export const ETCDCTL_DIAL_TIMEOUT = '2s';
// endpoint status asks the members one after another, each up to the command timeout (a refused connection also
// waits it out): 2 s keeps three dead members under 7 s, and a live member answers status in milliseconds.
export const ETCDCTL_COMMAND_TIMEOUT = '2s';

export const VERIFY_CONTAINER_LABEL = 'io.milvus-swarm.verify';

export interface EtcdctlRun {
  /** The container's name, unique per run, so a container left by a killed client can be removed by name. */
  name: string;
  args: string[];
}

export interface EtcdctlTarget {
  network: string;
  image: string;
  stack: string;
}

/** `docker run` of etcdctl on the stack's network. No shell: the etcd image may have none (distroless). */
export function etcdctlRun(target: EtcdctlTarget, name: string, endpoints: readonly string[], command: readonly string[]): EtcdctlRun {
  return {
    name,
    args: [
      'run',
      '--rm',
      '--name',
      name,
      '--label',
      `${VERIFY_CONTAINER_LABEL}=${target.stack}`,
      '--network',
      target.network,
      '--entrypoint',
      'etcdctl',
      target.image,
      `--endpoints=${endpoints.join(',')}`,
      `--dial-timeout=${ETCDCTL_DIAL_TIMEOUT}`,
      `--command-timeout=${ETCDCTL_COMMAND_TIMEOUT}`,
      ...command,
      '-w',
      'json',
    ],
  };
}

export interface MemberEndpoint {
  name: string;
  /** The topology's host, named beside the member when it does not answer (a host down or cut off). */
  host?: string;
  /** `etcd1:2379`, as the runbook addresses members on the overlay network. */
  endpoint: string;
}

export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/**
 * docker's own failures: the container never ran (or never ran etcdctl), so etcdctl's output says nothing about etcd.
 * docker run exits 125 when the daemon refused, 126/127 when the command could not be run; the CLI then ends with
 * "Run 'docker run --help' for more information", which is never the reason: dockerFailure finds the daemon's line.
 */
export function containerProblem(code: number, stderr: string): string | undefined {
  if (!(code >= 125 && code <= 127) && !DOCKER_RUN_HINT.test(stderr)) return undefined;
  const line = dockerFailure({ code, stderr, stdout: '', timedOut: false, elapsedMs: 0 });
  const hint = /network .* not found/i.test(line)
    ? ': is the stack deployed? (docker network ls)'
    : /unable to find image|pull access denied|manifest unknown|no such image/i.test(line)
      ? ': the etcd image is not on this node and cannot be pulled'
      : '';
  return `the etcdctl container did not start: ${line}${hint}`;
}

const DOCKER_RUN_HINT = /Run 'docker run --help'/;

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

/** `member list` names exactly the topology's members. */
export function judgeMemberList(topologyNames: readonly string[], members: readonly Member[]): Outcome {
  const names = members.map((member) => member.name || `(unstarted, peer ${member.peerUrls.join(' ') || hexId(member.id)})`);
  const missing = topologyNames.filter((name) => !members.some((member) => member.name === name));
  const extra = names.filter((name) => !topologyNames.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(extra.length > 0 ? [`not in the topology: ${extra.join(', ')}`] : []),
    ];
    return fail(
      `member list is ${names.join(', ') || 'empty'}, the topology has ${topologyNames.join(', ')} (${parts.join('; ')}): deploy the topology (deploy adds and removes members itself, as \`npx milvus-swarm plan\` lists the steps), or, after a deploy that stopped half way, deploy it again`,
    );
  }
  // etcd lists members by id, which a restore (new cluster, new ids) reshuffles: name them in the topology's order.
  const inTopologyOrder = [...names].sort((a, b) => topologyNames.indexOf(a) - topologyNames.indexOf(b));
  const learners = members.filter((member) => member.isLearner).map((member) => member.name);
  if (learners.length > 0) return warn(`${inTopologyOrder.join(', ')} as the topology, but ${learners.join(', ')} is a learner: promote it (etcdctl member promote)`);
  return pass(`${inTopologyOrder.join(', ')}, as the topology`);
}

/**
 * The probe key read from one member. A member that did not answer `endpoint status` either is already reported
 * there: while quorum holds its read is a warning, otherwise a failure.
 */
export function judgeProbeRead(
  member: string,
  read: { ok: true; values: string[] } | { ok: false; error: string },
  expected: string | undefined,
  status: Pick<StatusJudgement, 'missing' | 'quorumHolds'>,
): Outcome {
  if (expected === undefined) return fail('not read: the probe key could not be written through the proxy (see the etcd proxy row)');
  if (!read.ok) {
    const why = status.missing.get(member) ?? read.error;
    return status.quorumHolds && status.missing.has(member) ? warn(`not read: ${why} (quorum holds without it)`) : fail(`not read: ${why}`);
  }
  if (read.values.length === 0) return fail('the probe key written through the proxy is missing on this member: it is not replicating — check its log');
  if (read.values[0] !== expected) return fail('the probe key has a different value on this member: it serves stale or foreign data');
  return pass('read the probe key written through the proxy');
}

/** etcd prints member and cluster ids in hex (etcdctl -w table, the logs); JSON has them in decimal. */
export function hexId(decimal: string): string {
  try {
    return BigInt(decimal).toString(16);
  } catch {
    return decimal;
  }
}
