// `docker stack deploy`, bounded. It returns before the services converge (--detach) and exits 0 even when a
// service later rolls back, so its result says only that swarm accepted the stack: wait with converge.ts.
import path from 'node:path';
import { dockerFailure, type DockerResult } from '../../docker/cli.ts';
import type { ResolveImage } from '../../topology/resolveImage.ts';
import { processDocker, type DockerRunner } from '../../docker/runner.ts';

export interface StackDeployOptions {
  composeFile: string;
  stack: string;
  timeoutMs: number;
  /**
   * Whether the CLI asks the registry for each image's digest. `always` (docker's default) pins every node to one
   * digest; `never` is for images that exist only on the node (`docker import`ed test images): asking a registry
   * about them only costs time and network traffic.
   */
  resolveImage?: ResolveImage;
  /** How docker runs (the action passes one on @actions/exec); default: a child process. */
  runner?: DockerRunner;
}

export interface StackDeployResult {
  ok: boolean;
  /** The command line that ran, without the docker binary. */
  args: string[];
  result: DockerResult;
  /** One line: why it failed (timeout, exit code and the CLI's first stderr lines), or undefined when ok. */
  error?: string;
}

/**
 * Never `--prune`: it removes every service of the stack's namespace that the file does not list, and the runbook's
 * `milvus` stack also holds Milvus's own services (milvus_milvus-proxy), deployed from another compose file. Services
 * milvus-swarm rendered and no longer renders are removed by removeOrphans (orphans.ts), by their labels.
 */
export function stackDeployArgs(options: Pick<StackDeployOptions, 'composeFile' | 'stack' | 'resolveImage'>): string[] {
  return [
    'stack',
    'deploy',
    '--compose-file',
    options.composeFile,
    '--with-registry-auth',
    '--detach=true',
    ...(options.resolveImage ? ['--resolve-image', options.resolveImage] : []),
    options.stack,
  ];
}

export async function deployStack(options: StackDeployOptions): Promise<StackDeployResult> {
  // Absolute, because the command runs in the compose file's folder: a relative path (the action's default
  // working directory is '.') would be looked up a second time below that folder.
  const composeFile = path.resolve(options.composeFile);
  const args = stackDeployArgs({ ...options, composeFile });
  // Relative `file:` entries of configs resolve against the compose file's folder; run there too, for clarity.
  const result = await (options.runner ?? processDocker)(args, { timeoutMs: options.timeoutMs, cwd: path.dirname(composeFile) });
  if (result.code === 0) return { ok: true, args, result };
  const error = result.timedOut
    ? `docker stack deploy ${options.stack} did not return within ${Math.round(options.timeoutMs / 1000)} s`
    : `docker stack deploy ${options.stack} exited ${result.code}: ${dockerFailure(result)}`;
  return { ok: false, args, result, error };
}
