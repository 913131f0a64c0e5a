// MinIO pools: a pool's layout (its nodes, their order, their drives) is fixed when it is created; only whole
// pools can be added, and a pool leaves only by decommissioning. Drives that come back empty heal from parity.
// Pools are compared by identity (minioPoolMatch.ts), never by position.
import type { MinioPoolModel } from '../../model/types.ts';
import type { ErasureLayout } from '../../topology/erasure.ts';
import { imageTag } from '../../topology/rules/images.ts';
import { care, changeId, destructive, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { machineName, machineOf, sameMachine } from '../machines.ts';
import { matchPools, nodeNames, poolLabel } from '../minioPoolMatch.ts';
import { stepsFor } from '../planSteps.ts';
import { code, deploy, listOf, ordinal, plural, swarmService } from '../runbook.ts';
import { describeStep } from '../steps.ts';
import { compareReleaseTags } from '../versions.ts';
import { MINIO_RELEASE_READ } from './minio.ts';

/** Nodes of a kept pool, found by name in both revisions; renamed nodes are the pool's change (minioPoolNodesChanged). */
function keptNodes(comparison: Comparison) {
  return matchPools(comparison).kept.flatMap(({ was, is }) =>
    was.pool.nodes.flatMap((node) => {
      const now = is.pool.nodes.find((candidate) => candidate.name === node.name);
      if (!now) return [];
      return [{ pool: was.pool, was: node, is: now, from: machineOf(comparison.before, node.host), to: machineOf(comparison.after, now.host) }];
    }),
  );
}

type KeptNode = ReturnType<typeof keptNodes>[number];

const movedNodes = (comparison: Comparison) => keptNodes(comparison).filter((node) => !sameMachine(node.from, node.to));

function drivesChanged(node: KeptNode): number[] {
  if (node.was.drives.length !== node.is.drives.length) return [];
  return node.was.drives.flatMap((drive, index) => (drive.source !== node.is.drives[index]!.source ? [index] : []));
}

/** The same directories in another order: no drive comes back empty, but each is mounted in another slot. */
function drivesReordered(node: KeptNode): boolean {
  const sorted = (drives: { source: string }[]) => drives.map((drive) => drive.source).sort().join('\n');
  return drivesChanged(node).length > 0 && sorted(node.was.drives) === sorted(node.is.drives);
}

/** How many of a node's drives come back empty in this deploy: all of them when it moves, else its changed paths. */
function emptyDrives(node: KeptNode): number {
  if (!sameMachine(node.from, node.to)) return node.pool.drivesPerNode;
  return drivesReordered(node) ? 0 : drivesChanged(node).length;
}

interface PoolDamage {
  pool: MinioPoolModel;
  layout?: ErasureLayout;
  /** Nodes of the pool with drives that come back empty, in pool order. */
  nodes: string[];
  emptyDrives: number;
  /** Empty drives in the worst erasure set: a set takes setSize / nodes drives of each node (all, with one set). */
  emptyPerSet: number;
}

function poolDamage(comparison: Comparison, pool: MinioPoolModel): PoolDamage {
  const affected = keptNodes(comparison).filter((node) => node.pool === pool && emptyDrives(node) > 0);
  const { layout } = pool;
  const perNodeInSet = layout ? Math.max(1, layout.setSize / Math.min(pool.nodes.length, layout.setSize)) : pool.drivesPerNode;
  return {
    pool,
    ...(layout ? { layout } : {}),
    nodes: affected.map((node) => node.was.name),
    emptyDrives: affected.reduce((sum, node) => sum + emptyDrives(node), 0),
    emptyPerSet: affected.reduce((sum, node) => sum + Math.min(emptyDrives(node), perNodeInSet), 0),
  };
}

/**
 * What the empty drives of one pool do in this deploy, against the pool's parity per erasure set: within it MinIO
 * heals them, and until the heal ends the set tolerates that many lost drives fewer; beyond it objects are lost.
 */
function emptyDriveImpact(damage: PoolDamage): string {
  const { pool, layout, emptyDrives: empty, emptyPerSet } = damage;
  const total = pool.nodes.length * pool.drivesPerNode;
  const come = empty === 1 ? 'comes' : 'come';
  const where = `${plural(empty, 'drive')} of ${total} in pool ${poolLabel(pool)} ${come} back empty`;
  if (!layout) return where;
  if (emptyPerSet > layout.parity) return `${where} at once, more than its parity of ${layout.parity} per erasure set: objects are lost`;
  const spare = layout.parity - emptyPerSet;
  return `${where}, within its parity of ${layout.parity}: MinIO heals ${empty === 1 ? 'it' : 'them'} from the others, ${
    spare === 0 ? 'but until the heal ends no redundancy is left (one more lost drive loses objects)' : `and until the heal ends the set survives ${plural(spare, 'more lost drive')} instead of ${layout.parity}`
  }`;
}

/** The procedure of a change whose steps deploy runs: those steps, as the plan's step list shows them. */
const stepProcedure = (comparison: Comparison, id: string): string[] => stepsFor(comparison, id).map(describeStep);

/** All nodes restart: MinIO reads its pools from the command line, which every node carries in full. */
export const minioPoolsAdded: Classifier = (comparison) => {
  const { environment, after } = comparison;
  const allNodes = after.model.minio.pools.flatMap(nodeNames);
  return matchPools(comparison).added.map(({ pool }) => {
    const hosts = [...new Set(pool.nodes.map((node) => machineName({ host: node.host })))];
    const id = changeId('minio-pool-add', poolLabel(pool));
    return care(
      id,
      `add MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${pool.nodes.length} nodes × ${pool.drivesPerNode} drives, ${code(pool.serverArgument)})`,
      `whole pools can be added, but MinIO reads its pools only at start, so all nodes restart: every node of every pool gets the new server command line, and S3 pauses until all ${allNodes.length} nodes are up`,
      [
        `deploy's host preparation creates the drive dirs of ${listOf(nodeNames(pool))} on ${listOf(hosts)} (each drive on its own disk, not the root disk), or run rendered/${environment}/prepare-hosts.sh there`,
        ...stepProcedure(comparison, id),
        `new objects go to the pool with the most free space; existing objects stay where they are unless you run ${code('mc admin rebalance start ALIAS')}`,
      ],
    );
  });
};

/**
 * A pool's objects live only on its own drives: it leaves by decommissioning, never by deletion — into pools that
 * stay. Replacing every pool in one change has none: MinIO refuses to decommission the only pool, and the new nodes
 * would start on a command line that names only their own pool, a second, empty deployment.
 */
export const minioPoolsRemoved: Classifier = (comparison) => {
  const pools = matchPools(comparison);
  return pools.removed.map(({ pool }) => {
    const id = changeId('minio-pool-remove', poolLabel(pool));
    if (pools.kept.length === 0) {
      const added = pools.added.map((ref) => poolLabel(ref.pool));
      return destructive(
        id,
        `remove MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${code(pool.serverArgument)})${added.length > 0 ? `, replaced by ${listOf(added)} in the same change` : ''}`,
        `no pool stays to take its objects: MinIO ${MINIO_RELEASE_READ} refuses to decommission the only pool (StartDecommission returns "invalid argument" with one pool, cmd/erasure-server-pool-decom.go), and ${
          added.length > 0 ? `the new nodes would start on a command line naming only ${listOf(added)}: a second, empty deployment beside the data` : 'without a pool the cluster has nowhere to keep anything'
        }`,
        [
          `split it: first add the new pool beside ${poolLabel(pool)} (both under minio.pools), deploy — every node restarts on both pools`,
          `then remove ${poolLabel(pool)} in a change of its own: deploy decommissions it into the new pool, then restarts the others without it`,
        ],
      );
    }
    return care(
      id,
      `remove MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${code(pool.serverArgument)})`,
      `deploy decommissions it first — MinIO moves every object on it to the other pools, which need the free space — then restarts every remaining node on the command line without it (S3 pauses meanwhile) and removes its services; it runs only when acknowledged, since a full pool takes hours to drain (a MinIO release before RELEASE.2023-05-18T00-05-36Z refuses to start without a pool it still lists as active, so the order matters)`,
      stepProcedure(comparison, id),
    );
  });
};

/** Pools decommission first, MinIO refuses to start when a pool moves (releases before 2023-05-18, cmd/erasure-server-pool-decom.go). */
export const MINIO_ACCEPTS_POOL_ORDER = 'RELEASE.2023-05-18T00-05-36Z';

/** The same pools in another order: MinIO remembers each pool's position in pool.bin. */
export const minioPoolsReordered: Classifier = (comparison) => {
  const pools = matchPools(comparison);
  if (!pools.reordered) return [];
  const { environment, before, after } = comparison;
  const order = (revision: typeof before) => revision.model.minio.pools.map(poolLabel).join(', ');
  const tag = imageTag(after.model.minio.image);
  const accepts = tag !== undefined && (compareReleaseTags(MINIO_ACCEPTS_POOL_ORDER, tag) ?? 1) <= 0;
  const id = changeId('minio-pool-order', before.topology.stack);
  const what = `MinIO pools reordered: ${order(before)} → ${order(after)}`;
  if (accepts) {
    return [
      care(
        id,
        what,
        `no pool changes: MinIO ${tag} finds each pool by its command line, wherever it stands (pool.bin); but the server command line changes, so every node restarts together and S3 pauses until all are up`,
        [`${deploy(environment)} when S3 can pause, or keep the deployed order: nothing is gained by the new one`],
      ),
    ];
  }
  return [
    destructive(
      id,
      what,
      `MinIO releases before ${MINIO_ACCEPTS_POOL_ORDER} remember each pool's position and refuse to start when one moves ("pool order change detected for …, expected position is …"), and ${tag ? `the tag ${tag}` : after.model.minio.image} does not say a later release: every node would stop`,
      ['keep the pools in their deployed order in the topology: nothing is gained by another'],
    ),
  ];
};

const keepLayoutProcedure = (environment: string): string[] => [
  'to grow: leave this pool as it is and add a new pool (another entry under minio.pools)',
  `to replace it: add the new pool, decommission this one (${code('mc admin decommission start')}), and remove it in a later change`,
  `${deploy(environment)} only once the topology keeps this pool's nodes and drives as they are`,
];

/**
 * Every node of the pool renamed and nothing else: each on the machine it was on, with the same drives in the same
 * order. MinIO does not know its drives by endpoint name: each drive's format.json holds its UUID and its slot, and
 * an endpoint finds the drive it expects when the same directory stands at the same position.
 */
function renamedInPlace(comparison: Comparison, was: MinioPoolModel, is: MinioPoolModel): boolean {
  if (was.nodes.length !== is.nodes.length) return false;
  return was.nodes.every((node, index) => {
    const now = is.nodes[index]!;
    return (
      node.name !== now.name &&
      sameMachine(machineOf(comparison.before, node.host), machineOf(comparison.after, now.host)) &&
      node.drives.map((drive) => drive.source).join('\n') === now.drives.map((drive) => drive.source).join('\n')
    );
  });
}

/** Node names are the pool's endpoints (http://minio{1...4}); count, names and order decide the erasure sets. */
export const minioPoolNodesChanged: Classifier = (comparison) =>
  matchPools(comparison)
    .kept.filter(({ was, is }) => nodeNames(was.pool).join(',') !== nodeNames(is.pool).join(','))
    .map(({ was, is }) => {
      const id = changeId('minio-pool-nodes', poolLabel(was.pool));
      const what = (how: string) => `MinIO pool ${poolLabel(was.pool)}: ${code(was.pool.serverArgument)} → ${code(is.pool.serverArgument)} (${how})`;
      if (renamedInPlace(comparison, was.pool, is.pool)) {
        return care(
          id,
          what('every node renamed, each on its machine with its drives'),
          `MinIO ${MINIO_RELEASE_READ} finds its drives by the UUIDs in their format.json, not by endpoint names: each endpoint finds the drive its slot expects, so the pool keeps its data; the pool list it remembers (pool.bin) takes the new command line as an update, not an error (cmd/erasure-server-pool-decom.go, poolMeta.validate) — unless a decommission is running, when MinIO refuses any change of the command line; deploy removes the old services before it creates the new ones, so every node restarts together (S3 pauses)`,
          [
            `before: no decommission is running (${code('mc admin decommission status ALIAS')}), every drive online (${code('mc admin info ALIAS')})`,
            `${deploy(comparison.environment)} when S3 can pause`,
            `${code('mc admin info ALIAS')} shows the renamed nodes with every drive online; Milvus reaches MinIO through the load balancer, whose upstreams follow`,
          ],
        );
      }
      const grown = was.pool.nodes.length !== is.pool.nodes.length;
      const how = grown
        ? `${was.pool.nodes.length} → ${is.pool.nodes.length} nodes`
        : [...nodeNames(was.pool)].sort().join(',') === [...nodeNames(is.pool)].sort().join(',')
          ? 'the same nodes in another order'
          : 'nodes renamed';
      return destructive(
        id,
        what(how),
        `changing an existing MinIO pool's nodes: a pool's layout is fixed when it is created, and its nodes in their order decide which drive holds which part of every object; ${
          grown
            ? `MinIO refuses drives whose format.json counts another number of drives ("already being used in another erasure deployment", cmd/format-erasure.go), so every node stops`
            : `a drive found at another position than its format.json names is refused ("unexpected drive ordering", cmd/erasure-sets.go) and stays offline`
        }`,
        keepLayoutProcedure(comparison.environment),
      );
    });

export const minioPoolDriveCountChanged: Classifier = (comparison) =>
  matchPools(comparison)
    .kept.filter(({ was, is }) => was.pool.drivesPerNode !== is.pool.drivesPerNode)
    .map(({ was, is }) =>
      destructive(
        changeId('minio-pool-drives', poolLabel(was.pool)),
        `MinIO pool ${poolLabel(was.pool)}: ${was.pool.drivesPerNode} → ${is.pool.drivesPerNode} drives per node`,
        `changing an existing MinIO pool's drive count: the drives per node fix the pool's erasure sets when it is created, so MinIO refuses to start with another count`,
        keepLayoutProcedure(comparison.environment),
      ),
    );

/**
 * More than one node of a pool with drives coming back empty in one deploy, and together as many as the parity of
 * an erasure set or more: no redundancy is left (or objects are lost) until MinIO heals. Refused as a whole, with
 * the split that keeps a spare: the per-node changes stay, each acknowledged on its own.
 */
export const minioRedundancyLost: Classifier = (comparison) =>
  matchPools(comparison).kept.flatMap(({ was }): Change[] => {
    const damage = poolDamage(comparison, was.pool);
    const { layout } = damage;
    if (!layout || damage.nodes.length < 2 || damage.emptyPerSet < layout.parity) return [];
    const perNodeInSet = Math.max(1, layout.setSize / Math.min(was.pool.nodes.length, layout.setSize));
    const perChange = Math.max(1, Math.floor((layout.parity - 1) / perNodeInSet));
    const groups = Array.from({ length: Math.ceil(damage.nodes.length / perChange) }, (_, index) => damage.nodes.slice(index * perChange, (index + 1) * perChange));
    const split = groups.map((group, index) => `${listOf(group)} in ${index === 0 ? 'one change' : index === 1 ? 'the next' : `a ${ordinal(index + 1)}`}`).join(', then ');
    return [
      destructive(
        changeId('minio-redundancy', damage.nodes.join(',')),
        `${listOf(damage.nodes)} of MinIO pool ${poolLabel(was.pool)} come back with empty drives in one deploy`,
        damage.emptyPerSet > layout.parity
          ? `${emptyDriveImpact(damage)}: no erasure set can rebuild them`
          : `${emptyDriveImpact(damage)}: ${damage.emptyPerSet} empty drives in an erasure set is exactly its parity, so no redundancy is left until the heal ends`,
        [
          `split it so that each deploy leaves a spare: ${split}, each deployed and healed (${code('mc admin heal -r ALIAS')} until it is done, ${code('mc admin info ALIAS')} shows every drive online) before the next`,
        ],
      ),
    ];
  });

/** A node pinned to another machine finds none of its drives there: they come back empty. */
export const minioNodeHostsMoved: Classifier = (comparison) =>
  movedNodes(comparison).map((node) => {
    const service = swarmService(comparison.before.model, node.was.name);
    const dirs = node.was.drives.map((drive) => drive.source);
    // Another node's drives where it lands (two nodes swapping machines): formatted for other slots, not empty.
    const held = comparison.before.model.minio.pools
      .flatMap((pool) => pool.nodes)
      .filter((other) => other.name !== node.was.name && sameMachine(machineOf(comparison.before, other.host), node.to))
      .filter((other) => other.drives.some((drive) => node.is.drives.some((mine) => mine.source === drive.source)))
      .map((other) => other.name);
    const lands =
      held.length > 0
        ? `on ${machineName(node.to)} it starts on ${listOf(held)}'s drives, which MinIO refuses in another slot than the one their format.json names ("unexpected drive ordering", cmd/erasure-sets.go): they stay offline, and ${listOf(held)} ${held.length === 1 ? 'loses its drives' : 'lose their drives'} too`
        : `on ${machineName(node.to)} it starts with empty drives; ${emptyDriveImpact(poolDamage(comparison, node.pool))}`;
    return destructive(
      changeId('minio-node-host', node.was.name),
      `MinIO node ${node.was.name} moves from ${machineName(node.from)} to ${machineName(node.to)}`,
      `its drives (${dirs.join(', ')}) stay on ${machineName(node.from)}: ${lands}`,
      [
        `to keep the data: ${code(`docker service scale ${service}=0`)}, copy ${listOf(dirs)} from ${machineName(node.from)} to ${listOf(node.is.drives.map((drive) => drive.source))} on ${machineName(node.to)} (${code('rsync -a')}), then ${deploy(comparison.environment)}`,
        `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code('mc admin heal -r ALIAS')} until it is done`,
        `${code('mc admin info ALIAS')} shows every drive online`,
      ],
    );
  });

/** A data path of a running node: the container's /dataN now mounts another directory, empty or another drive's. */
export const minioNodeDrivePathsChanged: Classifier = (comparison) =>
  keptNodes(comparison)
    .filter((node) => sameMachine(node.from, node.to) && drivesChanged(node).length > 0)
    .map((node) => {
      const changed = drivesChanged(node);
      const pairs = changed.map((index) => `${node.was.drives[index]!.target}: ${node.was.drives[index]!.source} → ${node.is.drives[index]!.source}`);
      const reordered = drivesReordered(node);
      const host = machineName(node.to);
      return destructive(
        changeId('minio-drive-paths', node.was.name),
        `MinIO node ${node.was.name} on ${host}: ${pairs.join('; ')}`,
        reordered
          ? `changing the drive order of an existing MinIO pool: the same directories mount in other slots of ${node.was.name}, and MinIO reads each drive's format.json and refuses a drive found in another slot than the one it was formatted for ("unexpected drive ordering … refusing to use the drive", cmd/erasure-sets.go): no object is lost, but these drives stay offline — every node swapped stops the pool — until the order is restored`
          : `a data path of a running node changes: ${node.was.name} starts with an empty drive where its share of every object was, and the old directory stays behind; ${emptyDriveImpact(poolDamage(comparison, node.pool))}`,
        reordered
          ? ["keep the drives in their deployed order in the topology: the order is part of the pool's layout"]
          : [
              `to keep the data: ${code(`docker service scale ${swarmService(comparison.before.model, node.was.name)}=0`)}, on ${host} put each old directory's contents at its new path (${changed.map((index) => `${node.was.drives[index]!.source} → ${node.is.drives[index]!.source}`).join(', ')}), then ${deploy(comparison.environment)}`,
              `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code('mc admin heal -r ALIAS')} until it is done`,
              `${code('mc admin info ALIAS')} shows every drive online`,
            ],
      );
    });
