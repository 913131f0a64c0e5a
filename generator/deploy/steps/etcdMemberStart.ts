// The step etcd-member-start: a learner's service alone, on an empty data dir, with `--initial-cluster` exactly as
// etcd lists the cluster now and `--initial-cluster-state existing` (operations/memberStack.ts writes its stack file);
// then wait until it names itself. Skipped when it already runs as a voting member.
import { readFile } from 'node:fs/promises';
import { byPeerUrl, etcdCluster } from '../../cluster/etcdCluster.ts';
import { deployStack } from '../operations/deployStackFile.ts';
import { joiningMemberStack } from '../operations/memberStack.ts';
import { writeStepFile } from '../operations/stackFiles.ts';
import { emptyDataDir } from '../moves/etcdDataDir.ts';
import { knownMembers, pollFor, removeCommand, stepWait } from '../moves/etcdMembership.ts';
import { stackDeployOptions } from '../moves/stackDeploys.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed, type DeployContext } from '../runner/contract.ts';
import type { StepOf, StepRunner } from './types.ts';

export const runMemberStart: StepRunner<'etcd-member-start'> = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
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
