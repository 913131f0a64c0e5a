// Restoring the swarm's etcd members from a snapshot, on their own nodes and without ssh: every member service is
// scaled to 0, then per member two host jobs (replicated jobs pinned as the member is, like deploy's host
// preparation): the helper image fetches the snapshot over the stack's network and moves the old data dir aside
// (never deletes it), then the etcd image runs `etcdutl snapshot restore` into the data dir with a new cluster
// token. Then all members start together (a restored cluster forms only with its members together) and the
// restorer waits until every member answers with one leader.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dockerDo, dockerLines } from '../docker/calls.ts';
import type { DockerRunner } from '../docker/runner.ts';
import type { ClusterModel } from '../model/types.ts';
import { swarmConstraints } from '../render/swarmPlacement.ts';
import { restoreJobName, restoreUrlSecretName, stackScopedName } from '../topology/swarmNames.ts';
import { parseEndpointStatus, parseEndpointFailures } from '../cluster/etcdctlJson.ts';
import { judgeEndpointStatus } from '../cluster/etcdStatus.ts';
import { hostJobArgs, retriedNotes, runJobs } from '../docker/jobs.ts';
import { restoreArgs, type MemberPeer } from './etcdSnapshot.ts';
import type { EtcdMembersRestorer } from './restore.ts';
import type { SnapshotTransferTarget, StagedSnapshot } from './snapshotTransfer.ts';
import { stageSnapshot, stagingExposure } from './snapshotTransfer.ts';
import { toolInContainer } from './swarmEtcd.ts';

export const RESTORE_JOB_LABEL = 'io.milvus-swarm.restore';
const MOUNT = '/milvus-swarm-host';

/** Bounds of each wait: members stopping, jobs (a fetch of a large snapshot), the restarted cluster electing. */
export interface MemberRestoreLimits {
  stopMs: number;
  jobsMs: number;
  leaderMs: number;
}
export const DEFAULT_LIMITS: MemberRestoreLimits = { stopMs: 90_000, jobsMs: 300_000, leaderMs: 120_000 };

export interface MemberJobs {
  member: string;
  service: string;
  /** Where the old data dir and the fetched snapshot stay on the member's node. */
  keptAside: string;
  fetch: { name: string; args: string[] };
  restore: { name: string; args: string[] };
}

// A fixed script; every value reaches it as an argument, never as text of the script. The snapshot's URL is not one
// of them: it is a presigned URL (MinIO's root access key and a signature valid for minutes), so it reaches the job
// as a swarm secret file, never as a `docker service create` argument (visible to every user of the manager in its
// process list) nor in the service's spec (kept in swarm's raft log and shown by `docker service inspect`).
const URL_FILE = '/run/secrets/milvus-swarm-snapshot-url';
const FETCH_SCRIPT = `set -e; mkdir -p -m 0700 "$1"; wget -q -O "$1/snapshot.db" "$(cat ${URL_FILE})"; if [ -e "$2" ]; then mv "$2" "$1/data"; fi`;

/**
 * The two host jobs of every member (pure, tested): `stamp` names the kept-aside folder, `urlSecret` is the swarm
 * secret that holds the staged snapshot's URL.
 */
export function memberRestoreJobs(model: ClusterModel, input: { runId: string; stamp: string; urlSecret: string; clusterToken: string }): MemberJobs[] {
  const cluster: MemberPeer[] = model.etcd.members.map((member) => ({ name: member.name, peerUrl: member.peerUrl }));
  // etcdutl resolves the member's peer host before anything; stopped dnsrr members are not in DNS (etcdSnapshot.ts).
  const hosts = model.etcd.members.flatMap((member) => ['--host', `${member.name}:127.0.0.1`]);
  return model.etcd.members.map((member, index) => {
    const service = model.services.find((candidate) => candidate.name === member.name);
    const constraints = service ? swarmConstraints(service.placement) : [];
    const parent = path.posix.dirname(member.dataDir);
    const base = path.posix.basename(member.dataDir);
    const asideName = `.${base}.before-restore-${input.stamp}`;
    const common = (name: string) => [
      ...hostJobArgs({ name, label: `${RESTORE_JOB_LABEL}=${model.stack}`, constraints, resolveImage: model.swarm.resolveImage }),
      '--mount',
      `type=bind,source=${parent},target=${MOUNT}`,
    ];
    const fetchName = restoreJobName(model.stack, 'fetch', input.runId, index + 1);
    const restoreName = restoreJobName(model.stack, 'restore', input.runId, index + 1);
    return {
      member: member.name,
      service: stackScopedName(model.stack, member.name),
      keptAside: path.posix.join(parent, asideName),
      fetch: {
        name: fetchName,
        args: [
          ...common(fetchName),
          '--network',
          model.network.name,
          '--secret',
          `source=${input.urlSecret},target=${path.posix.basename(URL_FILE)},mode=0400`,
          '--entrypoint',
          'sh',
          model.swarm.helperImage,
          '-c',
          FETCH_SCRIPT,
          'sh',
          `${MOUNT}/${asideName}`,
          `${MOUNT}/${base}`,
        ],
      },
      restore: {
        name: restoreName,
        args: [
          ...common(restoreName),
          ...hosts,
          '--entrypoint',
          'etcdutl',
          model.etcd.image,
          ...restoreArgs({
            file: `${MOUNT}/${asideName}/snapshot.db`,
            dataDir: `${MOUNT}/${base}`,
            member: { name: member.name, peerUrl: member.peerUrl },
            cluster,
            clusterToken: input.clusterToken,
          }),
        ],
      },
    };
  });
}

