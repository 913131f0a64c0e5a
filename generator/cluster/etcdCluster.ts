// The running etcd cluster as the executed steps see it: etcdctl in a container of the stack's etcd image on the
// stack's network (a deploy's probe, reached with docker exec, or a one-off container per call as verify runs them),
// against the members by service name. A membership change is the one time the
// members deploy knows (the topology's) are not the members etcd lists, so every step reads the list itself.
import type { DockerRunner } from '../docker/runner.ts';
import { dockerFailure } from '../docker/cli.ts';
import type { ClusterModel } from '../model/types.ts';
import { parseEndpointStatus, parseMemberList, type EndpointStatus, type Member } from './etcdctlJson.ts';
import { containerProblem } from './etcdctl.ts';
import { oneOffCalls, type EtcdctlCall } from './etcdctlProbe.ts';

/** A one-off container (create, attach to the overlay network, run etcdctl, remove) is slow under load on a busy manager. */
const CALL_MS = 30_000;

export interface EtcdCluster {
  /** `etcdctl --endpoints=<the members named> ARGS -w json`: stdout, or why it failed (etcdctl's or docker's line). */
  etcdctl(members: readonly string[], args: readonly string[]): Promise<{ ok: true; stdout: string; stderr: string } | { ok: false; reason: string; stdout: string; stderr: string }>;
  /** The members etcd lists (a learner added but not started has no name yet). */
  members(askMembers: readonly string[]): Promise<{ ok: true; value: Member[] } | { ok: false; reason: string }>;
  /** The status of each member that answered (the others are missing). */
  statuses(askMembers: readonly string[]): Promise<EndpointStatus[]>;
  endpoint(member: string): string;
}

/** `call`: how etcdctl runs (a deploy's probe container, etcdctlProbe.ts); default a one-off container per call. */
export function etcdCluster(runner: DockerRunner, model: ClusterModel, call?: EtcdctlCall): EtcdCluster {
  const endpoint = (member: string) => `${member}:${model.etcd.clientPort}`;
  const run = call ?? oneOffCalls(runner, etcdTarget(model), 'milvus-swarm-step');
  const etcdctl: EtcdCluster['etcdctl'] = async (members, args) => {
    const result = await run(members.map(endpoint), args, CALL_MS);
    if (result.timedOut) return { ok: false, reason: `etcdctl ${args.slice(0, 2).join(' ')}: no answer within ${CALL_MS / 1000} s`, stdout: result.stdout, stderr: result.stderr };
    // docker's own failure (the container never ran etcdctl) in the daemon's words: its last line is the CLI's usage
    // hint, which a staging deploy once reported as the whole reason ("Run 'docker run --help' for more information").
    const notRun = containerProblem(result.code, result.stderr);
    if (result.code !== 0) return { ok: false, reason: `etcdctl ${args.slice(0, 2).join(' ')}: ${notRun ?? (lastLine(result.stderr) || dockerFailure(result))}`, stdout: result.stdout, stderr: result.stderr };
    return { ok: true, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    etcdctl,
    endpoint,
    async members(askMembers) {
      const listed = await etcdctl(askMembers, ['member', 'list']);
      if (!listed.ok) return listed;
      try {
        return { ok: true, value: parseMemberList(listed.stdout) };
      } catch (error) {
        return { ok: false, reason: `etcdctl member list: unreadable output (${error instanceof Error ? error.message : String(error)})` };
      }
    },
    async statuses(askMembers) {
      // etcdctl exits 1 when one member does not answer but prints those that did.
      const status = await etcdctl(askMembers, ['endpoint', 'status']);
      try {
        return parseEndpointStatus(status.stdout);
      } catch {
        return [];
      }
    },
  };
}

/** etcdctl's last line that says something ({"level":…} JSON log lines carry the error in "error"). */
export function lastLine(stderr: string): string {
  const said = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const last = said.at(-1) ?? '';
  if (!last.startsWith('{')) return last;
  try {
    const entry = JSON.parse(last) as { msg?: string; error?: string };
    return [entry.msg, entry.error].filter(Boolean).join(': ');
  } catch {
    return last;
  }
}

/** Where etcdctl runs: the stack's network, with the stack's etcd image. */
export const etcdTarget = (model: ClusterModel) => ({ network: model.network.name, image: model.etcd.image, stack: model.stack });

/** etcdctl takes member ids in hex; its JSON prints them in decimal. */
export const hexId = (decimal: string): string => BigInt(decimal).toString(16);

/** The listed member with this peer URL (the one identity a learner has before it starts and names itself). */
export const byPeerUrl = (members: readonly Member[], peerUrl: string): Member | undefined => members.find((member) => member.peerUrls.includes(peerUrl));

/** The member that leads, as the members that answered agree (undefined while they disagree or none answers). */
export function leaderOf(statuses: readonly EndpointStatus[]): EndpointStatus | undefined {
  const leaders = new Set(statuses.map((status) => status.leader).filter((leader) => leader !== '' && leader !== '0'));
  if (leaders.size !== 1) return undefined;
  const [leader] = leaders;
  return statuses.find((status) => status.memberId === leader);
}
