// The milvus-swarm CLI as an operator runs it (`npx milvus-swarm …` in a clone): a process of its own, the bin of the
// repository it runs in (this one, or a scratch copy with its own generator/ and templates), with a hard timeout.
import path from 'node:path';
import { shippedBin } from '../../cliProcess.ts';
import { runCommand, type DockerResult } from '../../../generator/docker/cli.ts';
import { envFile, REPO_ROOT } from '../harness/paths.ts';

export interface CliResult extends DockerResult {
  /** The command line, for assertion messages. */
  command: string;
}

export async function milvusSwarm(args: readonly string[], options: { cwd?: string; timeoutMs: number }): Promise<CliResult> {
  const root = options.cwd ?? REPO_ROOT;
  const result = await runCommand(shippedBin(root), args, { cwd: root, timeoutMs: options.timeoutMs });
  return { ...result, command: `milvus-swarm ${args.join(' ')}` };
}

export interface VerifyRow {
  check: string;
  status: 'pass' | 'warn' | 'fail';
  elapsedMs: number;
  reason: string;
}

export interface VerifyRun {
  code: number;
  rows: VerifyRow[];
  /** verify's own elapsed time (its report), and the process's wall time around it. */
  elapsedMs: number;
  wallMs: number;
  stdout: string;
  stderr: string;
}

/** `verify --env local --env-file local.env --json`: the rows and the exit code. */
export const verifyLocal = (options: { cwd?: string; timeoutMs?: number } = {}) => verifyEnvironment('local', options);

/** `verify --env NAME --env-file ~/.cache/milvus-swarm/NAME.env --json` (staging's file also holds DOCKER_HOST). */
export async function verifyEnvironment(environment: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<VerifyRun> {
  const result = await milvusSwarm(['verify', '--env', environment, '--env-file', envFile(environment), '--json'], { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 60_000 });
  if (result.timedOut) throw new Error(`${result.command}: no result within ${result.elapsedMs} ms`);
  let report: { rows: VerifyRow[]; elapsedMs: number };
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new Error(`${result.command} exited ${result.code} without a JSON report: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { code: result.code, rows: report.rows, elapsedMs: report.elapsedMs, wallMs: result.elapsedMs, stdout: result.stdout, stderr: result.stderr };
}

/** "STATUS check" lines, for an assertion whose failure message shows the whole table. */
export const statuses = (run: VerifyRun) => run.rows.map((row) => `${row.status} ${row.check}`);
export const row = (run: VerifyRun, check: string) => {
  const found = run.rows.find((entry) => entry.check === check);
  if (!found) throw new Error(`verify has no row "${check}": ${run.rows.map((entry) => entry.check).join(', ')}`);
  return found;
};
