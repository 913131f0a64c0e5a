// Each host's data directories, made by short swarm jobs pinned to its node (operations/hostDirectories.ts), once the
// node labels are in place; a host whose directories running tasks mount already gets no job
// (operations/mountedDirectories.ts).
import { prepareJobs, removeLeftoverJobs, runPrepareJobs } from '../operations/hostDirectories.ts';
import { dueJobs, presentNote } from '../operations/mountedDirectories.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

export const PREPARE_TIMEOUT_MS = 120_000;

export const hostPreparation: Phase = {
  name: 'host preparation',
  stage: 'prepare',
  async run(context) {
    const { runner, model } = context;
    const jobs = prepareJobs(model, Date.now().toString(36));
    if (!jobs.ok) return stopped(jobs.problems);
    await removeLeftoverJobs(runner, model.stack);
    const { due, present } = await dueJobs(runner, model, jobs.jobs);
    const prepared = await runPrepareJobs(runner, due, context.options.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS);
    const notes = [...prepared.notes, ...prepared.done.map((line) => `prepared ${line}`), ...presentNote(present)];
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
