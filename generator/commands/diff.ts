// `milvus-swarm diff --env NAME`: the live swarm against rendered/NAME/ (generator/diff). Exit 0 in sync, 1 differs,
// 2 usage. It reads only: `docker service inspect`, `node ls`, `secret ls`, `network ls`, `service ps`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { processDocker, type DockerRunner } from '../docker/runner.ts';
import { runDiff } from '../diff/diff.ts';
import { formatDiffMarkdown } from '../diff/report.ts';
import { markdownToTerminal } from '../render/terminalText.ts';
import { formatProblem } from '../topology/problems.ts';
import { UsageError } from '../usageError.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { assertEnvironmentName, assertRepositoryRoot, RENDERED_DIR } from '../workspace/repository.ts';
import { dockerFor, readEnvFile } from './envFile.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface DiffCommandOptions {
  environment?: string;
  /** KEY=value file: its DOCKER_HOST names the manager to ask. */
  envFile?: string;
  format?: 'auto' | 'text' | 'markdown' | 'json';
}

export async function diffCommand(options: DiffCommandOptions, io: CommandIO, runner: DockerRunner = processDocker): Promise<number> {
  if (!options.environment) throw new UsageError('diff needs --env NAME (one of environments/*.yaml)');
  assertEnvironmentName(options.environment);
  await assertRepositoryRoot(io.cwd);
  const loaded = await loadEnvironment(io.cwd, options.environment);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.err(formatProblem(problem));
    io.err(`${loaded.source.file} is invalid: fix it before comparing`);
    return EXIT.failed;
  }
  const stackFile = path.join(io.cwd, RENDERED_DIR, options.environment, 'stack.yaml');
  const stackText = await readFile(stackFile, 'utf8').catch(() => {
    throw new UsageError(`${RENDERED_DIR}/${options.environment}/stack.yaml does not exist: run \`npx milvus-swarm render --env ${options.environment}\``);
  });
  const values = await readEnvFile(io.cwd, options.envFile);
  const report = await runDiff(loaded.model, stackText, dockerFor(values, (args, callOptions = {}) => runner(args, { ...callOptions, env: callOptions.env ?? io.env })));
  const format = options.format === undefined || options.format === 'auto' ? (io.terminal ? 'text' : 'markdown') : options.format;
  if (format === 'json') io.out(JSON.stringify(report, null, 2));
  else if (format === 'text') io.out(markdownToTerminal(formatDiffMarkdown(report), io.terminal?.columns ?? 100).trimEnd());
  else io.out(formatDiffMarkdown(report).trimEnd());
  return report.inSync ? EXIT.ok : EXIT.failed;
}
