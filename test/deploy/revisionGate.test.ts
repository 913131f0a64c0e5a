// The deploy action's revision gate: the default branch's head only (issue 15: re-running an old deploy run must not
// roll production back; a run for another branch never reaches the swarm; issue 23.5: nor an old run re-run after a
// newer deploy failed before recording).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relationTo, remoteHead } from '../../.github/actions/deploy/src/revision.ts';
import { judgeRevision, type Relation } from '../../generator/deploy/operations/revisionGate.ts';

const sha = 'a'.repeat(40);
const deployedCommit = 'b'.repeat(40);
const judge = (relation: Relation, ref = 'refs/heads/main') => judgeRevision({ ref, defaultBranch: 'main', sha, head: sha, deployedCommit, relation });

describe('revision gate', () => {
  it('refuses any ref but the default branch, before looking at commits', () => {
    expect(judge('newer', 'refs/heads/feature')).toEqual({ ok: false, problem: 'deploy runs only for refs/heads/main, and this run is for refs/heads/feature: merge the change, then deploy from main' });
    expect(judge('newer', 'refs/pull/7/merge').ok).toBe(false);
  });

  it('refuses a commit older than the deployed one, saying how to roll back on purpose', () => {
    const verdict = judge('older');
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problem).toBe(
      "aaaaaaaaaaaa is older than the deployed commit bbbbbbbbbbbb: re-running an old deploy would roll main back — run the workflow for main's newest commit instead (to roll back on purpose, revert the change on main)",
    );
  });

  it('refuses a commit that does not descend from the deployed one', () => {
    expect(judge('diverged').ok).toBe(false);
  });

  it('lets the first deploy, the same commit, a newer one and an unknown deployed commit through, saying which', () => {
    for (const relation of ['first-deploy', 'same', 'newer', 'unknown'] as const) expect({ relation, ok: judge(relation).ok }).toEqual({ relation, ok: true });
    expect(judge('unknown')).toMatchObject({ note: expect.stringMatching(/not in this checkout's history: deploying main's head aaaaaaaaaaaa \(the plan gate still compares/) });
  });

  it("refuses any commit but main's head on the remote, whatever the deployed one (W deployed, Y's deploy failed unrecorded, X re-run)", () => {
    const head = 'd'.repeat(40);
    expect(judgeRevision({ ref: 'refs/heads/main', defaultBranch: 'main', sha, head, deployedCommit, relation: 'newer' })).toEqual({
      ok: false,
      problem: "aaaaaaaaaaaa is not main's head dddddddddddd: a deploy from the workflow deploys main's head only (its own run deploys the newer commit; run the workflow for main again rather than re-running an old run)",
    });
    expect(judgeRevision({ ref: 'refs/heads/main', defaultBranch: 'main', sha, headProblem: 'fatal: could not read Username', deployedCommit, relation: 'newer' })).toEqual({
      ok: false,
      problem: "cannot learn main's head from the remote (fatal: could not read Username): a deploy from the workflow deploys main's head only; deploy by hand on the manager (npx milvus-swarm deploy) once you are sure",
    });
  });

  it('says a record without a commit is unknown, not a first deploy', () => {
    expect(judgeRevision({ ref: 'refs/heads/main', defaultBranch: 'main', sha, head: sha, relation: 'unknown' })).toEqual({
      ok: true,
      note: "the deployed topology records no commit (deployed by hand?): deploying main's head aaaaaaaaaaaa (the plan gate still compares the topologies)",
    });
  });
});

describe('how the run relates to the deployed commit (the action, with real git)', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@milvus-swarm.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
  const root = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-revision-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '--quiet');
  git(root, 'commit', '--quiet', '--allow-empty', '--message', 'W');
  const w = git(root, 'rev-parse', 'HEAD');
  git(root, 'commit', '--quiet', '--allow-empty', '--message', 'X');
  const x = git(root, 'rev-parse', 'HEAD');

  it('first deploy only without a record; a record without a commit is unknown', async () => {
    expect(await relationTo(root, x, undefined, false)).toBe('first-deploy');
    expect(await relationTo(root, x, undefined, true)).toBe('unknown');
    expect(await relationTo(root, x, w, true)).toBe('newer');
    expect(await relationTo(root, w, x, true)).toBe('older');
  });

  it("reads main's head from the remote, not from the checkout's refs", async () => {
    const remote = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-revision-remote-'));
    try {
      git(remote, 'clone', '--quiet', root, '.');
      git(root, 'commit', '--quiet', '--allow-empty', '--message', 'Y');
      const y = git(root, 'rev-parse', 'HEAD');
      // The clone's own origin/main still says X; the remote's main is Y.
      expect(git(remote, 'rev-parse', 'refs/remotes/origin/main')).toBe(x);
      expect(await remoteHead(remote, 'main', undefined)).toEqual({ ok: true, sha: y });
      expect(await remoteHead(remote, 'trunk', undefined)).toEqual({ ok: false, problem: 'the remote has no branch trunk' });
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});
