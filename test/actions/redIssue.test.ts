// The red-run issue: what a run does to its environment's issue (redIssue.ts, a table), and the calls it makes through
// GitHub's client (@actions/github) against the FAKE GitHub API server (fakeGitHub.ts: GitHub cannot be reached here).
// The workflows under act do the same end to end (test/e2e/act.test.ts, test/e2e/drift.test.ts).
import * as core from '@actions/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { trackInIssue } from '../../.github/actions/shared/src/githubIssues.ts';
import { findIssue, issueMarker, planIssueUpdate, type RunState } from '../../.github/actions/shared/src/redIssue.ts';
import { startStep } from './fakeCore.ts';
import { startFakeGitHub, type FakeGitHub } from './fakeGitHub.ts';

vi.mock('@actions/core', async (importOriginal) => (await import('./fakeCore.ts')).fakeCore(await importOriginal()));

const red = (environment = 'production'): RunState => ({
  watch: 'verify',
  environment,
  red: true,
  headline: `verify ${environment}: FAIL — 10 pass, 0 warn, 2 fail in 3.10s`,
  details: '| status | time | check | reason |\n| --- | --- | --- | --- |\n| ❌ fail | 0.10s | minio: cluster health | 503 |\n',
  runUrl: 'https://github.com/o/r/actions/runs/7',
});
const green = (environment = 'production'): RunState => ({ ...red(environment), red: false, headline: `verify ${environment}: PASS — 12 pass, 0 warn, 0 fail in 2.00s`, details: '' });

describe('what a run does to its issue', () => {
  const open = { number: 4, body: `${issueMarker('verify', 'production')}\n**verify production: FAIL**` };

  it.each([
    ['red, no issue', red(), undefined, 'open'],
    ['red, an issue open', red(), open, 'comment'],
    ['green, an issue open', green(), open, 'close'],
    ['green, no issue', green(), undefined, 'none'],
  ] as const)('%s: %s', (_, state, issue, action) => {
    expect(planIssueUpdate(state, issue).action).toBe(action);
  });

  it('opens with the marker, the headline, the failing rows and the run', () => {
    const update = planIssueUpdate(red(), undefined);
    expect(update).toMatchObject({ action: 'open', title: 'verify production is failing' });
    const body = update.action === 'open' ? update.body : '';
    expect(body.split('\n')[0]).toBe('<!-- milvus-swarm:verify:production -->');
    expect(body).toContain('**verify production: FAIL — 10 pass, 0 warn, 2 fail in 3.10s** ([this run](https://github.com/o/r/actions/runs/7))');
    expect(body).toContain('| ❌ fail | 0.10s | minio: cluster health | 503 |');
  });

  it("finds its own environment's and check's issue by the marker line, never another's", () => {
    const issues = [
      { number: 1, body: `${issueMarker('verify', 'staging')}\n…` },
      { number: 2, body: `${issueMarker('drift', 'production')}\n…` },
      { number: 3, body: `quoting it: ${issueMarker('verify', 'production')} is not the marker line` },
      { number: 5, body: `${issueMarker('verify', 'production')}\n…` },
    ];
    expect(findIssue('verify', 'production', issues)?.number).toBe(5);
    expect(findIssue('verify', 'local', issues)).toBeUndefined();
  });
});

describe('trackInIssue against the fake GitHub API', () => {
  const TOKEN = 'ghs_fake-token-for-the-fake-api';
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN, pageSize: 2 });
    vi.stubEnv('GITHUB_API_URL', github.url);
    vi.stubEnv('GITHUB_REPOSITORY', 'example/milvus-swarm');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await github.close();
  });
  beforeEach(() => startStep(core, {}));

  it('a failing run opens one issue, a second comments on it, a green run closes it; another environment untouched', async () => {
    // Other open issues and a pull request across more than one page (the fake serves two a page).
    github.issues.push(
      { number: 1, title: 'a bug', body: 'something', state: 'open', comments: [], repository: 'example/milvus-swarm' },
      { number: 2, title: 'a pull request', body: issueMarker('verify', 'production'), state: 'open', comments: [], repository: 'example/milvus-swarm', pull_request: { url: 'x' } },
    );
    expect(await trackInIssue(TOKEN, red('staging'))).toBe('opened #3');
    expect(await trackInIssue(TOKEN, red())).toBe('opened #4');
    expect(await trackInIssue(TOKEN, red())).toBe('commented on #4');
    expect(await trackInIssue(TOKEN, green())).toBe('closed #4');
    expect(await trackInIssue(TOKEN, green())).toBe('none');
    const production = github.issues.find((issue) => issue.number === 4)!;
    expect(production).toMatchObject({ title: 'verify production is failing', state: 'closed', state_reason: 'completed' });
    expect(production.comments).toHaveLength(2);
    expect(production.comments[0]).toMatch(/^Still red: \*\*verify production: FAIL/);
    expect(production.comments[1]).toMatch(/^Green again: \*\*verify production: PASS/);
    expect(github.issues.find((issue) => issue.number === 3)).toMatchObject({ state: 'open', comments: [] });
    expect(github.calls.filter((call) => !call.startsWith('GET'))).toEqual([
      'POST /repos/example/milvus-swarm/issues',
      'POST /repos/example/milvus-swarm/issues',
      'POST /repos/example/milvus-swarm/issues/4/comments',
      'POST /repos/example/milvus-swarm/issues/4/comments',
      'PATCH /repos/example/milvus-swarm/issues/4',
    ]);
    expect(vi.mocked(core.warning)).not.toHaveBeenCalled();
  });

  it('no token: touches nothing; a refused token: a warning naming the permission, the step not failed', async () => {
    const before = github.calls.length;
    expect(await trackInIssue('', red())).toBe('none (no github-token)');
    expect(github.calls.length).toBe(before);
    expect(await trackInIssue('another-token', red())).toMatch(/^failed: the verify issue for production was not updated: Bad credentials.*\(the job needs permissions: issues: write\)$/);
    expect(vi.mocked(core.warning).mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/^the verify issue for production was not updated: Bad credentials/)]);
    expect(vi.mocked(core.setFailed)).not.toHaveBeenCalled();
  });
});
