// The e2e suites' way to docker: a call that must succeed throws with the command and its output, which is what a
// failing test should show. The product never throws on a failed call (generator/docker/calls.ts returns values), so
// these live here.
import { docker, type DockerOptions, type DockerResult } from '../../../generator/docker/cli.ts';

/** A failed docker call as an Error whose message names the command and its stderr (never its input). */
export class DockerCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: DockerResult,
  ) {
    const reason = result.timedOut ? `timed out after ${result.elapsedMs} ms` : `exit ${result.code}`;
    super(`docker ${args.join(' ')}: ${reason}: ${firstLines(result.stderr || result.stdout, 5)}`);
    this.name = 'DockerCommandError';
  }
}

/** Runs docker and returns its stdout, or throws DockerCommandError on a non-zero exit or a timeout. */
export async function dockerOk(args: readonly string[], options: Partial<DockerOptions> = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) throw new DockerCommandError(args, result);
  return result.stdout;
}

export function firstLines(text: string, count: number): string {
  const lines = text.trim().split('\n');
  return lines.slice(0, count).join(' | ') + (lines.length > count ? ` | … (${lines.length - count} more lines)` : '');
}
