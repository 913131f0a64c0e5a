// Preflight: every reason not to touch the swarm (operations/preflightChecks.ts judges the facts read here), what
// runs against what is rendered (generator/diff: a takeover of services milvus-swarm did not deploy, checked to keep
// every stateful service on its data; hand edits this deploy reverts), then the plan gate against the deployed
// topology (operations/planGate.ts). Nothing changes in the swarm before this phase passes.
import path from 'node:path';
import { nodeList, secretNames, swarmInfo } from '../../docker/swarm.ts';
import { validateTopology } from '../../topology/validate.ts';
import { renderSource } from '../../workspace/pipeline.ts';
import { readFromDirectory, readTemplates, RENDERED_DIR } from '../../workspace/repository.ts';
import { compareTrees, readTree } from '../../workspace/tree.ts';
import { planEnvironmentSteps } from '../../plan/plan.ts';
import { describeStep, type Step } from '../../plan/steps.ts';
import { readDeployedTopology } from '../operations/deployedTopology.ts';
import { judgePlan, planAgainstDeployed, type PlanGate, type PlanTopologies } from '../operations/planGate.ts';
import { preflightProblems } from '../operations/preflightChecks.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { liveAgainstRendered } from '../moves/liveAgainstRendered.ts';

export const preflight: Phase = {
  name: 'preflight',
  stage: 'preflight',
  async run(context) {
    const { runner, model, options } = context;
    const [swarm, nodes, secrets, deployed, drift] = await Promise.all([
      swarmInfo(runner),
      nodeList(runner),
      secretNames(runner),
      readDeployedTopology(runner, model.stack),
      renderedDrift(options.root, context.source, context.environment),
    ]);
    // Past preflight the nodes were read: pinnedHostsReady refuses a deploy without them.
    if (nodes.ok) context.nodes = nodes.value;
    const problems = preflightProblems(model, { swarm, nodes, secrets, drift });
    if (problems.length > 0) return stopped(problems);
    const gate = planGate(deployed, context.topology, context.environment, options.plan ?? planAgainstDeployed);
    if ('problem' in gate) return stopped([gate.problem]);
    if (gate.kind === 'planned') {
      context.planned = gate.changes;
      context.steps = gate.steps ?? [];
      if (gate.deployed) context.deployed = gate.deployed;
    }
    // What runs against what is rendered: deploy's first lines, before anything changes.
    const live = await liveAgainstRendered(context);
    if (!live.ok) return stopped(live.problems, { notes: live.notes });
    const verdict = judgePlan(gate, context.environment);
    verdict.problems.push(...live.problems, ...unacknowledgedSteps(context.steps, context.topology.acknowledge, context.environment));
    const notes = [...live.notes, ...verdict.notes];
    return verdict.problems.length > 0 ? stopped(verdict.problems, { notes }) : passed({ notes });
  },
};

/** Steps that pause a cluster or move data aside run only when the topology acknowledges them (plan/steps.ts). */
export function unacknowledgedSteps(steps: readonly Step[], acknowledged: readonly string[], environment: string): string[] {
  return steps
    .filter((step) => step.acknowledgement && !acknowledged.includes(step.acknowledgement))
    .map((step) => `plan: step ${step.id} runs only when acknowledged (${describeStep(step)}): add "${step.acknowledgement}" under acknowledge: in environments/${environment}.yaml`);
}

/** rendered/<env>/ against what the generator renders now, with the templates of the repository being deployed. */
async function renderedDrift(root: string, source: { environment: string; file: string; text: string }, environment: string) {
  const rendered = renderSource(source, await readTemplates(readFromDirectory(root)));
  const expected = rendered.ok ? new Map<string, string>(rendered.files) : new Map<string, string>();
  return compareTrees(expected, await readTree(path.join(root, RENDERED_DIR, environment)));
}

function planGate(
  deployed: Awaited<ReturnType<typeof readDeployedTopology>>,
  current: Parameters<PlanTopologies>[1],
  environment: string,
  plan: PlanTopologies,
): PlanGate | { problem: string } {
  if (!deployed.ok) return { problem: `cannot read the deployed topology record (${deployed.error}): run deploy on a manager` };
  if (!deployed.value) return { kind: 'first-deploy' };
  const record = deployed.value;
  const validated = validateTopology(`${record.name} (deployed topology)`, record.text);
  if (!validated.ok) {
    return {
      problem: `the deployed topology (config ${record.name}) no longer validates (${validated.problems[0]?.message ?? 'invalid'}): compare it with environments/${environment}.yaml by hand (\`docker config inspect --pretty ${record.name}\`), then \`docker config rm ${record.name}\` and deploy again`,
    };
  }
  return { kind: 'planned', changes: plan(validated.topology, current, environment), steps: planEnvironmentSteps(validated.topology, current, { environment }), deployed: validated.topology };
}
