// The deploy action's run(), as typescript-action tests an action: @actions/core mocked (fakeCore.ts), real library,
// real docker client. No engine runs here: DOCKER_HOST points at a socket nobody serves, as on a runner whose
// daemon is down, so a deploy stops in preflight; the converged path runs under act in the end-to-end suite.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../.github/actions/deploy/src/main.ts';
import { frozenRepositories } from '../frozen.ts';
import { actionYml, declaredInputs } from './actionYml.ts';
import { inputsRead, logged, runnerEnvironment, startStep, summaryWritten } from './fakeCore.ts';

vi.mock('@actions/core', async (importOriginal) => (await import('./fakeCore.ts')).fakeCore(await importOriginal()));

const frozenRepository = frozenRepositories('milvus-swarm-deploy-action-');
const NO_DAEMON = 'unix:///nonexistent/milvus-swarm-test.sock';
// A run for the default branch, as GitHub starts one (GITHUB_EVENT_PATH unset: the default branch is main).
const RUN_ENV = { DOCKER_HOST: NO_DAEMON, GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'c'.repeat(40) } as const;
runnerEnvironment(RUN_ENV);

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@milvus-swarm.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();

/**
 * A frozen repository checked out as the deploy job checks out main: a git repository whose origin (here itself, as a
 * path) has main at the run's commit, GITHUB_SHA. `commits` more commits on main after the run's one: a re-run.
 */
function repository(commits = 0): string {
  const directory = frozenRepository();
  git(directory, 'init', '--quiet');
  git(directory, 'add', '--all');
  git(directory, 'commit', '--quiet', '--message', 'the run\'s commit');
  vi.stubEnv('GITHUB_SHA', git(directory, 'rev-parse', 'HEAD'));
  for (let index = 0; index < commits; index++) git(directory, 'commit', '--quiet', '--allow-empty', '--message', `merged later ${index}`);
  git(directory, 'config', 'remote.origin.url', directory);
  return directory;
}

const outputs = () => Object.fromEntries(vi.mocked(core.setOutput).mock.calls);

describe('the deploy action', () => {
  it('refuses an unknown resolve-image before it asks docker anything', async () => {
    startStep(core, { environment: 'local', 'resolve-image': 'sometimes', 'working-directory': repository() });
    await run();
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['resolve-image "sometimes": expected one of always, changed, never']]);
    expect(core.setOutput).not.toHaveBeenCalled();
    expect(summaryWritten()).toBe('');
  });

  it('stops in preflight when docker cannot be asked: outputs, the failure, and the summary with the problems', async () => {
    startStep(core, { environment: 'local', 'resolve-image': 'never', 'working-directory': repository() });
    await run();
    expect(outputs()).toEqual({ converged: 'false', phase: 'preflight' });
    expect(Object.keys(outputs()).sort()).toEqual(Object.keys(actionYml('deploy').outputs).sort());
    const [[failure]] = vi.mocked(core.setFailed).mock.calls as [[string]];
    expect(failure).toMatch(/^cannot ask the Docker daemon \(.*Cannot connect to the Docker daemon at unix:\/\/\/nonexistent.*\): run deploy on a swarm manager/m);
    const summary = summaryWritten();
    expect(summary).toMatch(/^<h2>deploy local: failed in preflight<\/h2>\n(topology|preflight) \d+\.\d s/);
    expect(summary).toContain('<h3>problems</h3>');
    expect(summary).toContain('<li>cannot ask the Docker daemon (');
  });

  it('refuses a run for another branch before it asks docker anything, in the summary too', async () => {
    process.env.GITHUB_REF = 'refs/heads/feature';
    try {
      startStep(core, { environment: 'local', 'working-directory': repository() });
      await run();
    } finally {
      process.env.GITHUB_REF = RUN_ENV.GITHUB_REF;
    }
    expect(outputs()).toEqual({ converged: 'false', phase: 'revision' });
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['deploy runs only for refs/heads/main, and this run is for refs/heads/feature: merge the change, then deploy from main']]);
    expect(summaryWritten()).toMatch(/^<h2>deploy local: refused<\/h2>\ndeploy runs only for refs\/heads\/main/);
  });

  it("refuses a commit that is not main's head on the remote (an old run re-run after main moved), before it asks docker anything", async () => {
    const directory = repository(1);
    const sha = process.env.GITHUB_SHA!;
    const head = git(directory, 'rev-parse', 'HEAD');
    startStep(core, { environment: 'local', 'working-directory': directory });
    await run();
    expect(outputs()).toEqual({ converged: 'false', phase: 'revision' });
    const problem = `${sha.slice(0, 12)} is not main's head ${head.slice(0, 12)}: a deploy from the workflow deploys main's head only (its own run deploys the newer commit; run the workflow for main again rather than re-running an old run)`;
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([[problem]]);
    expect(summaryWritten()).toBe(`<h2>deploy local: refused</h2>\n${problem}\n`);
  });

  it("refuses when main's head cannot be learnt from the remote", async () => {
    const directory = repository();
    git(directory, 'config', 'remote.origin.url', path.join(directory, 'no-such-remote'));
    startStep(core, { environment: 'local', 'working-directory': directory });
    await run();
    expect(outputs()).toEqual({ converged: 'false', phase: 'revision' });
    expect(vi.mocked(core.setFailed).mock.calls[0]![0]).toMatch(/^cannot learn main's head from the remote \(.+\): a deploy from the workflow deploys main's head only; deploy by hand on the manager/);
  });

  it('reads exactly the inputs its action.yml declares', async () => {
    startStep(core, { environment: 'local', 'working-directory': repository() });
    await run();
    expect([...inputsRead].sort()).toEqual(declaredInputs('deploy'));
  });

  it('annotates an invalid topology on its file, line and column, and fails', async () => {
    const directory = repository();
    const file = path.join(directory, 'environments/local.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('stack: milvus\n', 'stack: Milvus\n'));
    startStep(core, { environment: 'local', 'working-directory': directory });
    await run();
    expect(vi.mocked(core.error).mock.calls).toEqual([
      [expect.stringMatching(/^stack: expected a DNS label/), { title: 'topology error', file: 'environments/local.yaml', startLine: 5, startColumn: 8 }],
    ]);
    expect(outputs()).toEqual({ converged: 'false', phase: 'topology' });
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(logged(core)).not.toMatch(/SERVICE\s+IMAGE/);
  });

  it('turns a thrown error into setFailed with its message only', async () => {
    startStep(core, { environment: 'staging', 'working-directory': frozenRepository() });
    await run();
    expect(vi.mocked(core.setFailed).mock.calls).toEqual([['unknown environment "staging": environments/staging.yaml does not exist; the environments are local, production']]);
  });
});
