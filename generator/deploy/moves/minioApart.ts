// MinIO nodes deployed apart from the rest of the stack: the rendered file without the services held back (the
// load balancer, the etcd members, nodes not yet due), the nodes restarting together, then convergence of the whole
// stack. A pool added (steps/minioPoolAdd.ts) starts its new nodes this way; any MinIO restart then goes before the
// load balancer's new config (phases/minioNodesFirst.ts): nginx resolves its upstreams when it starts, and in dnsrr
// mode a task is in swarm's DNS only once it runs (healthy), so nginx updated beside restarting nodes exits and swarm
// rolls it back (seen on staging).
import path from 'node:path';
import { deployStack } from '../operations/deployStackFile.ts';
import { stackWithout, togetherUpdate, writeStepFile } from '../operations/stackFiles.ts';
import { stopped, type DeployContext, type PhaseResult } from '../runner/contract.ts';
import { stackDeployOptions } from './stackDeploys.ts';
import { convergeFailed, waitForStack } from './stackWait.ts';
import { resumeDeploy } from './stopPoints.ts';

/**
 * Deploys the rendered stack without `heldBack`, with `nodes` restarting together, and waits for convergence:
 * undefined when it converged, else the stop (with `state`, the cluster as the operator finds it). `settleMs`: how long
 * every task must have run (waitForStack's default unless the caller's own check follows).
 */
export async function deployMinioApart(
  context: DeployContext,
  stackText: string,
  heldBack: readonly string[],
  nodes: readonly string[],
  state: string,
  settleMs?: number,
): Promise<PhaseResult | undefined> {
  const since = new Date();
  const file = await writeStepFile(togetherUpdate(stackWithout(stackText, heldBack, path.dirname(context.composeFile)), nodes));
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    if (!deployed.ok) return stopped([deployed.error ?? 'docker stack deploy failed'], { stopped: { state, resume: resumeDeploy(context.environment) } });
    const converged = await waitForStack(context, since, settleMs);
    return converged.ok ? undefined : convergeFailed(context, converged, state);
  } finally {
    await file.remove();
  }
}
