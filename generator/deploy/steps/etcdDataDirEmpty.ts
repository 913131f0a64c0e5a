// The step etcd-data-dir-empty: a leaving member's data dir set aside before another member starts on it.
import { emptyDataDir } from '../moves/etcdDataDir.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runDataDirEmpty: StepRunner<'etcd-data-dir-empty'> = async (step, context) => {
  const aside = await emptyDataDir(context, step.member, step.dataDir, 'before-reuse', step.host);
  if (aside.problems.length > 0) return stepStopped(context, `${step.dataDir}: ${aside.problems.join('; ')}`, `${step.member} is removed from the cluster; its data dir is as it was`);
  return passed({ notes: aside.notes });
};
