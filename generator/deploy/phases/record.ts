// Last: the deployed topology recorded in the swarm (operations/deployedTopology.ts), so the next deploy plans against
// what runs, and the stack file it deployed, so the next one tells hand edits apart. A record that could not be
// written is a note: the next deploy plans against the older one.
import { readFile } from 'node:fs/promises';
import { recordDeployedTopology, STACK_RECORD_KIND } from '../operations/deployedTopology.ts';
import { passed, type Phase } from '../runner/contract.ts';

export const record: Phase = {
  name: 'record',
  stage: 'converge',
  async run(context) {
    const { runner, model, environment, options } = context;
    const topology = await recordDeployedTopology(runner, model.stack, environment, context.source.text, options.commit);
    const stackFile = await recordDeployedTopology(runner, model.stack, environment, await readFile(context.composeFile, 'utf8'), options.commit, STACK_RECORD_KIND);
    return passed({ notes: [...topology, ...stackFile] });
  },
};
