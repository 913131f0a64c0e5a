// Before anything is placed: the node labels the topology declares (the stack's pinned services and the jobs below
// are placed by them), then each host's data directories, made by short swarm jobs (prepareHosts.ts).
import { applyLabels, labelUpdates } from '../operations/nodeLabelling.ts';
import { prepareJobs, removeLeftoverJobs, runPrepareJobs } from '../operations/hostDirectories.ts';
import { passed, stopped, type Phase } from '../runner/runPhases.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

export const PREPARE_TIMEOUT_MS = 120_000;

export const nodeLabels: Phase = {
  name: 'node labels',
  stage: 'prepare',
  async run(context) {
    const labels = await applyLabels(context.runner, labelUpdates(context.model, context.nodes));
    if (labels.problems.length === 0) return passed({ notes: labels.done });
    return stopped(labels.problems, {
      notes: labels.done,
      stopped: {
        state: `no service changed; ${labels.done.length > 0 ? `only these labels were put on: ${labels.done.join('; ')}` : 'no node label changed'}`,
        resume: resumeDeploy(context.environment),
      },
    });
  },
};

export const hostPreparation: Phase = {
  name: 'host preparation',
  stage: 'prepare',
  async run(context) {
    const { runner, model } = context;
    const jobs = prepareJobs(model, Date.now().toString(36));
    if (!jobs.ok) return stopped(jobs.problems);
    await removeLeftoverJobs(runner, model.stack);
    const prepared = await runPrepareJobs(runner, jobs.jobs, context.options.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS);
    const notes = prepared.done.map((line) => `prepared ${line}`);
    if (prepared.problems.length === 0) return passed({ notes });
    return stopped(prepared.problems, {
      notes,
      stopped: {
        state: 'no service changed: the node labels are in place, and the data directories listed as prepared exist (creating a directory again is harmless)',
        resume: resumeDeploy(context.environment),
      },
    });
  },
};
