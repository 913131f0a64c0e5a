// A MinIO pool added, executed: the new pool's nodes start first, then every running MinIO node restarts together
// on the command line with the new pool (a node refuses peers whose arguments differ), all before the load
// balancer's config names the new nodes. A restarting node resolves every peer's name before it answers its
// healthcheck, and swarm's DNS names only tasks that run (healthy): new nodes started first are there to find. nginx resolves its
// upstream names when it starts, and in dnsrr mode a service's name is in DNS only once its task runs: updated in
// the same `docker stack deploy` as the new nodes, nginx exits, and swarm rolls it back (seen on staging). So this
// step deploys the rendered stack without the MinIO proxy and without the etcd members (their restarts are the
// roll's, one at a time), waits for convergence, and the stack deploy that follows gives nginx the new upstreams.
// Measured on staging: with swarm's per-service rollback on, the old nodes were rolled back (togetherUpdate says why).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
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

/**
 * The nodes' update settings for a restart together: swarm judges each service's update alone within its monitor
 * window and rolls it back when its task fails there, but a MinIO node restarting on a new command line answers its
 * healthcheck only once it has resolved its peers, which are restarting too (and a starting task is not in swarm's
 * DNS). So this step's file says `failure_action: continue`: failed tasks are restarted by the restart policy, and
 * convergence of the whole cluster is what the step waits for (bounded by the topology's deploy timeout). The stack
 * deploy that follows sets the rendered update settings again, which restarts no task.
 */
export function togetherUpdate(stackText: string, nodes: readonly string[]): string {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { update_config?: Record<string, unknown> } }> };
  for (const node of nodes) {
    const service = compose.services[node];
    if (!service) continue;
    service.deploy = { ...service.deploy, update_config: { ...service.deploy?.update_config, failure_action: 'continue' } };
  }
  return stringify(compose, { lineWidth: 0 });
}

export const runPoolAdd: StepRunner<'minio-pool-add'> = async (step, context) => {
  const { model, runner, environment } = context;
  const stackText = await readFile(context.composeFile, 'utf8');
  const running = await runningSpecs(runner, model.stack, 20_000);
  if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
  const wanted = renderedSpecs(stackText, step.nodes);
  const behind = step.nodes.filter((node) => running.value.get(node) === undefined || running.value.get(node) !== wanted.get(node));
  if (behind.length === 0) return passed({ notes: [`every MinIO node already runs the command line with pool ${step.pool}`] });
  const members = renderedMembers(stackText).map((member) => member.name);
  // New nodes (no service yet) first and alone: they start, answer their healthcheck and so appear in swarm's DNS
  // before the running nodes restart on the command line that names them. Then the running nodes, all together.
  const created = behind.filter((node) => !running.value.has(node));
  const restarted = behind.filter((node) => running.value.has(node));
  const started = performance.now();
  const notes: string[] = [];
  const state = `MinIO nodes may be restarting on the command line with pool ${step.pool}; the load balancer still names the old nodes`;
  for (const [what, nodes, heldBack] of [
    ['started the new nodes', created, [model.minio.proxy.name, ...members, ...restarted]],
    ['restarted together', restarted, [model.minio.proxy.name, ...members]],
  ] as const) {
    if (nodes.length === 0) continue;
    const since = new Date();
    const file = await writeStepFile(togetherUpdate(stackWithout(stackText, heldBack, path.dirname(context.composeFile)), step.nodes));
    try {
      const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
      if (!deployed.ok) return stopped([deployed.error ?? 'docker stack deploy failed'], { notes, stopped: { state, resume: `npx milvus-swarm deploy --env ${environment}` } });
      const converged = await waitForStack(context, since);
      if (!converged.ok) return { ...convergeFailed(context, converged, state), notes };
    } finally {
      await file.remove();
    }
    notes.push(`${what}: ${nodes.join(', ')} on the command line with pool ${step.pool} (${((performance.now() - started) / 1000).toFixed(1)} s from the step's start)`);
  }
  return passed({ notes: [...notes, 'the load balancer follows with the stack'] });
};
