// After convergence, in dnsrr mode: restart the MinIO load balancer when MinIO tasks started after it looked up their
// names (operations/proxyRestart.ts says why). The one phase after convergence that can still fail the deploy.
import { refreshStaleProxy } from '../operations/proxyRestart.ts';
import { convergeFailed, rowsOf } from '../moves/stackWait.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';

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
