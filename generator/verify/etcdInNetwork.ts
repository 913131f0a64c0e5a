// Runs the in-network etcdctl checks (etcdMembers.ts decides what their output means): endpoint status, member list
// and the probe key read from each member, all at once, each in its own short-lived container with its own deadline.
import type { ClusterModel } from '../model/types.ts';
import type { Budget } from '../cluster/deadline.ts';
import { judgeBackendSize, type MemberBackend } from './etcdBackend.ts';
import type { DockerRunner, DockerResult } from '../docker/runner.ts';
import { parseEndpointFailures, parseEndpointStatus, parseGet, parseMemberList, type EndpointStatus, type Member } from '../cluster/etcdctlJson.ts';
import { containerProblem, etcdctlRun, type EtcdctlRun, type EtcdctlTarget, type MemberEndpoint } from '../cluster/etcdctl.ts';
import { runOnStackNetwork } from '../cluster/stackNetworkRun.ts';
import { judgeEndpointStatus, type StatusJudgement } from '../cluster/etcdStatus.ts';
import { judgeMemberList, judgeProbeRead } from './etcdMembers.ts';
import { later, type Later } from './later.ts';
import { fail, timed, type Outcome, type Row } from './rows.ts';

/** One container: create, attach to the overlay network, run etcdctl (≤ dial 2 s + command 4 s), remove. */
export const CONTAINER_DEADLINE_MS = 15_000;

export interface InNetworkChecks {
  runner: DockerRunner;
  target: EtcdctlTarget;
  members: MemberEndpoint[];
  budget: Budget;
  /** Unique per verify run; container names derive from it. */
  runId: string;
  /** etcd.quotaBackendBytes: the backend-size row measures the members against it. */
  quotaBackendBytes: number;
}

export interface MemberChecks {
  statusRow: Promise<Row>;
  /** Read from the same endpoint status: each member's backend against the quota. */
  backendRow: Promise<Row>;
  listRow: Promise<Row>;
  /** What the status and the list said (the failure budget's facts): members undefined when the list failed. */
  facts: Promise<{ members?: Member[]; statuses?: EndpointStatus[] }>;
  /** The probe key (undefined when the proxy could not write it) read from every member: one row each. */
  readProbe(probe: { key: string; value: string } | undefined): Promise<Row[]>;
}

/** What the checks need from the model: the stack's network and etcd image, the members by service name, the quota. */
export function memberCheckTarget(model: ClusterModel): Pick<InNetworkChecks, 'target' | 'members' | 'quotaBackendBytes'> {
  return {
    target: { network: model.network.name, image: model.etcd.image, stack: model.stack },
    members: model.etcd.members.map((member) => ({ name: member.name, host: member.host, endpoint: `${member.name}:${model.etcd.clientPort}` })),
    quotaBackendBytes: model.etcd.quotaBackendBytes,
  };
}

/**
 * Starts endpoint status and member list at once (they need no probe key, so they run while the proxy writes it);
 * the probe reads start when the key is known.
 */
