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

export async function relationTo(root: string, sha: string, deployed: string | undefined): Promise<Relation> {
  if (!deployed) return 'first-deploy';
  if (sha === deployed) return 'same';
  // 0: yes, 1: no, anything else (128): a commit git does not have.
  const older = await isAncestor(root, sha, deployed);
  if (older !== 0 && older !== 1) return 'unknown';
  if (older === 0) return 'older';
  return (await isAncestor(root, deployed, sha)) === 0 ? 'newer' : 'diverged';
}
