// Before anything is placed: the node labels the topology declares (the stack's pinned services and the host jobs are
// placed by them), put on the nodes it names (operations/nodeLabelling.ts).
import { applyLabels, labelUpdates } from '../operations/nodeLabelling.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

export const nodeLabels: Phase = {
  name: 'node labels',
  stage: 'prepare',
  async run(context) {
    const labels = await applyLabels(context.runner, labelUpdates(context.model, context.nodes));
    if (labels.problems.length === 0) return passed({ notes: labels.done });
    return stopped(labels.problems, {
      notes: labels.done,
      stopped: {
        state: `no service changed; ${labels.done.length > 0 ? `only these labels were put on: ${labels.done.join('; ')}` : 'no node label changed'}`,
        resume: resumeDeploy(context.environment),
      },
    });
  },
};
