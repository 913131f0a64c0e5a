// The git facts the revision gate judges (generator/deploy/revisionGate.ts): this run's ref and commit, the default
// branch, and how the commit relates to the last deployed one (the checkout needs the history: fetch-depth 0).
import { readFile } from 'node:fs/promises';
import { getExecOutput } from '@actions/exec';
import type { Relation } from '../../../../generator/deploy/operations/revisionGate.ts';

/** The repository's default branch, from the event payload (push and workflow_dispatch both carry it). */
export async function defaultBranch(eventPath: string | undefined): Promise<string> {
  if (!eventPath) return 'main';
  const event = JSON.parse(await readFile(eventPath, 'utf8').catch(() => '{}')) as { repository?: { default_branch?: string } };
  return event.repository?.default_branch ?? 'main';
}

const isAncestor = async (root: string, ancestor: string, of: string): Promise<number> =>
  (await getExecOutput('git', ['merge-base', '--is-ancestor', ancestor, of], { cwd: root, ignoreReturnCode: true, silent: true })).exitCode;

/**
 * `recorded`: a deployed topology is recorded at all. Without one this is the first deploy; a record that names no
 * commit (deployed by hand) is `unknown`, never a first deploy.
 */
export async function relationTo(root: string, sha: string, deployed: string | undefined, recorded: boolean): Promise<Relation> {
  if (!recorded) return 'first-deploy';
  if (!deployed) return 'unknown';
  if (sha === deployed) return 'same';
  // 0: yes, 1: no, anything else (128): a commit git does not have.
  const older = await isAncestor(root, sha, deployed);
  if (older !== 0 && older !== 1) return 'unknown';
  if (older === 0) return 'older';
  return (await isAncestor(root, deployed, sha)) === 0 ? 'newer' : 'diverged';
}

export type RemoteHead = { ok: true; sha: string } | { ok: false; problem: string };

/**
 * The default branch's head on the remote, now: `git ls-remote origin refs/heads/BRANCH`. Not the checkout's
 * refs/remotes/origin/BRANCH: for a re-run whose commit is no longer the branch's head, actions/checkout fetches that
 * commit into it (its refSpec for a branch ref names the run's sha). The checkout keeps no credentials
 * (persist-credentials: false), so a token is given the way actions/checkout gives it — an http.extraheader for the
 * GitHub server only — through git's GIT_CONFIG_* environment (git ≥ 2.31), never on the command line.
 */
export async function remoteHead(root: string, branch: string, token: string | undefined): Promise<RemoteHead> {
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const auth: Record<string, string> = token ? { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${server}/.extraheader`, GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}` } : {};
  const env = { ...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0', ...auth };
  const result = await getExecOutput('git', ['ls-remote', '--exit-code', 'origin', `refs/heads/${branch}`], { cwd: root, ignoreReturnCode: true, silent: true, env });
  const sha = /^([0-9a-f]{40})\trefs\/heads\//m.exec(result.stdout)?.[1];
  if (result.exitCode === 0 && sha) return { ok: true, sha };
  const said = result.stderr.trim().split('\n').filter(Boolean).at(-1);
  return { ok: false, problem: result.exitCode === 2 ? `the remote has no branch ${branch}` : (said ?? `git ls-remote exited ${result.exitCode}`) };
}
