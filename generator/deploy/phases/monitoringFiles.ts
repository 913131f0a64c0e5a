// Prometheus's and Alertmanager's rendered files into their data dirs (operations/monitoringFiles.ts says why not as
// swarm configs), once host preparation made the dirs and before the stack deploy starts a new task on them. What
// changed is reloaded after convergence (phases/monitoringReload.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERED_DIR } from '../../workspace/repository.ts';
import { monitoringServicesOf, writeMonitoringFiles } from '../operations/monitoringFiles.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';

export const monitoringFiles: Phase = {
  name: 'monitoring files',
  stage: 'prepare',
  async run(context) {
    const services = monitoringServicesOf(context.model);
    if (services.length === 0) return passed();
    const folder = path.join(context.options.root, RENDERED_DIR, context.environment, 'monitoring');
    const files = [...new Set(services.flatMap((service) => service.files))];
    const texts = new Map(await Promise.all(files.map(async (file) => [file, await readFile(path.join(folder, file), 'utf8').catch(() => undefined)] as const)));
    const present = new Map([...texts].filter((entry): entry is [string, string] => entry[1] !== undefined));
    const result = await writeMonitoringFiles(context.runner, context.model, present);
    const notes = result.written.map((entry) => `${entry.service}'s files on ${entry.host}: ${entry.changed.length > 0 ? `${entry.changed.join(', ')} written` : 'as rendered'}`);
    context.monitoringFilesChanged = result.written.filter((entry) => entry.changed.length > 0).map((entry) => entry.service);
    if (!result.ok) {
      return stopped([result.problem], {
        notes,
        stopped: { state: 'no service changed; the monitoring files listed as written are in their data dirs, not yet reloaded', resume: resumeDeploy(context.environment) },
      });
    }
    return passed({ notes });
  },
};
