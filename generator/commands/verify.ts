// `milvus-swarm verify --env NAME`: the etcd and MinIO checks, as rows on stdout; exit 1 on any fail.
import { pointKeyFrom } from '../backup/pointKey.ts';
import { storesOf } from '../backup/sites.ts';
import { formatProblem } from '../topology/problems.ts';
import { credentialsFrom } from '../cluster/credentials.ts';
import { processDocker, type DockerRunner } from '../docker/runner.ts';
import { describeEndpoints, resolveEndpoints, type EndpointOverrides } from '../cluster/endpoints.ts';
import { formatRowsText, summaryLine } from '../verify/rows.ts';
import { runVerify } from '../verify/verify.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { UsageError } from '../usageError.ts';
import { assertEnvironmentName, assertRepositoryRoot } from '../workspace/repository.ts';
import { dockerFor, readEnvFile } from './envFile.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface VerifyCommandOptions extends EndpointOverrides {
  environment?: string;
  envFile?: string;
  json?: boolean;
}

export async function verifyCommand(options: VerifyCommandOptions, io: CommandIO, runner: DockerRunner = processDocker): Promise<number> {
  if (!options.environment) throw new UsageError('verify needs --env NAME (one of environments/*.yaml)');
  assertEnvironmentName(options.environment);
  await assertRepositoryRoot(io.cwd);
  const loaded = await loadEnvironment(io.cwd, options.environment);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.err(formatProblem(problem));
    io.err(`${loaded.source.file} is invalid: fix it before verifying`);
    return EXIT.failed;
  }
  const endpoints = resolveEndpoints(loaded.model, options);
  if (!endpoints.ok) throw new UsageError(endpoints.problems.join('; '));

  const fileValues = await readEnvFile(io.cwd, options.envFile);
  const credentials = credentialsFrom(fileValues, io.env);

  const backup = loaded.topology.backup;
  const report = await runVerify({
    model: loaded.model,
    endpoints: endpoints.endpoints,
    overridden: endpoints.overridden,
    credentials,
    runner: dockerFor(fileValues, runner),
    ...(backup ? { recoveryPoints: { backup, stores: () => storesOf(backup.targets, fileValues, io.env), pointKey: () => pointKeyFrom(fileValues, io.env) } } : {}),
  });
  if (!options.json) {
    // Where it looked, once the proxies were found (host-mode ports answer only on the managers running them).
    io.err(`verify ${options.environment}: ${describeEndpoints(report.endpoints)}, network ${loaded.model.network.name}`);
    for (const note of report.notes) io.err(`verify ${options.environment}: ${note}`);
  }
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(formatRowsText(report.rows));
    io.out(summaryLine(report.environment, report.summary, report.elapsedMs));
  }
  return report.summary.status === 'fail' ? EXIT.failed : EXIT.ok;
}
