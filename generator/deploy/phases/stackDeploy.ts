// The rendered stack file, deployed once the held-back etcd members (rollingMembers.ts) are the only ones left.
import { deployStack } from '../operations/deployStackFile.ts';
import { passed, stopped, type DeployContext, type Phase } from '../runner/runPhases.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

export const STACK_DEPLOY_TIMEOUT_MS = 120_000;

/** How this deploy runs `docker stack deploy`: the topology says whether images come from a registry; the option overrides it. */
export const stackDeployOptions = (context: DeployContext) => ({
  stack: context.model.stack,
  timeoutMs: context.options.stackDeployTimeoutMs ?? STACK_DEPLOY_TIMEOUT_MS,
  resolveImage: context.options.resolveImage ?? context.model.swarm.resolveImage,
  runner: context.runner,
});

export const stackDeploy: Phase = {
  name: 'stack deploy',
  stage: 'deploy',
  async run(context) {
    const since = new Date();
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: context.composeFile });
    if (!deployed.ok) {
      return stopped([deployed.error ?? 'docker stack deploy failed'], {
        stopped: { state: 'swarm may have taken part of the stack file: services it updated roll on by themselves, the others run their previous spec', resume: resumeDeploy(context.environment) },
      });
    }
    context.stackDeployedAt = since;
    return passed();
  },
};