export function startMemberChecks(checks: InNetworkChecks): MemberChecks {
  const { target, members } = checks;
  const endpoints = members.map((member) => member.endpoint);
  const run = (suffix: string, memberEndpoints: readonly string[], command: readonly string[]) =>
    runContainer(checks, etcdctlRun(target, `${checks.runId}-${suffix}`, memberEndpoints, command));

  // Started together (each container is slow to create: overlay attach), timed from the start; only the reads'
  // judgement waits for the status, which says whether a silent member is excused while quorum holds.
  const statusJudgement = later<StatusJudgement>();
  const backends = later<MemberBackend[]>();
  const statusesSeen = later<EndpointStatus[]>();
  const membersSeen = later<Member[]>();
  const statusRow = timed({ id: 'etcd-members:endpoint-status', check: 'etcd members: endpoint status' }, async (): Promise<Outcome> => {
    try {
      const result = await run('status', endpoints, ['endpoint', 'status']);
      const problem = containerProblem(result.code, result.stderr) ?? timeoutProblem(result);
      if (problem) return fail(problem);
      const statuses = parseEndpointStatus(result.stdout);
      statusesSeen.settle(statuses);
      backends.settle(members.flatMap((member) => statuses.filter((status) => status.endpoint === member.endpoint).map((status) => ({ name: member.name, dbSize: status.dbSize }))));
      const judgement = judgeEndpointStatus(target.stack, members, statuses, parseEndpointFailures(result.stderr));
      statusJudgement.settle(judgement);
      return judgement.outcome;
    } finally {
      statusJudgement.settle(undefined);
      backends.settle(undefined);
      statusesSeen.settle(undefined);
    }
  });
  const backendRow = timed({ id: 'etcd-members:backend-size', check: 'etcd members: backend size' }, async () => judgeBackendSize(await backends.promise, checks.quotaBackendBytes));
  const listRow = memberListRow(members, () => run('members', endpoints, ['member', 'list']), membersSeen);
  const facts = Promise.all([membersSeen.promise, statusesSeen.promise]).then(([listed, statuses]) => ({ ...(listed ? { members: listed } : {}), ...(statuses ? { statuses } : {}) }));
  const readProbe = async (probe: { key: string; value: string } | undefined): Promise<Row[]> => {
    const unknown = { missing: new Map<string, string>(), quorumHolds: false };
    // One row, not one per member: nothing was written, so there is nothing any member could show.
    if (!probe) return [await timed({ id: 'etcd-members:probe-key', check: 'etcd members: probe key' }, async () => judgeProbeRead('', { ok: true, values: [] }, undefined, unknown))];
    return Promise.all(
      members.map((member) =>
        timed({ id: `etcd-member:${member.name}:probe-key`, check: `etcd member ${member.name}: probe key` }, async () => {
          const result = await run(`get-${member.name}`, [member.endpoint], ['get', probe.key]);
          const problem = containerProblem(result.code, result.stderr) ?? timeoutProblem(result);
          if (problem) return fail(problem);
          const read =
            result.code === 0
              ? { ok: true as const, values: parseGet(result.stdout).map((kv) => kv.value) }
              : { ok: false as const, error: etcdctlError(result.stderr) };
          return judgeProbeRead(member.name, read, probe.value, (await statusJudgement.promise) ?? unknown);
        }),
      ),
    );
  };
  return { statusRow, backendRow, listRow, facts, readProbe };
}

/** `member list` names exactly the topology's members; what it listed is settled for the failure budget. */
function memberListRow(members: readonly MemberEndpoint[], list: () => Promise<DockerResult>, seen: Later<Member[]>): Promise<Row> {
  return timed({ id: 'etcd-members:member-list', check: 'etcd members: member list' }, async () => {
    try {
      const result = await list();
      const problem = containerProblem(result.code, result.stderr) ?? timeoutProblem(result);
      if (problem) return fail(problem);
      if (result.code !== 0) return fail(`etcdctl member list failed: ${etcdctlError(result.stderr)}`);
      const listed = parseMemberList(result.stdout);
      seen.settle(listed);
      return judgeMemberList(
        members.map((member) => member.name),
        listed,
      );
    } finally {
      seen.settle(undefined);
    }
  });
}

async function runContainer(checks: InNetworkChecks, run: EtcdctlRun): Promise<DockerResult> {
  const result = await runOnStackNetwork(checks.runner, { network: checks.target.network, args: run.args, timeoutMs: () => checks.budget.call(CONTAINER_DEADLINE_MS) });
  // Killing the client leaves the container running: remove it by its name (best effort, it exits on its own too).
  if (result.timedOut) void checks.runner(['rm', '--force', run.name], { timeoutMs: 5_000 }).catch(() => undefined);
  return result;
}

function timeoutProblem(result: DockerResult): string | undefined {
  return result.timedOut ? `the etcdctl container did not finish within ${(result.elapsedMs / 1000).toFixed(1)} s (docker is slow or the network attach hangs)` : undefined;
}

/** etcdctl's last line is its verdict ("Error: context deadline exceeded"); the JSON log lines before it are detail. */
function etcdctlError(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !/^(Run|See) '.*--help'/.test(line.trim()));
  const verdict = [...lines].reverse().find((line) => !line.startsWith('{')) ?? lines[lines.length - 1] ?? 'etcdctl failed';
  const dial = /Error while dialing ([^"\\]+)/.exec(stderr)?.[1];
  return `${verdict.replace(/^Error: /, '')}${dial ? ` (${dial.trim()})` : ''}`;
}

