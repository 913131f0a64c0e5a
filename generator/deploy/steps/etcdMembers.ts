// The etcd membership steps, executed (plan/etcdSteps.ts orders them; https://etcd.io/docs/v3.5/op-guide/runtime-configuration/):
// a member joins as a learner (no vote, quorum untouched), starts on an empty data dir with the cluster listed as it
// is at that moment, and is promoted once etcd says it has caught up; a member leaves after leadership moved away.
// Each runner reads the member list first and skips what is done, so deploy run again resumes where one stopped.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { dockerDo, dockerLines } from '../../docker/calls.ts';
import { swarmConstraints } from '../../render/swarmPlacement.ts';
import { prepareJobName } from '../../topology/swarmNames.ts';
import type { Member } from '../../cluster/etcdctlJson.ts';
import { hostJobArgs, MOUNT_TARGET, PREPARE_LABEL, runPrepareJobs } from '../operations/hostDirectories.ts';
import { writeStepFile } from '../operations/stackFiles.ts';
import { deployStack } from '../operations/deployStackFile.ts';
import { passed, stopped, type DeployContext, type PhaseResult } from '../runner/runPhases.ts';
import { stackDeployOptions } from '../phases/stackDeploy.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { byPeerUrl, etcdCluster, hexId, leaderOf, type EtcdCluster } from '../../cluster/etcdCluster.ts';
import { joiningMemberStack } from '../operations/memberStack.ts';
import { quorum } from '../../plan/etcdMembership.ts';
import type { StepOf, StepRunner } from './types.ts';

const POLL_MS = 2_000;

/** Every member either topology names: during a membership change the cluster lists some of each. */
export function knownMembers(context: DeployContext): string[] {
  const names = [...(context.deployed?.etcd.members ?? []), ...context.topology.etcd.members].map((member) => member.name);
  return [...new Set(names)];
}

const stepWait = (context: DeployContext) => context.model.swarm.deployTimeoutSeconds * 1000;

