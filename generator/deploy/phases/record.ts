// Last: the deployed topology recorded in the swarm (operations/deployedTopology.ts), so the next deploy plans against
// what runs. A record that could not be written is a note: the next deploy plans against the older one.
import { recordDeployedTopology } from '../operations/deployedTopology.ts';
import { passed, type Phase } from '../runner/contract.ts';

export const record: Phase = {
  name: 'record',
  stage: 'converge',
  async run(context) {
    return passed({ notes: await recordDeployedTopology(context.runner, context.model.stack, context.environment, context.source.text, context.options.commit) });
  },
};
