// One docker call, one value: what the call printed (parsed), or why it failed in the daemon's words. Deploy and
// verify ask docker only through these, so a failure is never a throw to be caught again further up, and never a
// usage hint instead of the daemon's line (dockerFailure picks it).
import { dockerFailure } from './cli.ts';
import type { DockerRunner } from './runner.ts';

/** A value read from docker, or why it could not be: preflight and the phases turn the failure into one line. */
export type Fact<T> = { ok: true; value: T } | { ok: false; error: string };

export type DockerValue<T> = { ok: true; value: T } | DockerFailed;

export interface DockerFailed {
  ok: false;
  /** `docker service ls: <reason>`: the command's first two words, then the reason. */
  error: string;
  /** The daemon's own line (`Error response from daemon: …`), `no answer within N s`, or `unreadable output (…)`. */
  reason: string;
}

export interface CallOptions {
  /** Hard limit (default 20 s): the process is killed when it passes, and the failure says so. */
  timeoutMs?: number;
  cwd?: string;
  /** Written to the command's stdin (`docker config create NAME -`). */
  input?: string;
}

export const DEFAULT_CALL_TIMEOUT_MS = 20_000;

/** Runs `docker ARGS…` and parses what it printed; a non-zero exit, a timeout or output the parser refuses is a failure. */
export async function dockerValue<T>(runner: DockerRunner, args: readonly string[], parse: (stdout: string) => T, options: CallOptions = {}): Promise<DockerValue<T>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const result = await runner(args, { ...options, timeoutMs });
  if (result.code !== 0) return failed(args, result.timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : dockerFailure(result));
  try {
    return { ok: true, value: parse(result.stdout) };
  } catch (error) {
    return failed(args, `unreadable output (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A command run for what it does (`service rm`, `node update`): ok, or why not. */
export const dockerDo = (runner: DockerRunner, args: readonly string[], options?: CallOptions): Promise<DockerValue<void>> => dockerValue(runner, args, () => undefined, options);

/** Its stdout as trimmed, non-empty lines (`--quiet` ids, `--format '{{.Name}}'`). */
export const dockerLines = (runner: DockerRunner, args: readonly string[], options?: CallOptions): Promise<DockerValue<string[]>> => dockerValue(runner, args, lines, options);

/** Its stdout as one JSON document (`docker service inspect`, `docker inspect`). */
export const dockerJson = <T>(runner: DockerRunner, args: readonly string[], options?: CallOptions): Promise<DockerValue<T>> =>
  dockerValue(runner, args, (stdout) => JSON.parse(stdout) as T, options);

export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

function failed(args: readonly string[], reason: string): DockerFailed {
  return { ok: false, reason, error: `docker ${args.slice(0, 2).join(' ')}: ${reason}` };
}
