// After a successful deploy: this stack's nginx and monitoring configs no service uses any more are removed
// (operations/unusedConfigs.ts). What could not be removed is a note: the next deploy retries it.
import { pruneUnused } from '../operations/unusedConfigs.ts';
import { passed, type Phase } from '../runner/contract.ts';

export const prune: Phase = {
  name: 'prune',
  stage: 'converge',
  async run(context) {
    const pruned = await pruneUnused(context.runner, context.model.stack);
    return passed({ notes: [...pruned.removed.map((name) => `removed unused ${name}`), ...pruned.problems] });
  },
};
