// After convergence: Prometheus and Alertmanager reload the files this deploy changed (POST /-/reload), so a new rule
// or target applies without a restart (operations/monitoringFiles.ts). A service the stack deploy just started read
// them at start; reloading it again is harmless.
import { reloadMonitoringService, type MonitoringService } from '../operations/monitoringFiles.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';

export const monitoringReload: Phase = {
  name: 'monitoring reload',
  stage: 'converge',
  async run(context) {
    const changed = (context.monitoringFilesChanged ?? []) as MonitoringService[];
    const results = await Promise.all(changed.map(async (service) => ({ service, reloaded: await reloadMonitoringService(context.runner, context.model, service) })));
    const notes = results.filter((result) => result.reloaded.ok).map((result) => `${result.service} reloaded its files (no restart)`);
    const refused = results.find((result) => !result.reloaded.ok);
    if (refused && !refused.reloaded.ok) {
      const { service } = refused;
      return stopped([`${service} did not reload its new files: ${refused.reloaded.problem} — it keeps running the previous ones; read \`docker service logs ${context.model.stack}_${service} --since 10m\``], {
        notes,
        stopped: { state: `the stack converged; ${service}'s new files are in its data dir but not loaded`, resume: resumeDeploy(context.environment) },
      });
    }
    return passed({ notes });
  },
};
