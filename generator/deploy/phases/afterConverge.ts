// After convergence: the dnsrr proxy refresh, then tidying up and recording what is deployed. Only the refresh can
// still fail the deploy; what prune and record could not do is a note (the next deploy retries it).
import { recordDeployedTopology } from '../operations/deployedTopology.ts';
import { pruneUnused } from '../operations/unusedConfigs.ts';
import { refreshStaleProxy } from '../operations/proxyRestart.ts';
import { passed, stopped, type Phase } from '../runner/runPhases.ts';
import { convergeFailed, rowsOf } from './converge.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

/** dnsrr: nginx looked up the MinIO names when it started; MinIO tasks that started since need it restarted. */
export const proxyRefresh: Phase = {
  name: 'proxy refresh',
  stage: 'converge',
  async run(context) {
    const { model } = context;
    const refreshed = await refreshStaleProxy(context.runner, model, model.swarm.deployTimeoutSeconds * 1000);
    if (refreshed.problem) {
      return stopped([refreshed.problem], {
        notes: refreshed.notes,
        stopped: { state: `the stack converged; ${model.minio.proxy.name} still has stale MinIO addresses`, resume: resumeDeploy(context.environment) },
      });
    }
    if (!refreshed.converged) return passed({ notes: refreshed.notes });
    if (!refreshed.converged.ok) {
      const failed = convergeFailed(context, refreshed.converged, `the stack converged, then ${model.minio.proxy.name} was restarted and did not converge again`);
      return { ...failed, notes: refreshed.notes };
    }
    return passed({ notes: refreshed.notes, rows: rowsOf(context, refreshed.converged) });
  },
};

export const prune: Phase = {
  name: 'prune',
  stage: 'converge',
  async run(context) {
    const pruned = await pruneUnused(context.runner, context.model.stack);
    return passed({ notes: [...pruned.removed.map((name) => `removed unused ${name}`), ...pruned.problems] });
  },
};

export const record: Phase = {
  name: 'record',
  stage: 'converge',
  async run(context) {
    return passed({ notes: await recordDeployedTopology(context.runner, context.model.stack, context.environment, context.source.text, context.options.commit) });
  },
};
