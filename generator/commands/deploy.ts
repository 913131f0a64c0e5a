// `milvus-swarm deploy --env NAME`: preflight, prepare hosts, deploy, wait, report. Exit 0 converged, 1 otherwise.
import { runDeploy } from '../deploy/deploy.ts';
import { formatReportText } from '../deploy/report.ts';
import type { ResolveImage } from '../deploy/stackDeploy.ts';
import { formatProblem } from '../topology/problems.ts';
import { processDocker, type DockerRunner } from '../verify/dockerRunner.ts';
import { assertEnvironmentName, assertRepositoryRoot, UsageError } from '../workspace/repository.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface DeployCommandOptions {
  environment?: string;
  resolveImage?: string;
  /** Skip rolling etcd members one at a time (a broken cluster whose fix every member needs). */
  allMembersAtOnce?: boolean;
}

const RESOLVE_IMAGE = ['always', 'changed', 'never'];

export async function deployCommand(options: DeployCommandOptions, io: CommandIO, runner: DockerRunner = processDocker): Promise<number> {
  if (!options.environment) throw new UsageError('deploy needs --env NAME (one of environments/*.yaml)');
  assertEnvironmentName(options.environment);
  if (options.resolveImage !== undefined && !RESOLVE_IMAGE.includes(options.resolveImage)) {
    throw new UsageError(`--resolve-image ${options.resolveImage}: expected one of ${RESOLVE_IMAGE.join(', ')}`);
  }
  await assertRepositoryRoot(io.cwd);
  const report = await runDeploy({
    root: io.cwd,
    environment: options.environment,
    runner,
    log: io.err,
    ...(options.resolveImage ? { resolveImage: options.resolveImage as ResolveImage } : {}),
    ...(options.allMembersAtOnce ? { allMembersAtOnce: true } : {}),
    ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
  });
  for (const problem of report.topologyProblems) io.err(formatProblem(problem));
  for (const note of report.notes) io.err(note);
  if (report.rows.length > 0) io.out(formatReportText(report.rows));
  for (const problem of report.problems) io.err(`error: ${problem}`);
  const timings = report.timings.filter((timing) => timing.phase !== 'topology').map((timing) => `${timing.phase} ${(timing.ms / 1000).toFixed(1)} s`);
  io.err(
    report.ok
      ? `deploy ${options.environment}: converged (${timings.join(', ')})`
      : `deploy ${options.environment}: failed in ${report.phase}${report.phase === 'preflight' || report.phase === 'topology' ? ', nothing was changed' : ''} (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'})`,
  );
  return report.ok ? EXIT.ok : EXIT.failed;
}
