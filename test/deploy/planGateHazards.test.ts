// Deploy refuses, before changing anything, every change issue 22 made the plan refuse: preflight's plan gate
// (judgePlan and the acknowledgements the steps need, against the deployed topology) for the changes the plan calls
// destructive, and the topology's validation — which deploy runs before preflight — for the ones a rule refuses.
import { describe, expect, it } from 'vitest';
import { judgePlan, planAgainstDeployed } from '../../generator/deploy/operations/planGate.ts';
import { unacknowledgedSteps } from '../../generator/deploy/phases/preflight.ts';
import { planEnvironmentSteps } from '../../generator/plan/plan.ts';
import { formatProblem } from '../../generator/topology/problems.ts';
import { modelEnvironment } from '../../generator/workspace/environment.ts';
import { caseText } from '../plan/cases.ts';
import { loadSide } from '../plan/support.ts';

/** What preflight says about a case deployed over its before side: the gate's verdict and the steps' acknowledgements. */
function preflightVerdict(name: string, acknowledge: readonly string[] = []) {
  const [deployed, current] = [loadSide(name, 'before')!, { ...loadSide(name, 'after')!, acknowledge: [...acknowledge] }];
  const steps = planEnvironmentSteps(deployed, current, { environment: 'production' });
  const verdict = judgePlan({ kind: 'planned', changes: planAgainstDeployed(deployed, current, 'production'), steps, deployed }, 'production');
  return [...verdict.problems, ...unacknowledgedSteps(steps, current.acknowledge, 'production')];
}

const refusing = (problems: readonly string[], id: string) => problems.filter((line) => line.startsWith(`plan: ${id} is destructive: `));

describe("deploy's preflight refuses what the plan now refuses (issue 22)", () => {
  it.each([
    ['etcd-member-move-onto-leaving', 'etcd-data-dir-reuse:etcd4'],
    ['etcd-members-swap-hosts', 'etcd-data-dir-reuse:etcd5'],
    ['etcd-member-add-onto-moved', 'etcd-data-dir-reuse:etcd6'],
    ['node-id-swap', 'node-id:gp22aitppapcsve'],
    ['minio-pool-replace-only', 'minio-pool-remove:minio1..minio4'],
    ['minio-env-set-drive-count', 'minio-env:MINIO_ERASURE_SET_DRIVE_COUNT'],
    ['etcd-version-minor-from-3-5-25', 'etcd-version:v3.6.0'],
  ])('%s: %s stops it, with the id to acknowledge', (name, id) => {
    const problems = preflightVerdict(name);
    expect(refusing(problems, id)).toHaveLength(1);
    expect(refusing(problems, id)[0]).toMatch(new RegExp(`add "${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" under acknowledge: in environments/production\\.yaml$`));
  });

  it('acknowledged, the data-dir reuse passes the gate, and its emptying step needs that same acknowledgement', () => {
    const id = 'etcd-data-dir-reuse:etcd4';
    expect(preflightVerdict('etcd-member-move-onto-leaving').some((line) => line.startsWith(`plan: step etcd-data-dir-empty:etcd5 runs only when acknowledged`))).toBe(true);
    expect(preflightVerdict('etcd-member-move-onto-leaving', [id])).toEqual([]);
  });

  it.each([
    ['minio-env-parity-too-high', /minio\.env\.MINIO_STORAGE_CLASS_STANDARD: EC:5 is more parity than pool 1's erasure sets of 8 drives hold/],
    ['minio-version-without-curl', /minio\.image: the MinIO nodes' healthcheck runs curl inside quay\.io\/minio\/minio:RELEASE\.2023-11-01T18-37-25Z, which has none/],
  ])('%s: the topology does not validate, so deploy stops before preflight', (name, line) => {
    const loaded = modelEnvironment({ environment: 'production', file: 'environments/production.yaml', text: caseText(name, 'after')! });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems.filter((problem) => problem.severity === 'error').map(formatProblem)).toEqual([expect.stringMatching(line)]);
  });
});
