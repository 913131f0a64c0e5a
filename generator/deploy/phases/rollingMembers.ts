// More than one running etcd member would restart: roll them one at a time before the whole stack is deployed
// (rollingMembers.ts says why). Each step deploys the rendered stack without the members not yet due, waits for
// convergence and for every member to answer with one leader, and only then moves on; the last member restarts with
// the whole stack (stackDeploy.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderedMembers, stackWithout, writeStepFile } from '../operations/stackFiles.ts';
import { rollingSteps, rollOrder } from '../operations/memberRoll.ts';
import { runningSpecs } from '../operations/runningSpecs.ts';
import { waitForEtcdHealthy } from '../operations/etcdHealth.ts';
import type { Change } from '../../plan/change.ts';
import type { Step } from '../../plan/steps.ts';
import { passed, stopped, type Phase, type PhaseResult } from '../runner/contract.ts';
import { deployStack } from '../operations/deployStackFile.ts';
import type { ReportRow } from '../operations/serviceRows.ts';
import { convergeFailed, rowsOf, waitForStack } from '../moves/stackWait.ts';
import { stackDeployOptions } from '../moves/stackDeploys.ts';
import { etcdCluster } from '../../cluster/etcdCluster.ts';
import { readyToRestart } from '../moves/etcdMembership.ts';
import { resumeDeploy, rollbackServices } from '../moves/stopPoints.ts';

export const rollingMembers: Phase = {
  name: 'rolling etcd members',
  stage: 'deploy',
  async run(context) {
    const { model, runner, log, environment } = context;
    const stackText = await readFile(context.composeFile, 'utf8');
    const running = await runningSpecs(runner, model.stack, 20_000);
    if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
    const cluster = etcdCluster(runner, model);
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
      const member = rolling.restart[index]!;
      const done = rolling.restart.slice(0, index);
      // What the cluster runs if this step stops: the members rolled before it, this one perhaps, the rest untouched.
      const stop = (what: string, revertMember: boolean): Pick<PhaseResult, 'stopped'> => ({
        stopped: {
          state: `${done.length > 0 ? `${done.join(', ')} run${done.length === 1 ? 's' : ''} the new spec; ` : ''}${member} ${what}; ${heldBack.join(', ')} still run${heldBack.length === 1 ? 's' : ''} the previous spec`,
          resume: resumeDeploy(environment),
          ...(revertMember ? { revert: rollbackServices([`${model.stack}_${member}`]) } : {}),
        },
      });
      const withRows = (result: PhaseResult): PhaseResult => ({ ...result, notes: [...notes, ...(result.notes ?? [])], ...(result.rows ? {} : rows ? { rows } : {}) });
      const away = await readyToRestart(cluster, context, member);
      if (!away.ok) return withRows(stopped([`before restarting ${member}: ${away.reason}`], stop('was not touched', false)));
      notes.push(away.note);
      log(`deploy ${environment}: etcd member ${member} first, holding back ${heldBack.join(', ')}`);
      const stepStarted = performance.now();
      const step = await writeStepFile(stackWithout(stackText, heldBack, path.dirname(context.composeFile)));
      try {
        const since = new Date();
        const stepDeploy = await deployStack({ ...stackDeployOptions(context), composeFile: step.file });
        if (!stepDeploy.ok) return withRows(stopped([stepDeploy.error ?? 'docker stack deploy failed'], stop('may or may not have been updated', true)));
        const stepConverged = await waitForStack(context, since);
        rows = rowsOf(context, stepConverged);
        if (!stepConverged.ok) {
          const failed = convergeFailed(context, stepConverged, '');
          return withRows({ ...failed, ...stop(`was updated and did not converge (${stepConverged.message})`, true) });
        }
        const healthy = await waitForEtcdHealthy(runner, model, model.swarm.deployTimeoutSeconds * 1000);
        if (!healthy.ok) {
          return withRows(
            stopped(
              [
                `etcd is not healthy after ${member} restarted, so ${heldBack.join(', ')} were not touched: ${healthy.reason} — fix etcd, or, when every member needs this change to recover, deploy with --all-members-at-once`,
              ],
              stop(`restarted on the new spec and etcd is not healthy (${healthy.reason})`, true),
            ),
          );
        }
      } finally {
        await step.remove();
      }
      notes.push(`rolled etcd member ${member} alone (${((performance.now() - stepStarted) / 1000).toFixed(1)} s, then every member answered with one leader)`);
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

/**
 * The plan's stack deploy says when members must restart together instead: a network rename, where a member moved
 * alone would find none of its peers on the new network and the health wait between steps would never pass.
 */
function membersTogether(planned: readonly Change[]): Extract<Step, { kind: 'stack-deploy' }> | undefined {
  return planned.flatMap((change) => change.steps ?? []).find((step): step is Extract<Step, { kind: 'stack-deploy' }> => step.kind === 'stack-deploy' && step.etcdMembers === 'together');
}
