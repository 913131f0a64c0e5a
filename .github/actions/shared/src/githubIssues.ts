// The GitHub edge of the red-run issue (redIssue.ts decides): GitHub's own client (@actions/github: octokit with the
// runner's API URL, GITHUB_API_URL, and repository, GITHUB_REPOSITORY), authenticated by the job's token, which needs
// `issues: write` and nothing else. Never a reason to fail the step: the check's own result is the step's.
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { describeUpdate, findIssue, planIssueUpdate, type OpenIssue, type RunState } from './redIssue.ts';

/** The run's page (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID), when the runner names it. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

/**
 * Opens, comments on or closes this environment's issue; returns what it did, or why it could not (a warning
 * annotation says so too). Without a token it does nothing: deploy.yml's verify step passes none.
 */
export async function trackInIssue(token: string, state: RunState): Promise<string> {
  if (token === '') return 'none (no github-token)';
  try {
    const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo) throw new Error('GITHUB_REPOSITORY is not owner/name');
    // Read when called, not when the module loads (@actions/github's defaults take GITHUB_API_URL at import).
    const octokit = getOctokit(token, { baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com' });
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 });
    // The issues list holds pull requests too: never one of ours.
    const open: OpenIssue[] = issues.filter((issue) => !issue.pull_request).map((issue) => ({ number: issue.number, body: issue.body ?? '' }));
    const update = planIssueUpdate(state, findIssue(state.watch, state.environment, open));
    switch (update.action) {
      case 'open': {
        const created = await octokit.rest.issues.create({ owner, repo, title: update.title, body: update.body });
        return describeUpdate(update, created.data.number);
      }
      case 'comment':
        await octokit.rest.issues.createComment({ owner, repo, issue_number: update.number, body: update.body });
        return describeUpdate(update);
      case 'close':
        await octokit.rest.issues.createComment({ owner, repo, issue_number: update.number, body: update.body });
        await octokit.rest.issues.update({ owner, repo, issue_number: update.number, state: 'closed', state_reason: 'completed' });
        return describeUpdate(update);
      case 'none':
        return describeUpdate(update);
    }
  } catch (error) {
    const reason = `the ${state.watch} issue for ${state.environment} was not updated: ${error instanceof Error ? error.message : String(error)} (the job needs permissions: issues: write)`;
    core.warning(reason);
    return `failed: ${reason}`;
  }
}
