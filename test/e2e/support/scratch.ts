// A scratch copy of the repository for changes the suite must never make to the real one (a template change, a
// missing image, drift), as a clone would be: the generator with its templates (render and check read the templates
// next to the generator), environments/, rendered/, the workflows and action bundles, and this repository's
// node_modules by a symbolic link. With `git`, a git repository of one commit (act reads the commit and ref).
// Removed by the caller.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';
import { REPO_ROOT } from '../harness/paths.ts';
import { milvusSwarm } from './cli.ts';

export interface Scratch {
  root: string;
  /** Rewrites a file of the copy; `edit` must change it (a no-op edit would make the test prove nothing). */
  edit(file: string, edit: (text: string) => string): Promise<void>;
  /** `milvus-swarm render --env NAME` in the copy (local by default; `all`: every environment). */
  render(environment?: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * act v0.2.89 (the newest the Go proxy serves) runs `using: node20` JavaScript actions but not `node24` (it looks for
 * a Dockerfile instead): a copy made for act says node20 in its action.yml files. The bundles target node20 syntax,
 * so the same code runs on both. Only such copies, never the repository, are changed so.
 */
export async function actNode20(root: string): Promise<void> {
  for (const action of ['deploy', 'verify', 'diff']) {
    const file = path.join(root, '.github', 'actions', action, 'action.yml');
    const text = await readFile(file, 'utf8');
    if (!text.includes('  using: node24\n')) throw new Error(`${file} does not say using: node24: the act copy would not test what ships`);
    await writeFile(file, text.replace('  using: node24\n', '  using: node20 # a copy for act v0.2.89, which does not know node24\n'));
  }
}

export async function scratchRepository(options: { git?: boolean; forAct?: boolean } = {}): Promise<Scratch> {
  const root = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-scratch-'));
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'generator', 'environments', 'rendered', 'conf', '.github']) {
    await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const scratch: Scratch = {
    root,
    async edit(file, edit) {
      const full = path.join(root, file);
      const before = await readFile(full, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing: the fixture no longer matches the file`);
      await writeFile(full, after);
    },
    async render(environment = 'local') {
      const rendered = await milvusSwarm(['render', ...(environment === 'all' ? [] : ['--env', environment])], { cwd: root, timeoutMs: 60_000 });
      if (rendered.code !== 0) throw new Error(`render in the scratch copy failed: ${rendered.stderr.trim()}`);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  if (options.forAct) await actNode20(root);
  if (options.git || options.forAct) await commitAll(root, 'scratch copy of milvus-swarm');
  return scratch;
}

/** What act takes for the scratch repository's GitHub home (GITHUB_REPOSITORY milvus-swarm/milvus-swarm), and the remote holding it. */
export const SCRATCH_GITHUB_URL = 'https://github.com/milvus-swarm/milvus-swarm.git';
export const ACT_REMOTE = 'github';

/** act reads the commit, ref and remote from git: a repository of one commit is enough, its own origin. */
export async function commitAll(root: string, message: string): Promise<void> {
  const git = (...args: string[]) =>
    runCommand('git', ['-c', 'user.name=milvus-swarm e2e', '-c', 'user.email=e2e@milvus-swarm.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: root, timeoutMs: 30_000 });
  // Its own origin: the deploy action asks `git ls-remote origin` for main's head (only that commit deploys), as it
  // asks GitHub on a runner. act derives the job's GITHUB_REPOSITORY (owner/name, what the issue steps call the API
  // with) from a remote's URL as written, which a folder is not: the remote `github` holds a GitHub URL for act alone
  // (support/act.ts passes --remote-name github); nothing fetches from it.
  const origin = ['config', 'remote.origin.url', root];
  const tracking = ['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'];
  const github = ['config', `remote.${ACT_REMOTE}.url`, SCRATCH_GITHUB_URL];
  for (const args of [['init', '--quiet'], origin, tracking, github, ['add', '--all'], ['commit', '--quiet', '--allow-empty', '--message', message]]) {
    const result = await git(...args);
    if (result.code !== 0) throw new Error(`git ${args[0]} in ${root}: ${result.stderr.trim()}`);
  }
}
