// More than one running etcd member would restart: roll them one at a time before the whole stack is deployed
// (operations/memberRoll.ts says why). Each step deploys the rendered stack without the members not yet due and
// without the etcd proxy, waits for convergence and for every member to answer with one leader, and only then moves
// on; the last member restarts with the whole stack (stackDeploy.ts), the proxy with it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderedMembers, stackWithout, writeStepFile } from '../operations/stackFiles.ts';
import { rollingSteps, rollOrder } from '../operations/memberRoll.ts';
import { runningSpecs } from '../operations/runningSpecs.ts';
import { waitForEtcdHealthy } from '../operations/etcdHealth.ts';
import { watchRestart } from '../operations/restartSeen.ts';
import type { Change } from '../../plan/change.ts';
import type { Step } from '../../plan/steps.ts';
import { passed, stopped, type DeployContext, type Phase, type PhaseResult } from '../runner/contract.ts';
import { deployStack } from '../operations/deployStackFile.ts';
import type { ReportRow } from '../operations/serviceRows.ts';
import { convergeFailed, rowsOf, waitForStack } from '../moves/stackWait.ts';
import type { ConvergeResult } from '../operations/convergence.ts';
import { stackDeployOptions } from '../moves/stackDeploys.ts';
import { etcdCluster, type EtcdCluster } from '../../cluster/etcdCluster.ts';
import { allAtOnceAdvice, readyToRestart } from '../moves/etcdMembership.ts';
import { resumeDeploy, rollbackServices } from '../moves/stopPoints.ts';
import { UPDATE_MONITOR_SECONDS } from '../../render/stack.ts';

export const rollingMembers: Phase = {
  name: 'rolling etcd members',
  stage: 'deploy',
  async run(context) {
    const { model, runner, environment } = context;
    const stackText = await readFile(context.composeFile, 'utf8');
    const running = await runningSpecs(runner, model.stack, 20_000);
    if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
    const cluster = etcdCluster(runner, model, context.etcdctl);
    const rendered = renderedMembers(stackText);
    // An unhealthy member first (it serves nobody now), followers next, the leader last: one election, at the end.
    const together = membersTogether(context.planned);
    const rolls = !together && !context.options.allMembersAtOnce && rendered.some((member) => running.value.has(member.name) && running.value.get(member.name) !== member.spec);
    const statuses = rolls ? await cluster.statuses(rendered.map((member) => member.name)) : [];
    const rolling = rollingSteps(rollOrder(rendered, statuses, cluster.endpoint), running.value);
    const notes: string[] = [];
    if (context.options.allMembersAtOnce && rolling.restart.length > 1) {
      notes.push(`etcd members ${rolling.restart.join(', ')} restart together (--all-members-at-once): quorum is lost until they are back`);
      rolling.steps = [];
    } else if (together && rolling.restart.length > 1) {
      notes.push(`etcd members ${rolling.restart.join(', ')} restart together (the plan: ${together.reason ?? together.id}): quorum is lost until they are back`);
      rolling.steps = [];
    }
    let rows: ReportRow[] | undefined;
    for (const [index, heldBack] of rolling.steps.entries()) {
      const rolled = await rollAlone(context, { stackText, cluster, member: rolling.restart[index]!, heldBack, done: rolling.restart.slice(0, index) });
      rows = rolled.rows ?? rows;
      if (!rolled.ok) return { ...rolled.result, notes: [...notes, ...(rolled.result.notes ?? [])], ...(rolled.result.rows ? {} : rows ? { rows } : {}) };
      notes.push(...rolled.notes);
    }
    // The last (or only) member restarts with the whole stack: the same check first, unless all restart together anyway.
    if (rolling.restart.length > 0 && rolls) {
      const last = rolling.restart.at(-1)!;
      const away = await readyToRestart(cluster, context, last);
      const done = rolling.restart.slice(0, -1);
      if (!away.ok) return stopped([`before restarting ${last}: ${away.reason}`], { notes, ...(rows ? { rows } : {}), stopped: { state: `${done.length > 0 ? `${done.join(', ')} run the new spec; ` : ''}${last} still runs the previous spec`, resume: resumeDeploy(environment) } });
      notes.push(away.note);
      if (rolling.steps.length > 0) notes.push(`rolled etcd member ${last} last, with the whole stack`);
    }
    return passed({ notes, ...(rows ? { rows } : {}) });
  },
};

/** A member's new task counts as settled once it has run as long as swarm's own update monitor watches it. */
const MEMBER_SETTLE_MS = UPDATE_MONITOR_SECONDS * 1000;

interface RollStep {
  stackText: string;
  cluster: EtcdCluster;
  member: string;
  /** The members not yet due: left out of the stack file this step deploys. */
  heldBack: readonly string[];
  /** The members rolled before this one. */
  done: readonly string[];
}

type Rolled = { ok: true; notes: string[]; rows?: ReportRow[] } | { ok: false; result: PhaseResult; rows?: ReportRow[] };

/**
 * One member restarted on its rendered spec alone: leadership moved away, the stack deployed without the members not
 * yet due, convergence, then every member answering with one leader. A stop says what the cluster runs now.
 */