/** Polls `check` until it returns a value or the time is up; the last reason it gave names the failure. */
export async function pollFor<T>(timeoutMs: number, check: () => Promise<{ value: T } | { reason: string }>, pollMs = POLL_MS): Promise<{ ok: true; value: T; ms: number } | { ok: false; reason: string }> {
  const started = performance.now();
  for (;;) {
    const result = await check();
    if ('value' in result) return { ok: true, value: result.value, ms: Math.round(performance.now() - started) };
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason: `${result.reason} (after ${Math.round((performance.now() - started) / 1000)} s)` };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Every listed member started answers with one leader: the state the next step may start from. */
async function clusterSettled(cluster: EtcdCluster, context: DeployContext): Promise<{ value: Member[] } | { reason: string }> {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { reason: listed.reason };
  const unnamed = listed.value.filter((member) => member.name === '');
  if (unnamed.length > 0) return { reason: `member ${unnamed.map((member) => member.peerUrls.join(' ')).join(', ')} is listed but has not started` };
  const statuses = await cluster.statuses(listed.value.map((member) => member.name));
  const silent = listed.value.filter((member) => !statuses.some((status) => status.endpoint === cluster.endpoint(member.name)));
  if (silent.length > 0) return { reason: `${silent.map((member) => member.name).join(', ')} did not answer endpoint status` };
  if (!leaderOf(statuses)) return { reason: `the members do not agree on one leader yet` };
  return { value: listed.value };
}

export const waitSettled = (cluster: EtcdCluster, context: DeployContext) => pollFor(stepWait(context), () => clusterSettled(cluster, context));

/** A step stopped: etcd's state as read now, and run deploy again to go on (every step skips what is done). */
function stepStopped(context: DeployContext, problem: string, state: string, revert?: string): PhaseResult {
  return stopped([problem], { stopped: { state, resume: resumeDeploy(context.environment), ...(revert ? { revert } : {}) } });
}

export const runMemberAdd: StepRunner<'etcd-member-add'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(', ')} (${listed.reason}): bring them back, then deploy again`, 'nothing changed in this step');
  if (byPeerUrl(listed.value, step.peerUrl)) return passed({ notes: [`${step.member} is already listed (${step.peerUrl}): not added again`] });
  const added = await cluster.etcdctl(step.through, ['member', 'add', step.member, `--peer-urls=${step.peerUrl}`, '--learner']);
  if (!added.ok) return stepStopped(context, `etcdctl member add ${step.member}: ${added.reason}`, `${step.member} may or may not be listed as a learner; a learner has no vote, quorum is unchanged`, removeCommand(context, step.member));
  return passed({ notes: [`${step.member} added as a learner`] });
};

export const runMemberStart: StepRunner<'etcd-member-start'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model);
  const peerUrl = context.model.etcd.members.find((member) => member.name === step.member)?.peerUrl;
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members (${listed.reason})`, 'nothing changed in this step');
  const self = peerUrl ? byPeerUrl(listed.value, peerUrl) : undefined;
  if (!self) return stepStopped(context, `${step.member} is not listed: its member add did not happen`, 'nothing changed in this step');
  if (self.name !== '' && !self.isLearner) return passed({ notes: [`${step.member} already runs as a voting member: not started again`] });
  const started = performance.now();
  const notes: string[] = [];
  if (self.name === '') {
    const aside = await emptyDataDir(context, step.member, step.dataDir, 'before-join');
    if (aside.problems.length > 0) return stepStopped(context, `${step.member}'s data dir: ${aside.problems.join('; ')}`, `${step.member} is listed as a learner and not started (no vote: quorum unchanged)`, removeCommand(context, step.member));
    notes.push(...aside.notes);
    const deployed = await deployJoining(context, step);
    if (!deployed.ok) return stepStopped(context, deployed.reason, `${step.member} is listed as a learner; its service may not run yet (no vote: quorum unchanged)`, removeCommand(context, step.member));
  }
  const running = await pollFor(stepWait(context), async () => {
    const now = await cluster.members(knownMembers(context));
    if (!now.ok) return { reason: now.reason };
    const member = byPeerUrl(now.value, self.peerUrls[0]!);
    return member && member.name !== '' ? { value: member } : { reason: `${step.member} has not started (etcd lists it without a name)` };
  });
  if (!running.ok) {
    // A joining member resolves every listed member's peer URL first and exits when one has no address: on swarm a
    // stopped member's name is not in DNS. The members that do not answer are the usual cause.
    const listedNow = await cluster.members(knownMembers(context));
    const others = listedNow.ok ? listedNow.value.filter((member) => member.name !== '' && member.name !== step.member) : [];
    const statuses = await cluster.statuses(others.map((member) => member.name));
    const silent = others.filter((member) => !statuses.some((status) => status.endpoint === cluster.endpoint(member.name))).map((member) => member.name);
    const cause = silent.length > 0 ? `; ${silent.join(', ')} ${silent.length === 1 ? 'does' : 'do'} not answer, and a joining member must reach every listed member's peer URL: bring ${silent.length === 1 ? 'it' : 'them'} back` : '';
    return stepStopped(
      context,
      `${step.member} did not start and join within ${stepWait(context) / 1000} s: ${running.reason}${cause} — \`docker service logs --tail 50 ${context.model.stack}_${step.member}\` says why`,
      `${step.member} is listed as a learner and its service is deployed (no vote: quorum unchanged)`,
      removeCommand(context, step.member),
    );
  }
  return passed({ notes: [...notes, `${step.member} started as a learner${step.host ? ` on ${step.host}` : ''} (${((performance.now() - started) / 1000).toFixed(1)} s)`] });
};

async function deployJoining(context: DeployContext, step: StepOf<'etcd-member-start'>): Promise<{ ok: true } | { ok: false; reason: string }> {
  let text: string;
  try {
    text = joiningMemberStack(await readFile(context.composeFile, 'utf8'), step.member, step.initialCluster);
  } catch (error) {
    return { ok: false, reason: `${context.composeFile}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const file = await writeStepFile(text);
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    return deployed.ok ? { ok: true } : { ok: false, reason: deployed.error ?? `docker stack deploy of ${step.member} failed` };
  } finally {
    await file.remove();
  }
}

export const runMemberPromote: StepRunner<'etcd-member-promote'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model);
  let tries = 0;
  const promoted = await pollFor(stepWait(context), async () => {
    const listed = await cluster.members(knownMembers(context));
    if (!listed.ok) return { reason: listed.reason };
    const member = listed.value.find((entry) => entry.name === step.member);
    if (!member) return { reason: `${step.member} is not listed as started` };
    if (!member.isLearner) return { value: tries };
    tries++;
    // etcd refuses until the learner has caught up with the leader ("can only promote a learner member which is in sync with leader").
    const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== '').map((entry) => entry.name);
    const answer = await cluster.etcdctl(voting, ['member', 'promote', hexId(member.id)]);
    return answer.ok ? { value: tries } : { reason: answer.reason };
  });
  if (!promoted.ok) return stepStopped(context, `${step.member} was not promoted within ${stepWait(context) / 1000} s: ${promoted.reason}`, `${step.member} runs as a learner (no vote: quorum unchanged)`, removeCommand(context, step.member));
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after promoting ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is a voting member`);
  const what = promoted.value === 0 ? `${step.member} is already a voting member` : `${step.member} promoted to a voting member (${(promoted.ms / 1000).toFixed(1)} s, ${promoted.value} ${promoted.value === 1 ? 'try' : 'tries'})`;
  return passed({ notes: [`${what}; ${settled.value.length} members answer with one leader`] });
};

export const runMoveLeader: StepRunner<'etcd-move-leader'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model);
  const moved = await moveLeaderAway(cluster, context, step.awayFrom);
  return moved.ok ? passed({ notes: [moved.note] }) : stepStopped(context, moved.reason, `${step.awayFrom} may still lead; the membership is unchanged`);
};

