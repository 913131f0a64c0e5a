// nektos/act, which runs the repository's GitHub workflows on this machine: the version tried for issue 6, built with
// the machine's Go into the cache (CI starts from a clean clone on the same machine image) and renamed into place, so
// an interrupted build is never taken for a cached one.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';
import { LEAN_BUILD, leanBuildFlags } from './goBuild.ts';
import { CACHE_DIR } from './paths.ts';

export const ACT_VERSION = 'v0.2.89';
const actDir = path.join(CACHE_DIR, `act-${ACT_VERSION}-${LEAN_BUILD}`);
export const ACT_BINARY = path.join(actDir, 'act');

export async function ensureAct(): Promise<{ binary: string; built: boolean; ms: number }> {
  const started = performance.now();
  if (existsSync(ACT_BINARY)) return { binary: ACT_BINARY, built: false, ms: 0 };
  const scratch = `${actDir}.build`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const result = await runCommand('go', ['install', ...leanBuildFlags(), `github.com/nektos/act@${ACT_VERSION}`], {
    cwd: scratch,
    timeoutMs: 15 * 60_000,
    env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' },
  });
  if (result.code !== 0) {
    const reason = result.code === -1 && result.stderr.includes('ENOENT') ? 'the go command is missing (install Go ≥ 1.21)' : `exit ${result.code}`;
    throw new Error(`go install github.com/nektos/act@${ACT_VERSION}: ${reason}\n${result.stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
  const version = await runCommand(path.join(scratch, 'act'), ['--version'], { timeoutMs: 30_000 });
  if (!version.stdout.includes(ACT_VERSION.slice(1))) throw new Error(`the act built from ${ACT_VERSION} says ${JSON.stringify(version.stdout.trim())}`);
  await rm(actDir, { recursive: true, force: true });
  await rename(scratch, actDir);
  return { binary: ACT_BINARY, built: true, ms: Math.round(performance.now() - started) };
}