/** `docker service ls` Replicas: "1/1", "0/1", "0/1 (1/1 completed)": the running count. */
export const runningReplicas = (replicas: string): number => Number(/^(\d+)\//.exec(replicas.trim())?.[1] ?? NaN);

export interface SwarmMembersInput {
  runner: DockerRunner;
  model: ClusterModel;
  workDir: string;
  transfer: SnapshotTransferTarget;
  limits?: MemberRestoreLimits;
  log?: (line: string) => void;
  now?: () => Date;
}

// ~65 lines: one object of three methods over the same runner, model and limits (fetch on each node, restore, start
// together), each a few lines calling the job helpers below.
export function swarmMembers(input: SwarmMembersInput): EtcdMembersRestorer {
  const { runner, model } = input;
  const limits = input.limits ?? DEFAULT_LIMITS;
  const services = model.etcd.members.map((member) => stackScopedName(model.stack, member.name));
  const replicas = services.map((service) => `${service}=1`);
  return {
    where: `the etcd members ${model.etcd.members.map((member) => member.name).join(', ')} of stack ${model.stack} (each on its node)`,
    async check() {
      const found = await dockerLines(runner, ['service', 'inspect', '--format', '{{.Spec.Name}}', ...services], { timeoutMs: 20_000 });
      const exposed = await stagingExposure(input.transfer).catch((error: Error) => `the policy of ${input.transfer.bucket} could not be read (${error.message}): the snapshot is staged there only when nobody else can read it`);
      return [
        ...(found.ok ? [] : [`the etcd member services (${services.join(', ')}) are not all there: ${found.reason}: deploy the stack first, then restore`]),
        ...(exposed ? [exposed] : []),
      ];
    },
    async restore({ snapshotFile, clusterToken, pointId }) {
      const log = input.log ?? (() => undefined);
      const stamp = (input.now ?? (() => new Date()))().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').toLowerCase();
      const runId = Date.now().toString(36);
      const staged: StagedSnapshot = await stageSnapshot(input.transfer, snapshotFile, `${stamp}-${randomBytes(3).toString('hex')}`);
      const urlSecret = restoreUrlSecretName(model.stack, runId);
      const jobs = memberRestoreJobs(model, { runId, stamp, urlSecret, clusterToken });
      const notes: string[] = [];
      const restart = `docker service scale --detach ${replicas.join(' ')}`;
      const stoppedState = (what: string) =>
        `${what}; the etcd members are stopped. Each member's old data dir is kept in ${jobs.map((job) => job.keptAside).join(', ')} (on its node) once its fetch job ran: restore point ${pointId} again (by its id: --point latest is now the undo point), or move data back to the data dir and start them with \`${restart}\``;
      let secretMade = false;
      try {
        // The URL on stdin: in no process's arguments.
        const made = await dockerDo(runner, ['secret', 'create', '--label', `${RESTORE_JOB_LABEL}=${model.stack}`, urlSecret, '-'], { timeoutMs: 30_000, input: staged.url });
        if (!made.ok) throw new Error(`the swarm secret for the snapshot's URL could not be made (${made.error}): nothing was changed`);
        secretMade = true;
        log(`stopping ${services.join(', ')}`);
        const scaled = await dockerDo(runner, ['service', 'scale', '--detach', ...services.map((service) => `${service}=0`)], { timeoutMs: 30_000 });
        if (!scaled.ok) throw new Error(`${scaled.error}: nothing was changed`);
        await waitUntil(`the etcd members stopped`, limits.stopMs, async () => {
          const listed = await dockerLines(runner, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=${model.stack}`, '--format', '{{.Name}}\t{{.Replicas}}'], { timeoutMs: 15_000 });
          if (!listed.ok) return false;
          return listed.value.filter((line) => services.includes(line.split('\t')[0]!)).every((line) => runningReplicas(line.split('\t')[1] ?? '') === 0);
        }).catch((error: Error) => {
          throw new Error(stoppedState(error.message));
        });
        log(`fetching the snapshot and moving the data dirs aside on the members' nodes`);
        const fetched = await runMemberJobs(runner, jobs.map((job) => ({ ...job.fetch, member: job.member })), limits.jobsMs, log);
        if (fetched.length > 0) throw new Error(stoppedState(`fetching the snapshot on the members' nodes failed: ${fetched.join('; ')}`));
        log(`etcdutl snapshot restore on the members' nodes`);
        const restored = await runMemberJobs(runner, jobs.map((job) => ({ ...job.restore, member: job.member })), limits.jobsMs, log);
        if (restored.length > 0) throw new Error(stoppedState(`etcdutl snapshot restore failed: ${restored.join('; ')}`));
      } finally {
        // After the jobs are removed (runMemberJobs): swarm refuses to remove a secret a service still uses.
        if (secretMade) {
          const removed = await dockerDo(runner, ['secret', 'rm', urlSecret], { timeoutMs: 30_000 });
          if (!removed.ok) notes.push(`the swarm secret ${urlSecret} (the snapshot's URL, expiring in minutes) was not removed (${removed.error}): docker secret rm ${urlSecret}`);
        }
        await staged.remove().catch((error: Error) => notes.push(`the staged snapshot ${input.transfer.bucket}/${staged.key} was not removed (${error.message}): remove it and its version`));
      }
      log(`starting ${services.join(', ')} together`);
      const started = await dockerDo(runner, ['service', 'scale', '--detach', ...replicas], { timeoutMs: 30_000 });
      if (!started.ok) throw new Error(`the data dirs are restored, but the members did not start (${started.error}): run \`${restart}\``);
      const leader = await waitForLeader(runner, model, input.workDir, limits.leaderMs);
      notes.push(`etcd answers with one leader after the restore: ${leader}`);
      notes.push(`the old data dirs are kept aside on the members' nodes (${jobs.map((job) => job.keptAside).join(', ')}): remove them once verify passes`);
      return { notes };
    },
  };
}

async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>, pollMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() + pollMs > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The jobs run (docker/jobs.ts): the failures, one line each, with the job's last words (what etcdutl or wget said). */
async function runMemberJobs(runner: DockerRunner, jobs: readonly { name: string; args: string[]; member: string }[], timeoutMs: number, log: (line: string) => void): Promise<string[]> {
  const runs = await runJobs(runner, jobs, timeoutMs);
  const problems: string[] = [];
  for (const job of jobs) {
    const run = runs.get(job.name)!;
    for (const note of retriedNotes(`${job.member}: job ${job.name}`, run)) log(note);
    if (run.state.kind !== 'failed') continue;
    const words = run.output.trim().split('\n').filter(Boolean).join(' | ');
    problems.push(`${job.member}: job ${job.name} ${run.state.error}${words ? ` (${words.slice(0, 400)})` : ''}`);
  }
  return problems;
}

/** Every member answers, one leader, one cluster id: the restored cluster is whole. */
async function waitForLeader(runner: DockerRunner, model: ClusterModel, workDir: string, timeoutMs: number): Promise<string> {
  const etcdctl = toolInContainer('etcdctl', { runner, model, workDir, network: true });
  const members = model.etcd.members.map((member) => ({ name: member.name, host: member.host, endpoint: `${member.name}:${model.etcd.clientPort}` }));
  let last = 'no answer yet';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await etcdctl([`--endpoints=${members.map((member) => member.endpoint).join(',')}`, '--dial-timeout=2s', '--command-timeout=3s', 'endpoint', 'status', '-w', 'json'], { timeoutMs: 30_000 });
    try {
      const judged = judgeEndpointStatus(model.stack, members, parseEndpointStatus(result.stdout), parseEndpointFailures(result.stderr));
      if (judged.outcome.status === 'pass') return judged.outcome.reason;
      last = judged.outcome.reason;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() + 2_000 > deadline) throw new Error(`the restored members started, but etcd did not answer with one leader within ${Math.round(timeoutMs / 1000)} s: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
