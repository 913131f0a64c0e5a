// Deploy refuses a topology change that `plan` (issue 3, generator/plan/) classes destructive and nobody acknowledged.
// It plans against the topology recorded at the last successful deploy (deployedTopology.ts), not against git: what
// runs is what a change is applied to. The nginx template is not compared here (the deployed template is not
// recorded): its change is never destructive, and its config is content-hashed anyway.
import { blocks, type Change } from '../../plan/change.ts';
import { planEnvironment } from '../../plan/plan.ts';
import type { Step } from '../../plan/steps.ts';
import type { Topology } from '../../topology/schema.ts';

export type PlanTopologies = (deployed: Topology, current: Topology, environment: string) => Change[];

export const planAgainstDeployed: PlanTopologies = (deployed, current, environment) => planEnvironment(deployed, current, { environment });

export type PlanGate = { kind: 'first-deploy' } | { kind: 'planned'; changes: Change[]; steps?: Step[]; deployed?: Topology };

export interface PlanVerdict {
  /** Lines that stop the deploy. */
  problems: string[];
  /** Lines to show either way. */
  notes: string[];
}

export function judgePlan(gate: PlanGate, environment: string): PlanVerdict {
  if (gate.kind === 'first-deploy') return { problems: [], notes: ['plan: no deployed topology recorded in the swarm: first deploy of this stack'] };
  const blocking = gate.changes.filter(blocks);
  const acknowledged = gate.changes.filter((change) => change.class === 'destructive' && change.acknowledged);
  const counts = (['destructive', 'care', 'safe'] as const).map((kind) => `${gate.changes.filter((change) => change.class === kind).length} ${kind}`).join(', ');
  return {
    problems: blocking.map(
      (change) =>
        `plan: ${change.id} is destructive: ${change.what} — ${change.why}; follow \`npx milvus-swarm plan\`'s procedure, then add "${change.id}" under acknowledge: in environments/${environment}.yaml`,
    ),
    notes: [
      `plan against the deployed topology: ${gate.changes.length === 0 ? 'no changes' : counts}`,
      ...acknowledged.map((change) => `plan: ${change.id} is destructive and acknowledged: deploying it`),
    ],
  };
}
