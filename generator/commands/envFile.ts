// --credentials FILE (once --env-file, which Node 20 takes for its own: cli.ts) for deploy, verify, backup and restore:
// KEY=value lines (docker's --env-file format) holding the MinIO credentials
// (verify's own user's, MINIO_VERIFY_*, which verify signs in with; and root's, MINIO_ROOT_*, which deploy creates
// that user with) and, for a swarm reached through another engine (the staging swarm's manager), DOCKER_HOST.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnvFile } from '../cluster/credentials.ts';
import type { DockerRunner } from '../docker/runner.ts';
import { UsageError } from '../usageError.ts';

export async function readEnvFile(cwd: string, file: string | undefined): Promise<Record<string, string>> {
  if (file === undefined) return {};
  const text = await readFile(path.resolve(cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--credentials ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const parsed = parseEnvFile(text);
  if (parsed.problems.length > 0) throw new UsageError(`--credentials ${file}: ${parsed.problems.join('; ')}`);
  return parsed.values;
}

/** The runner, pointed at the file's DOCKER_HOST when it names one (the file is the more deliberate choice). */
export function dockerFor(values: Record<string, string>, runner: DockerRunner): DockerRunner {
  const host = values.DOCKER_HOST;
  if (!host) return runner;
  return (args, options = {}) => runner(args, { ...options, env: { ...(options.env ?? process.env), DOCKER_HOST: host } });
}
