// MinIO nodes deployed apart from the rest of the stack: the rendered file without the services held back (the
// load balancer, the etcd members, nodes not yet due), the nodes restarting together, then convergence of the whole
// stack. A pool added (steps/minioPoolAdd.ts) starts its new nodes this way; any MinIO restart then goes before the
// load balancer's new config (phases/minioNodesFirst.ts): nginx resolves its upstreams when it starts, and in dnsrr
// mode a task is in swarm's DNS only once it runs (healthy), so nginx updated beside restarting nodes exits and swarm
// rolls it back (seen on staging).
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { SPEC_LABEL } from '../../render/stack.ts';
import { convergeFailed, waitForStack } from '../phases/converge.ts';
import { stackDeployOptions } from '../phases/stackDeploy.ts';
import { resumeDeploy } from './stopPoints.ts';
import { stackWithout, writeStepFile } from '../operations/stackFiles.ts';
import { stopped, type DeployContext, type PhaseResult } from '../runner/runPhases.ts';
import { deployStack } from '../operations/deployStackFile.ts';

/** The spec label of each of these services in the rendered stack file. */
export function renderedSpecs(stackText: string, services: readonly string[]): Map<string, string | undefined> {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { labels?: Record<string, string> } }> };
  return new Map(services.map((service) => [service, compose.services[service]?.deploy?.labels?.[SPEC_LABEL]]));
}

/**
 * The nodes' update settings for a restart together: swarm judges each service's update alone within its monitor
 * window and rolls it back when its task fails there, but a MinIO node restarting on a new command line answers its
 * healthcheck only once it has resolved its peers, which are restarting too (and a starting task is not in swarm's
 * DNS). So the file deployed apart says `failure_action: continue`: failed tasks are restarted by the restart policy, and
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

/**
 * Deploys the rendered stack without `heldBack`, with `nodes` restarting together, and waits for convergence:
 * undefined when it converged, else the stop (with `state`, the cluster as the operator finds it).
 */
export async function deployMinioApart(context: DeployContext, stackText: string, heldBack: readonly string[], nodes: readonly string[], state: string): Promise<PhaseResult | undefined> {
  const since = new Date();
  const file = await writeStepFile(togetherUpdate(stackWithout(stackText, heldBack, path.dirname(context.composeFile)), nodes));
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    if (!deployed.ok) return stopped([deployed.error ?? 'docker stack deploy failed'], { stopped: { state, resume: resumeDeploy(context.environment) } });
    const converged = await waitForStack(context, since);
    return converged.ok ? undefined : convergeFailed(context, converged, state);
  } finally {
    await file.remove();
  }
}
