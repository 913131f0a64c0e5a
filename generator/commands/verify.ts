// `milvus-swarm verify --env NAME`: the etcd and MinIO checks, as rows on stdout; exit 1 on any fail.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem } from '../topology/problems.ts';
import { credentialsFrom, parseEnvFile } from '../verify/credentials.ts';
import { processDocker, type DockerRunner } from '../verify/dockerRunner.ts';
import { formatHostPort, resolveEndpoints, type EndpointOverrides } from '../verify/endpoints.ts';
import { formatRowsText, summaryLine } from '../verify/rows.ts';
import { runVerify } from '../verify/verify.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { assertEnvironmentName, assertRepositoryRoot, UsageError } from '../workspace/repository.ts';
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

  let fileValues: Record<string, string> = {};
  if (options.envFile !== undefined) {
    const text = await readFile(path.resolve(io.cwd, options.envFile), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--env-file ${options.envFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const parsed = parseEnvFile(text);
    if (parsed.problems.length > 0) throw new UsageError(`--env-file ${options.envFile}: ${parsed.problems.join('; ')}`);
    fileValues = parsed.values;
  }
  const credentials = credentialsFrom(fileValues, io.env);

  const { etcd, s3, console: consoleEndpoint } = endpoints.endpoints;
  if (!options.json) io.err(`verify ${options.environment}: etcd ${formatHostPort(etcd)}, S3 ${formatHostPort(s3)}, console ${formatHostPort(consoleEndpoint)}, network ${loaded.model.network.name}`);
  const report = await runVerify({ model: loaded.model, endpoints: endpoints.endpoints, credentials, runner });
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(formatRowsText(report.rows));
    io.out(summaryLine(report.environment, report.summary, report.elapsedMs));
  }
  return report.summary.status === 'fail' ? EXIT.failed : EXIT.ok;
}
