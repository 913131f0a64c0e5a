// After preflight, before anything changes: how many more failures etcd and MinIO survive now, so the report shows
// what a change starts from (a member already down makes a rolling restart the last failure etcd survives). Only
// read; a stack that does not run yet (a first deploy) has none.
import { readFailureBudget } from '../operations/failureBudget.ts';
import { passed, type Phase } from '../runner/contract.ts';

export const failureBudgetBefore: Phase = {
  name: 'failure budget before',
  stage: 'preflight',
  async run(context) {
    const running = context.live?.services.some((service) => service.state !== 'missing') ?? false;
    if (!running) return passed({ failureBudget: { before: 'none: the stack does not run yet' } });
    return passed({ failureBudget: { before: await readFailureBudget(context.runner, context.model, context.options.minio?.root, context.etcdctl) } });
  },
};
