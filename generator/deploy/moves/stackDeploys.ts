// How a phase or a step runs `docker stack deploy` (operations/deployStackFile.ts): bounded, and asking a registry for
// digests only when the topology (or the command line) says so.
import type { DeployContext } from '../runner/contract.ts';

export const STACK_DEPLOY_TIMEOUT_MS = 120_000;

/** How this deploy runs `docker stack deploy`: the topology says whether images come from a registry; the option overrides it. */
export const stackDeployOptions = (context: DeployContext) => ({
  stack: context.model.stack,
  timeoutMs: context.options.stackDeployTimeoutMs ?? STACK_DEPLOY_TIMEOUT_MS,
  resolveImage: context.options.resolveImage ?? context.model.swarm.resolveImage,
  runner: context.runner,
});
