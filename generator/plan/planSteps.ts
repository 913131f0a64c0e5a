// Every executable step of a plan, in the order deploy runs them: etcd membership (which ends in the members'
// rolling restart), an etcd version's rolling upgrade, MinIO pools decommissioned, MinIO pools added (every node
// restarted together), the rendered stack, and last the services of decommissioned pools. A change's own steps are
// these, filtered by its id (stepsFor): the plan prints them per change and as one list, and deploy runs the list.
import type { Comparison } from './comparison.ts';
import { etcdMembershipSteps } from './etcdSteps.ts';
import { matchPools, nodeNames, poolLabel } from './minioPoolMatch.ts';
import { CHECKS, type Step } from './steps.ts';
import { imageTag } from '../topology/rules/images.ts';
import { etcdUpgrade } from './versions.ts';

const computed = new WeakMap<Comparison, Step[]>();

export function planSteps(comparison: Comparison): Step[] {
  let steps = computed.get(comparison);
  if (!steps) {
    steps = computeSteps(comparison);
    computed.set(comparison, steps);
  }
  return steps;
}

/** The steps that carry out one change, in plan order. */
export const stepsFor = (comparison: Comparison, changeId: string): Step[] => planSteps(comparison).filter((step) => step.changes.includes(changeId));

/** The change id of an etcd image change (etcdCluster.ts reports it under the same id). */
export const etcdVersionChangeId = (comparison: Comparison): string => {
  const to = comparison.after.model.etcd.image;
  return `etcd-version:${imageTag(to) ?? to}`;
};

// Long (~70 lines) as a list is long: one short block per kind of step, in the order deploy runs them.
function computeSteps(comparison: Comparison): Step[] {
  const { before, after } = comparison;
  const stack = before.model.stack;
  const steps: Step[] = [...etcdMembershipSteps(comparison)];

  // A version etcd upgrades to member by member: the roll restarts each member alone on the new image.
  const upgrade = etcdUpgrade(before.model.etcd.image, after.model.etcd.image);
  if (upgrade === 'minor' || upgrade === 'unreadable' || upgrade === 'repository') {
    const id = etcdVersionChangeId(comparison);
    const roll = steps.find((step) => step.kind === 'etcd-members-roll');
    if (roll) roll.changes.push(id);
    else {
      const members = after.model.etcd.members.map((member) => member.name);
      steps.push({ id: `etcd-members-roll:${members.join(',')}`, kind: 'etcd-members-roll', members, changes: [id], verifyAfter: [CHECKS.etcdStatus, CHECKS.etcdMemberList] });
    }
  }

  const pools = matchPools(comparison);
  for (const { pool } of pools.removed) {
    const id = `minio-pool-remove:${poolLabel(pool)}`;
    steps.push({
      id: `minio-pool-decommission:${poolLabel(pool)}`,
      kind: 'minio-pool-decommission',
      pool: pool.serverArgument,
      nodes: nodeNames(pool),
      changes: [id],
      verifyAfter: [CHECKS.poolDecommissioned(pool.serverArgument), CHECKS.minioHealth],
      command: `mc admin decommission start ALIAS/ ${pool.serverArgument}`,
      acknowledgement: id,
    });
  }
  const allNodes = after.model.minio.pools.flatMap(nodeNames);
  for (const { pool } of pools.added) {
    const id = `minio-pool-add:${poolLabel(pool)}`;
    steps.push({
      id,
      kind: 'minio-pool-add',
      pool: pool.serverArgument,
      nodes: allNodes,
      changes: [id],
      verifyAfter: [CHECKS.minioHealth, CHECKS.minioDrives],
      acknowledgement: id,
    });
  }

  // Members moving to another network all at once: one moved alone could not reach its peers (stack.ts says why).
  const networkMoves = before.topology.network.name !== after.topology.network.name;
  if (steps.length > 0 || networkMoves) {
    steps.push({
      id: `stack-deploy:${stack}`,
      kind: 'stack-deploy',
      stack: after.model.stack,
      etcdMembers: networkMoves ? 'together' : 'rolling',
      ...(networkMoves ? { reason: `a member moved to ${after.model.network.name} alone cannot reach its peers on ${before.model.network.name}` } : {}),
      changes: [...new Set([...steps.flatMap((step) => step.changes), ...(networkMoves ? [`network-rename:${before.topology.network.name}`] : [])])],
      verifyAfter: [CHECKS.swarmServices, CHECKS.etcdStatus, CHECKS.minioHealth],
    });
  }
  for (const { pool } of pools.removed) {
    const services = nodeNames(pool).map((name) => `${stack}_${name}`);
    steps.push({
      id: `service-remove:${poolLabel(pool)}`,
      kind: 'service-remove',
      services,
      changes: [`minio-pool-remove:${poolLabel(pool)}`],
      verifyAfter: [CHECKS.swarmServices, CHECKS.minioHealth],
      command: `docker service rm ${services.join(' ')}`,
    });
  }
  return steps;
}
