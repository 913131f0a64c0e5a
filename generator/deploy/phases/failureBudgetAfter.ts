// Once the change is done and MinIO serves again: the failure budget the cluster is left with (beside the one
// failureBudgetBefore.ts read), so the report shows what the change cost or restored.
import { readFailureBudget } from '../operations/failureBudget.ts';
import { passed, type Phase } from '../runner/contract.ts';

export const failureBudgetAfter: Phase = {
  name: 'failure budget after',
  stage: 'converge',
  async run(context) {
    return passed({ failureBudget: { after: await readFailureBudget(context.runner, context.model, context.options.minio?.root, context.etcdctl) } });
  },
};