/**
 * When `member` leads, leadership goes to the most caught-up other voting member (etcdctl move-leader, asked of the
 * leader), and the members must agree on the new one; when it does not lead, nothing happens.
 */
export async function moveLeaderAway(cluster: EtcdCluster, context: DeployContext, member: string): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { ok: false, reason: `cannot list etcd's members (${listed.reason})` };
  const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== '');
  const statuses = await cluster.statuses(voting.map((entry) => entry.name));
  const leader = leaderOf(statuses);
  if (!leader) return { ok: false, reason: `the members that answered (${statuses.length} of ${voting.length}) do not agree on a leader: wait for an election, then deploy again` };
  const leaderName = voting.find((entry) => entry.id === leader.memberId)?.name;
  if (leaderName !== member) return { ok: true, note: `${member} does not lead (${leaderName ?? leader.memberId} does): leadership stays` };
  const candidates = statuses.filter((status) => status.memberId !== leader.memberId && !status.isLearner).sort((a, b) => b.raftAppliedIndex - a.raftAppliedIndex);
  const target = candidates[0];
  if (!target) return { ok: false, reason: `${member} leads and no other voting member answers: leadership cannot move` };
  const targetName = voting.find((entry) => entry.id === target.memberId)?.name ?? target.memberId;
  const answer = await cluster.etcdctl([member], ['move-leader', hexId(target.memberId)]);
  if (!answer.ok) return { ok: false, reason: `etcdctl move-leader to ${targetName}: ${answer.reason}` };
  const settled = await pollFor(stepWait(context), async () => {
    const now = leaderOf(await cluster.statuses(voting.map((entry) => entry.name)));
    return now && now.memberId !== leader.memberId ? { value: now } : { reason: `${member} still leads` };
  });
  if (!settled.ok) return { ok: false, reason: `leadership did not move away from ${member}: ${settled.reason}` };
  return { ok: true, note: `leadership moved from ${member} to ${targetName}` };
}

/**
 * Before a member restarts: the other voting members that answer must be a quorum on their own (a member down
 * elsewhere plus this restart would stop etcd, and Milvus with it); then leadership moves away from it.
 */
export async function readyToRestart(cluster: EtcdCluster, context: DeployContext, member: string): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { ok: false, reason: `cannot list etcd's members (${listed.reason})` };
  const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== '');
  const statuses = await cluster.statuses(voting.map((entry) => entry.name));
  const others = voting.filter((entry) => entry.name !== member);
  const answering = others.filter((entry) => statuses.some((status) => status.endpoint === cluster.endpoint(entry.name)));
  const needed = quorum(voting.length);
  // A member that does not answer serves nobody: restarting it cannot cost a vote.
  const silentItself = voting.some((entry) => entry.name === member) && !statuses.some((status) => status.endpoint === cluster.endpoint(member));
  if (!silentItself && answering.length < needed) {
    const silent = others.filter((entry) => !answering.includes(entry)).map((entry) => entry.name);
    return {
      ok: false,
      reason: `restarting ${member} now would leave ${answering.length} of ${voting.length} voting members running, fewer than the ${needed} etcd needs: ${silent.join(', ')} ${silent.length === 1 ? 'does' : 'do'} not answer — bring ${silent.length === 1 ? 'it' : 'them'} back first, then deploy again (or deploy with --all-members-at-once, accepting that etcd stops until every member is back)`,
    };
  }
  return moveLeaderAway(cluster, context, member);
}

export const runMemberRemove: StepRunner<'etcd-member-remove'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(', ')} (${listed.reason})`, 'nothing changed in this step');
  const member = listed.value.find((entry) => entry.name === step.member);
  if (!member) return passed({ notes: [`${step.member} is not listed: nothing to remove`] });
  const removed = await cluster.etcdctl(step.through, ['member', 'remove', hexId(member.id)]);
  if (!removed.ok) return stepStopped(context, `etcdctl member remove ${step.member}: ${removed.reason}`, `${step.member} may or may not be listed still`);
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after removing ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is removed from the cluster; its service still exists`);
  return passed({ notes: [`${step.member} removed from the cluster; ${settled.value.length} members answer with one leader`] });
};

