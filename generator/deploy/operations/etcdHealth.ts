// Between two member restarts: every member answers, one leader agreed by all, raft indexes close — the judgement
// verify's endpoint-status row makes (cluster/etcdStatus.ts) — polled until it passes or the time is up. Converged is
// not enough: a restarted member's healthcheck passes before it has caught up with the leader.
import type { EtcdCluster } from '../../cluster/etcdCluster.ts';
import { parseEndpointFailures, parseEndpointStatus } from '../../cluster/etcdctlJson.ts';
import { judgeEndpointStatus } from '../../cluster/etcdStatus.ts';
import type { ClusterModel } from '../../model/types.ts';

/** `signal`: a caller that no longer needs the answer (its step failed meanwhile) stops the polling. */
export async function waitForEtcdHealthy(cluster: EtcdCluster, model: ClusterModel, timeoutMs: number, pollMs = 1_000, signal?: AbortSignal): Promise<{ ok: true; ms: number } | { ok: false; reason: string; aborted?: true }> {
  const members = model.etcd.members.map((member) => ({ name: member.name, host: member.host, endpoint: cluster.endpoint(member.name) }));
  const started = performance.now();
  for (;;) {
    // etcdctl exits 1 when a member does not answer but prints those that did: judge what it printed.
    const answer = await cluster.etcdctl(
      members.map((member) => member.name),
      ['endpoint', 'status'],
    );
    const statuses = safely(() => parseEndpointStatus(answer.stdout)) ?? [];
    const reason =
      !answer.ok && statuses.length === 0
        ? answer.reason
        : ((outcome) => (outcome.status === 'pass' ? undefined : outcome.reason))(judgeEndpointStatus(model.stack, members, statuses, safely(() => parseEndpointFailures(answer.stderr)) ?? new Map()).outcome);
    if (reason === undefined) return { ok: true, ms: Math.round(performance.now() - started) };
    if (signal?.aborted) return { ok: false, reason, aborted: true };
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (signal?.aborted) return { ok: false, reason: 'no longer asked', aborted: true };
  }
}

function safely<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
