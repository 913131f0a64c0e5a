// `milvus-swarm deploy --env NAME`: preflight, prepare hosts, deploy, wait, report. Exit 0 converged, 1 otherwise.
import { runDeploy } from '../deploy/deploy.ts';
import { deployVerdict, failureBudgetLines, formatReportText, formatStopPoint, phaseTimings, slowestPhases } from '../deploy/report.ts';
import { formatProblem } from '../topology/problems.ts';
import { isResolveImage, RESOLVE_IMAGE } from '../topology/resolveImage.ts';
import { processDocker, type DockerRunner } from '../docker/runner.ts';
import { UsageError } from '../usageError.ts';
import { assertEnvironmentName, assertRepositoryRoot } from '../workspace/repository.ts';
import { dockerFor, readEnvFile } from './envFile.ts';
import { EXIT, type CommandIO } from './io.ts';
import { rootCredentialsFrom, verifyUserCredentialsFrom } from '../cluster/credentials.ts';

export interface DeployCommandOptions {
  environment?: string;
  resolveImage?: string;
  /** Skip rolling etcd members one at a time (a broken cluster whose fix every member needs). */
  allMembersAtOnce?: boolean;
  /** KEY=value file; its DOCKER_HOST, when set, names the manager's engine (commands/envFile.ts). */
  envFile?: string;
  /** Deploy care and destructive changes without the recovery point made before them. */
  noRecoveryPoint?: boolean;
  /** The report as JSON on stdout; progress and problems stay on stderr. */
  json?: boolean;
}

export async function deployCommand(options: DeployCommandOptions, io: CommandIO, runner: DockerRunner = processDocker): Promise<number> {
  if (!options.environment) throw new UsageError('deploy needs --env NAME (one of environments/*.yaml)');
  assertEnvironmentName(options.environment);
  const resolveImage = options.resolveImage;
  if (resolveImage !== undefined && !isResolveImage(resolveImage)) throw new UsageError(`--resolve-image ${resolveImage}: expected one of ${RESOLVE_IMAGE.join(', ')}`);
  await assertRepositoryRoot(io.cwd);
  const fileValues = await readEnvFile(io.cwd, options.envFile);
  const report = await runDeploy({
    root: io.cwd,
    environment: options.environment,
    runner: dockerFor(fileValues, runner),
    log: io.err,
    ...(resolveImage ? { resolveImage } : {}),
    ...(options.allMembersAtOnce ? { allMembersAtOnce: true } : {}),
    ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
    // The file named on the command line beats the inherited environment (as verify reads them).
    minio: { root: rootCredentialsFrom(fileValues, io.env), verify: verifyUserCredentialsFrom(fileValues, io.env) },
    ...(options.noRecoveryPoint ? { noRecoveryPoint: true } : {}),
    backupValues: [fileValues, io.env],
  });
  for (const problem of report.topologyProblems) io.err(formatProblem(problem));
  for (const note of report.notes) io.err(note);
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else if (report.rows.length > 0) io.out(formatReportText(report.rows));
  for (const line of failureBudgetLines(report)) io.err(line);
  for (const problem of report.problems) io.err(`error: ${problem}`);
  for (const line of formatStopPoint(report)) io.err(line);
  const slowest = slowestPhases(report);
  if (slowest) io.err(`deploy ${report.environment}: ${slowest}`);
  io.err(
    report.ok
      ? `${deployVerdict(report)} (${phaseTimings(report)})`
      : `${deployVerdict(report)}${report.phase === 'preflight' || report.phase === 'topology' ? ', nothing was changed' : ''} (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'})`,
  );
  return report.ok ? EXIT.ok : EXIT.failed;
}
