// A MinIO pool added, executed: every MinIO node restarts together on the command line with the new pool (a node
// refuses peers whose arguments differ), before the load balancer's config names the new nodes. nginx resolves its
// upstream names when it starts, and in dnsrr mode a service's name is in DNS only once its task runs: updated in
// the same `docker stack deploy` as the new nodes, nginx exits, and swarm rolls it back (seen on staging). So this
// step deploys the rendered stack without the MinIO proxy and without the etcd members (their restarts are the
// roll's, one at a time), waits for convergence, and the stack deploy that follows gives nginx the new upstreams.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { SPEC_LABEL } from '../../render/stack.ts';
import { convergeFailed, waitForStack } from '../phases/converge.ts';
import { stackDeployOptions } from '../phases/stackDeploy.ts';
import { renderedMembers, runningSpecs, stackWithout, writeStepFile } from '../rollingMembers.ts';
import { passed, stopped } from '../runPhases.ts';
import { deployStack } from '../stackDeploy.ts';
import type { StepRunner } from './types.ts';

/** The spec label of each of these services in the rendered stack file. */
export function renderedSpecs(stackText: string, services: readonly string[]): Map<string, string | undefined> {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { labels?: Record<string, string> } }> };
  return new Map(services.map((service) => [service, compose.services[service]?.deploy?.labels?.[SPEC_LABEL]]));
}

export const runPoolAdd: StepRunner<'minio-pool-add'> = async (step, context) => {
  const { model, runner, environment } = context;
  const stackText = await readFile(context.composeFile, 'utf8');
  const running = await runningSpecs(runner, model.stack, 20_000);
  if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
  const wanted = renderedSpecs(stackText, step.nodes);
  const behind = step.nodes.filter((node) => running.value.get(node) === undefined || running.value.get(node) !== wanted.get(node));
  if (behind.length === 0) return passed({ notes: [`every MinIO node already runs the command line with pool ${step.pool}`] });
  const heldBack = [model.minio.proxy.name, ...renderedMembers(stackText).map((member) => member.name)];
  const started = performance.now();
  const since = new Date();
  const file = await writeStepFile(stackWithout(stackText, heldBack, path.dirname(context.composeFile)));
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    const state = `MinIO nodes may be restarting on the command line with pool ${step.pool}; the load balancer still names the old nodes`;
    if (!deployed.ok) return stopped([deployed.error ?? 'docker stack deploy failed'], { stopped: { state, resume: `npx milvus-swarm deploy --env ${environment}` } });
    const converged = await waitForStack(context, since);
    if (!converged.ok) return convergeFailed(context, converged, state);
  } finally {
    await file.remove();
  }
  return passed({
    notes: [`${behind.length === step.nodes.length ? 'every MinIO node' : behind.join(', ')} restarted together on the command line with pool ${step.pool} (${((performance.now() - started) / 1000).toFixed(1)} s); the load balancer follows with the stack`],
  });
};
