// The deploy action deploys the default branch's newest code, never an older one. Re-running an old deploy run (GitHub
// lets anyone with write access press "Re-run") would check out that run's commit and roll the environment back,
// templates and topology alike; a run for another branch must not reach the swarm at all. The commit of the last
// successful deploy is recorded with the deployed topology (deployedTopology.ts); git says how the two relate.

/** How this run's commit relates to the deployed one, as `git merge-base --is-ancestor` tells. */
export type Relation = 'first-deploy' | 'same' | 'newer' | 'older' | 'diverged' | 'unknown';

export type RevisionVerdict = { ok: true; note: string } | { ok: false; problem: string };

export interface RevisionFacts {
  /** GITHUB_REF of the run. */
  ref: string;
  defaultBranch: string;
  sha: string;
  deployedCommit?: string;
  relation: Relation;
}

export function judgeRevision(facts: RevisionFacts): RevisionVerdict {
  const expected = `refs/heads/${facts.defaultBranch}`;
  if (facts.ref !== expected) {
    return { ok: false, problem: `deploy runs only for ${expected}, and this run is for ${facts.ref || 'no ref'}: merge the change, then deploy from ${facts.defaultBranch}` };
  }
  const short = (sha: string | undefined) => (sha ?? '').slice(0, 12);
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
      // A deployed commit this checkout does not have (another repository, history rewritten and pruned): nothing to
      // compare. The plan gate still stops a destructive difference from the deployed topology.
      return { ok: true, note: `the deployed commit ${short(facts.deployedCommit)} is not in this checkout's history: deploying ${short(facts.sha)} (the plan gate still compares the topologies)` };
  }
}
