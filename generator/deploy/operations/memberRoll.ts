// etcd members one at a time. Each member is its own swarm service, and `docker stack deploy` updates every service
// at once: a change common to all members (an image bump, a flag, the healthcheck) would stop all three together and
// lose quorum — and Milvus with it. Swarm's `update_config.parallelism: 1` orders tasks within one service, not
// services. So when more than one running member would restart, deploy first deploys stack files that hold back the
// members not yet due and the etcd proxy (without --prune, `docker stack deploy` leaves services missing from the file
// alone), waits until the stack has converged and every member answers with one leader, and only then moves on; the
// last step is the rendered file itself. MinIO nodes are left to restart together: MinIO wants every node restarted
// at once when its command line changes (a node refuses peers whose arguments differ).
import type { EndpointStatus } from '../../cluster/etcdctlJson.ts';
import { leaderOf } from '../../cluster/etcdCluster.ts';

/**
 * Which members are held back in each step before the final one. Only members that exist and would restart count
 * (a missing spec label is a difference: the service predates the label). One such member needs no steps.
 */
export function rollingSteps(members: readonly { name: string; spec: string }[], running: ReadonlyMap<string, string | undefined>): { restart: string[]; steps: string[][] } {
  const restart = members.filter((member) => running.has(member.name) && running.get(member.name) !== member.spec).map((member) => member.name);
  if (restart.length < 2) return { restart, steps: [] };
  return { restart, steps: restart.slice(0, -1).map((_, index) => restart.slice(index + 1)) };
}

/** Rendered members in the order they restart: silent ones, then followers, then the leader (file order within each). */
export function rollOrder<M extends { name: string }>(members: readonly M[], statuses: readonly EndpointStatus[], endpoint: (member: string) => string): M[] {
  const leader = leaderOf(statuses);
  const rank = (member: M) => {
    const status = statuses.find((entry) => entry.endpoint === endpoint(member.name));
    if (!status) return 0;
    return leader && status.memberId === leader.memberId ? 2 : 1;
  };
  return members.map((member, index) => ({ member, index })).sort((a, b) => rank(a.member) - rank(b.member) || a.index - b.index).map((entry) => entry.member);
}
