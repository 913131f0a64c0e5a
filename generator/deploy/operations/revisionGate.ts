// The deploy action deploys the default branch's newest code, never an older one. Re-running an old deploy run (GitHub
// lets anyone with write access press "Re-run") would check out that run's commit and roll the environment back,
// templates and topology alike; a run for another branch must not reach the swarm at all. So the run's commit must be
// the default branch's head on the remote now (git ls-remote: the checkout's own refs name the run's commit), and not
// older than the commit of the last successful deploy, recorded with the deployed topology (deployedTopology.ts).
// Comparing with the deployed commit alone let an old run through after a newer deploy failed before recording.

/** How this run's commit relates to the deployed one, as `git merge-base --is-ancestor` tells. */
export type Relation = 'first-deploy' | 'same' | 'newer' | 'older' | 'diverged' | 'unknown';

export type RevisionVerdict = { ok: true; note: string } | { ok: false; problem: string };

export interface RevisionFacts {
  /** GITHUB_REF of the run. */
  ref: string;
  defaultBranch: string;
  sha: string;
  /** The default branch's head on the remote, now; undefined when it could not be learnt (`headProblem` says why). */
  head?: string;
  headProblem?: string;
  deployedCommit?: string;
  /** `first-deploy` only when no topology is recorded; a record without a commit is `unknown`. */
  relation: Relation;
}

export function judgeRevision(facts: RevisionFacts): RevisionVerdict {
  const expected = `refs/heads/${facts.defaultBranch}`;
  if (facts.ref !== expected) {
    return { ok: false, problem: `deploy runs only for ${expected}, and this run is for ${facts.ref || 'no ref'}: merge the change, then deploy from ${facts.defaultBranch}` };
  }
  const short = (sha: string | undefined) => (sha ?? '').slice(0, 12);
  const branch = facts.defaultBranch;
  if (!facts.head) {
    return { ok: false, problem: `cannot learn ${branch}'s head from the remote (${facts.headProblem ?? 'no answer'}): a deploy from the workflow deploys ${branch}'s head only; deploy by hand on the manager (npx milvus-swarm deploy) once you are sure` };
  }
  if (facts.head !== facts.sha) {
    return {
      ok: false,
      problem: `${short(facts.sha)} is not ${branch}'s head ${short(facts.head)}: a deploy from the workflow deploys ${branch}'s head only (its own run deploys the newer commit; run the workflow for ${branch} again rather than re-running an old run)`,
    };
  }
  switch (facts.relation) {
    case 'first-deploy':
      return { ok: true, note: `no deployed commit recorded: deploying ${short(facts.sha)}` };
    case 'same':
      return { ok: true, note: `${short(facts.sha)} is the deployed commit: deploying it again` };
    case 'newer':
      return { ok: true, note: `${short(facts.sha)} is newer than the deployed ${short(facts.deployedCommit)}` };
    case 'older':
      return {
        ok: false,
        problem: `${short(facts.sha)} is older than the deployed commit ${short(facts.deployedCommit)}: re-running an old deploy would roll ${facts.defaultBranch} back — run the workflow for ${facts.defaultBranch}'s newest commit instead (to roll back on purpose, revert the change on ${facts.defaultBranch})`,
      };
    case 'diverged':
      return {
        ok: false,
        problem: `${short(facts.sha)} does not descend from the deployed commit ${short(facts.deployedCommit)} (history rewritten?): compare them, then deploy by hand on the manager (npx milvus-swarm deploy) once you are sure`,
      };
    case 'unknown':
      // A deployed commit this checkout does not have (another repository, history rewritten and pruned), or a record
      // without one (a deploy by hand): nothing to compare, but the run is main's head. The plan gate still stops a
      // destructive difference from the deployed topology.
      return facts.deployedCommit
        ? { ok: true, note: `the deployed commit ${short(facts.deployedCommit)} is not in this checkout's history: deploying ${branch}'s head ${short(facts.sha)} (the plan gate still compares the topologies)` }
        : { ok: true, note: `the deployed topology records no commit (deployed by hand?): deploying ${branch}'s head ${short(facts.sha)} (the plan gate still compares the topologies)` };
  }
}
