// The docker CLI as a function: one call, one process, a hard timeout, and the output as a value. Nothing here
// prints or throws on a non-zero exit; callers decide what a failure means (deploy and verify through calls.ts, the
// e2e harness through test/e2e/support/docker.ts).
import { spawn } from 'node:child_process';
import { keepCallerPriority } from './childPriority.ts';

export interface DockerResult {
  /** The exit code; -1 when the process could not start or was killed at the timeout. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  elapsedMs: number;
}

export interface DockerOptions {
  /** Hard limit: the process (and its children) get SIGKILL when it passes. */
  timeoutMs: number;
  /** Written to the process's stdin, then stdin is closed (`docker secret create NAME -`). */
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The docker binary; DOCKER_CLI in the environment, else `docker` on PATH. */
  binary?: string;
}

export const DEFAULT_DOCKER_TIMEOUT_MS = 60_000;

export function docker(args: readonly string[], options: Partial<DockerOptions> = {}): Promise<DockerResult> {
  const env = options.env ?? process.env;
  return runCommand(options.binary ?? env.DOCKER_CLI ?? 'docker', args, { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_DOCKER_TIMEOUT_MS, env });
}

/** Any command, the same way (the e2e harness runs go, tar and apt-get through it). */
export function runCommand(binary: string, args: readonly string[], options: Omit<DockerOptions, 'binary'>): Promise<DockerResult> {
  const { timeoutMs } = options;
  const env = options.env ?? process.env;
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    // A process group of its own, so a timeout kills whatever the CLI started too (credential helpers, plugins).
    const child = spawn(binary, args, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    keepCallerPriority(child.pid);
    const finish = (code: number, extraStderr = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + extraStderr,
        timedOut,
        elapsedMs: Math.round(performance.now() - started),
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => finish(-1, `${error.message}\n`));
    child.on('close', (code) => finish(timedOut ? -1 : (code ?? -1), timedOut ? `${binary} ${args[0] ?? ''}: killed after ${timeoutMs} ms\n` : ''));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** `--format '{{json .}}'` output: one JSON document per line. */
export function parseJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * Why a docker call failed, in the daemon's words: the line that says what went wrong (`Error response from daemon:
 * …`), never the CLI's usage hint (`Run 'docker run --help' for more information`) nor a progress line before it.
 */
export function dockerFailure(result: Pick<DockerResult, 'code' | 'stderr' | 'stdout' | 'timedOut' | 'elapsedMs'>): string {
  if (result.timedOut) return `no answer within ${Math.round(result.elapsedMs / 1000)} s`;
  const lines = (result.stderr.trim() === '' ? result.stdout : result.stderr)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(Run|See) '.*--help'/.test(line) && !/^Usage:/.test(line));
  const said = lines.find((line) => /error response from daemon|^error|^docker: /i.test(line)) ?? lines[0];
  return said ? said.replace(/^docker: /, '').replace(/\.$/, '') : `exit ${result.code}`;
}
