// The deploy action's revision gate: the default branch's newest code only (issue 15: re-running an old deploy run
// must not roll production back; a run for another branch never reaches the swarm).
import { describe, expect, it } from 'vitest';
import { judgeRevision, type Relation } from '../../generator/deploy/operations/revisionGate.ts';

const sha = 'a'.repeat(40);
const deployedCommit = 'b'.repeat(40);
const judge = (relation: Relation, ref = 'refs/heads/main') => judgeRevision({ ref, defaultBranch: 'main', sha, deployedCommit, relation });

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
    expect(judge('unknown')).toMatchObject({ note: expect.stringMatching(/not in this checkout's history: deploying aaaaaaaaaaaa \(the plan gate still compares/) });
  });
});
