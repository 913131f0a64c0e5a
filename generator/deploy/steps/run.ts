// The plan's executed steps (issue 11): what reviewers approved in `plan` is what runs, one step at a time, each
// waiting for its own checks before the next starts. The first step that fails stops the deploy with its id, its
// place in the plan, etcd's state and the command that goes on (deploy again: every step skips what is done).
// phases/planStepsBefore.ts and planStepsAfter.ts run the steps on either side of the stack deploy.
import { readFile } from 'node:fs/promises';
import { dockerValue } from '../../docker/calls.ts';
import type { Step } from '../../plan/steps.ts';
import { renderedConstraints } from '../operations/memberStack.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { passed, type DeployContext, type PhaseResult } from '../runner/contract.ts';
import { runnerOf } from './index.ts';

export async function runSteps(context: DeployContext, steps: readonly Step[]): Promise<PhaseResult> {
  const all = context.steps;
  const notes: string[] = [];
  const movedDone = await movesDone(context, steps);
  for (const step of steps) {
    const number = all.indexOf(step) + 1;
    const runner = runnerOf(step);
    if (!runner) {
      return { ok: false, problems: [`step ${step.id} (${number} of ${all.length}): deploy cannot execute a ${step.kind} step yet: do it by hand as \`npx milvus-swarm plan\` prints it, then deploy again`], stopped: { step: { id: step.id, number, of: all.length }, state: `steps before ${step.id} are done`, resume: resumeDeploy(context.environment) } };
    }
    if ((step.kind === 'etcd-move-leader' && movedDone.has(step.awayFrom)) || (step.kind === 'etcd-member-remove' && movedDone.has(step.member))) {
      notes.push(`step ${number} of ${all.length} ${step.id}: skipped, the member already runs where the topology places it`);
      continue;
    }
    context.log(`deploy ${context.environment}: step ${number} of ${all.length} ${step.id}`);
    const started = performance.now();
    const result = await runner(step, context);
    const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    notes.push(...(result.notes ?? []).map((note) => `step ${number} of ${all.length} ${step.id} (${took}): ${note}`));
    if (!result.ok) {
      return { ...result, notes, problems: (result.problems ?? []).map((problem) => `step ${step.id} (${number} of ${all.length}): ${problem}`), ...(result.stopped ? { stopped: { ...result.stopped, step: { id: step.id, number, of: all.length } } } : {}) };
    }
  }
  return passed({ notes });
}

/**
 * Members of a move whose service already runs the rendered placement: an earlier deploy moved them and stopped
 * later. The name (and so the peer URL) is the same before and after a move, so the member list cannot tell.
 */
async function movesDone(context: DeployContext, steps: readonly Step[]): Promise<Set<string>> {
  const moving = [...new Set(steps.flatMap((step) => step.changes).filter((id) => id.startsWith('etcd-member-host:')).map((id) => id.slice('etcd-member-host:'.length)))];
  const done = new Set<string>();
  if (moving.length === 0) return done;
  const stackText = await readFile(context.composeFile, 'utf8');
  for (const member of moving) {
    const inspected = await dockerValue(context.runner, ['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.Placement.Constraints}}', `${context.model.stack}_${member}`], (stdout) => (JSON.parse(stdout.trim() || 'null') as string[] | null) ?? []);
    if (!inspected.ok) continue;
    const running = inspected.value;
    const rendered = renderedConstraints(stackText, member);
    if (JSON.stringify([...running].sort()) === JSON.stringify([...rendered].sort())) done.add(member);
  }
  return done;
}
