// The docker CLI through @actions/exec, for the actions: the same DockerRunner the CLI gets from generator/docker,
// so commands show in the job log as `[command]docker ...` when debug logging is on. @actions/exec has no timeout,
// so the command runs under coreutils' `timeout`, which kills it (and says 124) when it overruns.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import type { DockerRunner } from '../../../../generator/docker/runner.ts';

const TIMED_OUT = 124;
const KILLED = 137;

export const execDocker: DockerRunner = async (args, options = {}) => {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = performance.now();
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const binary = options.binary ?? options.env?.DOCKER_CLI ?? process.env.DOCKER_CLI ?? 'docker';
  core.debug(`docker ${args.join(' ')} (timeout ${seconds} s)`);
  const result = await getExecOutput('timeout', ['--kill-after=5', `${seconds}`, binary, ...args], {
    silent: !core.isDebug(),
    ignoreReturnCode: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env as Record<string, string> } : {}),
    ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
  });
  const timedOut = result.exitCode === TIMED_OUT || result.exitCode === KILLED;
  return {
    code: timedOut ? -1 : result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr + (timedOut ? `docker ${args[0] ?? ''}: killed after ${timeoutMs} ms\n` : ''),
    timedOut,
    elapsedMs: Math.round(performance.now() - started),
  };
};
