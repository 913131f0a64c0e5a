// The rendered stack file, deployed once the held-back etcd members (phases/rollingMembers.ts) are the only ones left.
import { deployStack } from '../operations/deployStackFile.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { stackDeployOptions } from '../moves/stackDeploys.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

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
