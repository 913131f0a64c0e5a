// What --prune would do, for milvus-swarm's own services only (orphans.ts says why), and before any stack file is
// deployed: a renamed host-mode proxy's new tasks need the ports its old tasks hold, in the rolling steps too.
import { removeOrphans } from '../orphans.ts';
import { passed, stopped, type Phase } from '../runPhases.ts';
import { resumeDeploy } from './stopPoints.ts';

export const orphanRemoval: Phase = {
  name: 'orphan removal',
  stage: 'deploy',
  async run(context) {
    const orphans = await removeOrphans(context.runner, context.model);
    const notes = orphans.removed.map((name) => `removed ${name}: the topology no longer has it`);
    if (orphans.problems.length === 0) return passed({ notes });
    return stopped(orphans.problems, {
      notes,
      stopped: { state: 'no service of the stack changed: node labels and data directories are in place', resume: resumeDeploy(context.environment) },
    });
  },
};