async function rollAlone(context: DeployContext, step: RollStep): Promise<Rolled> {
  const { model, runner, log, environment } = context;
  const { member, heldBack, done } = step;
  // What the cluster runs if this step stops: the members rolled before it, this one perhaps, the rest untouched.
  const stop = (what: string, revertMember: boolean): Pick<PhaseResult, 'stopped'> => ({
    stopped: {
      state: `${done.length > 0 ? `${done.join(', ')} run${done.length === 1 ? 's' : ''} the new spec; ` : ''}${member} ${what}; ${heldBack.join(', ')} still run${heldBack.length === 1 ? 's' : ''} the previous spec`,
      resume: resumeDeploy(environment),
      ...(revertMember ? { revert: rollbackServices([`${model.stack}_${member}`]) } : {}),
    },
  });
  const started = performance.now();
  // Where the step's time goes, for its note: what bounds a roll (README) is read from these.
  const laps: string[] = [];
  let lapStarted = started;
  const lap = (what: string) => {
    const now = performance.now();
    laps.push(`${what} ${((now - lapStarted) / 1000).toFixed(1)} s`);
    lapStarted = now;
  };
  const away = await readyToRestart(step.cluster, context, member);
  if (!away.ok) return { ok: false, result: stopped([`before restarting ${member}: ${away.reason}`], stop('was not touched', false)) };
  lap('leadership checked');
  log(`deploy ${environment}: etcd member ${member} first, holding back ${heldBack.join(', ')}`);
  // The etcd proxy is held back too: its member list changes with a membership change, and its replicas restarting
  // one after another made the first step wait ~15 s for them. The MinIO side stays in the first step: a new load
  // balancer (a takeover, a template change) ends the S3 pause there, not after the whole roll.
  const file = await writeStepFile(stackWithout(step.stackText, [...heldBack, model.etcd.proxy.name], path.dirname(context.composeFile)));
  const stopEarly = new AbortController();
  try {
    const since = new Date();
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    if (!deployed.ok) return { ok: false, result: { ...stopped([deployed.error ?? 'docker stack deploy failed'], stop('may or may not have been updated', true)), notes: [away.note] } };
    lap('stack deploy');
    const { converged, healthy, early } = await settledAndAnswering(context, step.cluster, member, since, stopEarly.signal, lap);
    const rows = rowsOf(context, converged);
    if (!converged.ok) {
      const failed = convergeFailed(context, converged, '');
      return { ok: false, rows, result: { ...failed, notes: [away.note], ...stop(`was updated and did not converge (${converged.message})`, true) } };
    }
    if (!healthy?.ok) {
      const reason = healthy?.reason ?? 'not asked';
      const next = allAtOnceAdvice(context, ', or, when every member needs this change to recover, deploy with --all-members-at-once', reason) || ` (roll ${member} back: it may run on data that is not its own)`;
      const problem = `etcd is not healthy after ${member} restarted, so ${heldBack.join(', ')} were not touched: ${reason} — fix etcd${next}`;
      return { ok: false, rows, result: { ...stopped([problem], stop(`restarted on the new spec and etcd is not healthy (${reason})`, true)), notes: [away.note] } };
    }
    lap(early ? 'every member answering (asked from its start)' : 'every member answering');
    return { ok: true, rows, notes: [away.note, `rolled etcd member ${member} alone in ${((performance.now() - started) / 1000).toFixed(1)} s (${laps.join(', ')}), then every member answered with one leader`] };
  } finally {
    // Whatever ended the step, the early health wait has no one to answer any more.
    stopEarly.abort();
    await file.remove();
  }
}

type Health = Awaited<ReturnType<typeof waitForEtcdHealthy>>;

/**
 * The member's new task running and settled as long as swarm's own monitor of a member (render/stack.ts), and
 * every member answering with one leader, which is what proves the member back. That wait starts as soon as a look
 * sees the new task run (restartSeen.ts), so etcd's catch-up and the settle overlap; when no look saw the restart,
 * it runs after the settle. `healthy` is undefined when the stack did not converge.
 */
async function settledAndAnswering(
  context: DeployContext,
  cluster: EtcdCluster,
  member: string,
  since: Date,
  signal: AbortSignal,
  lap: (what: string) => void,
): Promise<{ converged: ConvergeResult; healthy?: Health; early: boolean }> {
  const { model } = context;
  const healthTimeoutMs = model.swarm.deployTimeoutSeconds * 1000;
  const stopThisWait = new AbortController();
  signal.addEventListener('abort', () => stopThisWait.abort(), { once: true });
  let early: Promise<Health> | undefined;
  const restart = watchRestart(`${model.stack}_${member}`, {
    back: () => {
      early = waitForEtcdHealthy(cluster, model, healthTimeoutMs, undefined, stopThisWait.signal).catch((error: unknown) => ({ ok: false as const, reason: `etcd's health could not be asked: ${error instanceof Error ? error.message : String(error)}`, aborted: true as const }));
    },
    downAgain: () => {
      stopThisWait.abort();
      early = undefined;
    },
  });
  const converged = await waitForStack(context, since, MEMBER_SETTLE_MS, (services) => restart.look(services));
  lap('restarted and settled');
  if (!converged.ok) return { converged, early: false };
  // An early answer stands when it is a pass, or when it waited out the whole timeout; else ask again now.
  const answered = early ? await early : undefined;
  if (answered && (answered.ok || answered.aborted !== true)) return { converged, healthy: answered, early: answered.ok };
  return { converged, healthy: await waitForEtcdHealthy(cluster, model, healthTimeoutMs), early: false };
}

/**
 * The plan's stack deploy says when members must restart together instead: a network rename, where a member moved
 * alone would find none of its peers on the new network and the health wait between steps would never pass.
 */
function membersTogether(planned: readonly Change[]): Extract<Step, { kind: 'stack-deploy' }> | undefined {
  return planned.flatMap((change) => change.steps ?? []).find((step): step is Extract<Step, { kind: 'stack-deploy' }> => step.kind === 'stack-deploy' && step.etcdMembers === 'together');
}