export const runDataDirEmpty: StepRunner<'etcd-data-dir-empty'> = async (step, context) => {
  const aside = await emptyDataDir(context, step.member, step.dataDir, 'before-reuse', step.host);
  if (aside.problems.length > 0) return stepStopped(context, `${step.dataDir}: ${aside.problems.join('; ')}`, `${step.member} is removed from the cluster; its data dir is as it was`);
  return passed({ notes: aside.notes });
};

/**
 * A joining member must start on an empty data dir (a dir with another membership's WAL would start as that old
 * member). What is there is moved aside, never deleted: `.<dir>.<why>-<stamp>` beside it, for the operator to remove.
 * A host job pinned as the member's service is (host preparation's helper image and mechanism).
 */
async function emptyDataDir(context: DeployContext, member: string, dataDir: string, why: string, host?: string): Promise<{ problems: string[]; notes: string[] }> {
  const { model } = context;
  // The member's own service; for a leaving member's dir, the service of the member that will start on it.
  const owner = model.etcd.members.find((candidate) => candidate.name === member) ?? model.etcd.members.find((candidate) => candidate.dataDir === dataDir && candidate.host === host);
  const service = model.services.find((candidate) => candidate.name === owner?.name);
  const constraints = service ? swarmConstraints(service.placement) : [];
  if (constraints.length === 0) return { problems: [`cannot tell which node holds ${member}'s data dir (no placement in the topology)`], notes: [] };
  const parent = path.posix.dirname(dataDir);
  const base = path.posix.basename(dataDir);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const aside = `.${base}.${why}-${stamp}`;
  const runId = Date.now().toString(36).slice(-8);
  const name = prepareJobName(model.stack, runId, 1);
  // A fixed script; the paths reach it as arguments. Prints what it did, the job's only output.
  const script = 'set -e; if [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; then mv "$1" "$2"; fi; mkdir -p -m 0700 "$1"';
  const job = {
    name,
    host: host ?? member,
    constraints,
    image: model.swarm.helperImage,
    mode: '0700',
    parent,
    directories: [dataDir],
    args: [
      ...hostJobArgs(model, { name, label: `${PREPARE_LABEL}=${model.stack}`, constraints, registryAuth: true }),
      '--mount',
      `type=bind,source=${parent},target=${MOUNT_TARGET}`,
      '--entrypoint',
      'sh',
      model.swarm.helperImage,
      '-c',
      script,
      'sh',
      `${MOUNT_TARGET}/${base}`,
      `${MOUNT_TARGET}/${aside}`,
    ],
  };
  const result = await runPrepareJobs(context.runner, [job], context.options.prepareTimeoutMs ?? 120_000);
  return { problems: result.problems, notes: result.problems.length === 0 ? [`${member}'s data dir ${dataDir} is empty (what it held, if anything, is kept as ${path.posix.join(parent, aside)})`] : [] };
}

/** Undoing a member add by hand: remove it again (a learner or a member that never caught up). */
const removeCommand = (context: DeployContext, member: string): string =>
  `docker run --rm --network ${context.model.network.name} --entrypoint etcdctl ${context.model.etcd.image} --endpoints=${knownMembers(context)
    .filter((name) => name !== member)
    .map((name) => `${name}:${context.model.etcd.clientPort}`)
    .join(',')} member remove <id of ${member} in member list>`;

export const runServiceRemove: StepRunner<'service-remove'> = async (step, context) => {
  const existing = await dockerLines(context.runner, ['service', 'ls', '--format', '{{.Name}}', ...step.services.flatMap((service) => ['--filter', `name=${service}`])]);
  if (!existing.ok) return stepStopped(context, `cannot list services: ${existing.reason}`, 'nothing changed in this step');
  const present = step.services.filter((service) => existing.value.includes(service));
  if (present.length === 0) return passed({ notes: [`${step.services.join(', ')} already removed`] });
  const removed = await dockerDo(context.runner, ['service', 'rm', ...present], { timeoutMs: 60_000 });
  if (!removed.ok) return stepStopped(context, `docker service rm ${present.join(' ')}: ${removed.reason}`, `${present.join(', ')} may still run`);
  return passed({ notes: [`removed the service${present.length === 1 ? '' : 's'} ${present.join(', ')}`] });
};
