// MinIO pools: a pool's layout (its nodes, their order, their drives) is fixed when it is created; only whole
// pools can be added, and a pool leaves only by decommissioning. Drives that come back empty heal from parity.
import type { MinioPoolModel } from '../../model/types.ts';
import { erasureLayout } from '../../topology/erasure.ts';
import { care, changeId, destructive } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { machineName, machineOf, sameMachine } from '../machines.ts';
import { code, deploy, listOf, plural, prepareDirectories, swarmService, verify } from '../runbook.ts';

const poolName = (index: number) => `pool${index + 1}`;
const nodeNames = (pool: MinioPoolModel) => pool.nodes.map((node) => node.name);

/** Pools present on both sides, by position: MinIO knows pools by their place on the command line. */
function keptPools({ before, after }: Comparison) {
  const count = Math.min(before.model.minio.pools.length, after.model.minio.pools.length);
  return Array.from({ length: count }, (_, index) => ({ index, was: before.model.minio.pools[index]!, is: after.model.minio.pools[index]! }));
}

/** Nodes of a kept pool at the same position with the same name; renamed or added positions are the pool's change. */
function keptNodes(comparison: Comparison) {
  return keptPools(comparison).flatMap(({ index, was, is }) =>
    was.nodes.flatMap((node, position) => {
      const now = is.nodes[position];
      if (!now || now.name !== node.name) return [];
      return [{ poolIndex: index, was: node, is: now, from: machineOf(comparison.before, node.host), to: machineOf(comparison.after, now.host) }];
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

/**
 * How many drives of one pool come back empty in this deploy (moved nodes and changed paths), against the pool's
 * parity: within it, MinIO heals them; beyond it, objects are lost.
 */
function emptyDriveImpact(comparison: Comparison, poolIndex: number): string {
  const pool = comparison.before.model.minio.pools[poolIndex]!;
  const layout = erasureLayout(pool.nodes.length, pool.drivesPerNode);
  const moved = movedNodes(comparison).filter((node) => node.poolIndex === poolIndex);
  const pathChanged = keptNodes(comparison).filter(
    (node) => node.poolIndex === poolIndex && sameMachine(node.from, node.to) && drivesChanged(node).length > 0 && !drivesReordered(node),
  );
  const emptyDrives = moved.length * pool.drivesPerNode + pathChanged.reduce((sum, node) => sum + drivesChanged(node).length, 0);
  const affectedNodes = moved.length + pathChanged.length;
  const total = pool.nodes.length * pool.drivesPerNode;
  const come = emptyDrives === 1 ? 'comes' : 'come';
  if (!layout) return `${plural(emptyDrives, 'drive')} of ${total} ${come} back empty`;
  const withinParity = layout.sets === 1 ? emptyDrives <= layout.parity : affectedNodes <= layout.nodeLossForReads;
  return withinParity
    ? `${plural(emptyDrives, 'drive')} of ${total} in pool ${poolIndex + 1} ${come} back empty, within its parity of ${layout.parity}: MinIO heals ${emptyDrives === 1 ? 'it' : 'them'} from the others, and the pool has less redundancy until the heal finishes`
    : `${plural(emptyDrives, 'drive')} of ${total} in pool ${poolIndex + 1} come back empty at once, more than its parity of ${layout.parity} per erasure set: objects are lost`;
}

/** All nodes restart: MinIO reads its pools from the command line, which every node carries in full. */
export const minioPoolsAdded: Classifier = ({ environment, before, after }) => {
  const pools = after.model.minio.pools;
  const allNodes = pools.flatMap(nodeNames);
  return pools.slice(before.model.minio.pools.length).map((pool, offset) => {
    const index = before.model.minio.pools.length + offset;
    const hosts = [...new Set(pool.nodes.map((node) => machineName({ host: node.host })))];
    return care(
      changeId('minio-pool-add', poolName(index)),
      `add MinIO pool ${index + 1}: ${listOf(nodeNames(pool))} (${pool.nodes.length} nodes × ${pool.drivesPerNode} drives, ${code(pool.serverArgument)})`,
      `whole pools can be added, but MinIO reads its pools only at start, so all nodes restart: every node of every pool gets the new server command line, and S3 pauses until all ${allNodes.length} nodes are up`,
      [
        prepareDirectories(environment, `the drive dirs of ${listOf(nodeNames(pool))} (each drive on its own disk, not the root disk)`, listOf(hosts)),
        `${deploy(environment)} when S3 can pause: all nodes restart (${listOf(allNodes)}), and the proxies get the new nodes as upstreams`,
        `${code('mc admin info ALIAS')} shows ${pools.length} pools and every drive online; ${verify(environment)}`,
        `new objects go to the pool with the most free space; existing objects stay where they are unless you run ${code('mc admin rebalance start ALIAS')}`,
      ],
    );
  });
};

/** A pool's objects live only on its own drives: it leaves by decommissioning, never by deletion. */
export const minioPoolsRemoved: Classifier = ({ environment, before, after }) =>
  before.model.minio.pools.slice(after.model.minio.pools.length).map((pool, offset) => {
    const index = after.model.minio.pools.length + offset;
    return destructive(
      changeId('minio-pool-remove', poolName(index)),
      `remove MinIO pool ${index + 1}: ${listOf(nodeNames(pool))}`,
      `every object stored on pool ${index + 1} is lost with it: MinIO keeps each object on one pool's drives only`,
      [
        `decommission it first: ${code(`mc admin decommission start ALIAS/ ${pool.serverArgument}`)}`,
        `wait until ${code('mc admin decommission status ALIAS/')} says it is complete`,
        `then ${deploy(environment)}`,
      ],
    );
  });

const keepLayoutProcedure = (environment: string): string[] => [
  'to grow: leave this pool as it is and add a new pool (another entry under minio.pools)',
  `to replace it: add the new pool, decommission this one (${code('mc admin decommission start')}), and remove it in a later change`,
  `${deploy(environment)} only once the topology keeps this pool's nodes and drives as they are`,
];

/** Node names are the pool's endpoints (http://minio{1...4}); count, names and order decide the erasure sets. */
export const minioPoolNodesChanged: Classifier = (comparison) =>
  keptPools(comparison)
    .filter(({ was, is }) => nodeNames(was).join(',') !== nodeNames(is).join(','))
    .map(({ index, was, is }) => {
      const how =
        was.nodes.length !== is.nodes.length
          ? `${was.nodes.length} → ${is.nodes.length} nodes`
          : [...nodeNames(was)].sort().join(',') === [...nodeNames(is)].sort().join(',')
            ? 'the same nodes in another order'
            : 'nodes renamed';
      return destructive(
        changeId('minio-pool-nodes', poolName(index)),
        `MinIO pool ${index + 1}: ${code(was.serverArgument)} → ${code(is.serverArgument)} (${how})`,
        `changing an existing MinIO pool's nodes: a pool's layout is fixed when it is created, and its nodes in their order decide which drive holds which part of every object; MinIO refuses the changed pool or misplaces its data`,
        keepLayoutProcedure(comparison.environment),
      );
    });

export const minioPoolDriveCountChanged: Classifier = (comparison) =>
  keptPools(comparison)
    .filter(({ was, is }) => was.drivesPerNode !== is.drivesPerNode)
    .map(({ index, was, is }) =>
      destructive(
        changeId('minio-pool-drives', poolName(index)),
        `MinIO pool ${index + 1}: ${was.drivesPerNode} → ${is.drivesPerNode} drives per node`,
        `changing an existing MinIO pool's drive count: the drives per node fix the pool's erasure sets when it is created, so MinIO refuses to start with another count`,
        keepLayoutProcedure(comparison.environment),
      ),
    );

/** A node pinned to another machine finds none of its drives there: they come back empty. */
export const minioNodeHostsMoved: Classifier = (comparison) =>
  movedNodes(comparison).map((node) => {
    const service = swarmService(comparison.before.model, node.was.name);
    const dirs = node.was.drives.map((drive) => drive.source);
    return destructive(
      changeId('minio-node-host', node.was.name),
      `MinIO node ${node.was.name} moves from ${machineName(node.from)} to ${machineName(node.to)}`,
      `its drives (${dirs.join(', ')}) stay on ${machineName(node.from)}: on ${machineName(node.to)} it starts with empty drives; ${emptyDriveImpact(comparison, node.poolIndex)}`,
      [
        `to keep the data: ${code(`docker service scale ${service}=0`)}, copy ${listOf(dirs)} from ${machineName(node.from)} to ${listOf(node.is.drives.map((drive) => drive.source))} on ${machineName(node.to)} (${code('rsync -a')}), then ${deploy(comparison.environment)}`,
        `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code('mc admin heal -r ALIAS')} until it is done, before moving another node`,
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
          ? `changing the drive order of an existing MinIO pool: the same directories now mount in other slots of ${node.was.name}, and the pool's layout was fixed with the old order; MinIO may find each drive again by the id in its format.json, or refuse to start the node — do not let a deploy find out`
          : `a data path of a running node changes: ${node.was.name} starts with an empty drive where its share of every object was, and the old directory stays behind; ${emptyDriveImpact(comparison, node.poolIndex)}`,
        reordered
          ? ['keep the drives in their old order in the topology: the order is part of the pool\'s layout']
          : [
              `to keep the data: ${code(`docker service scale ${swarmService(comparison.before.model, node.was.name)}=0`)}, on ${host} put each old directory's contents at its new path (${changed.map((index) => `${node.was.drives[index]!.source} → ${node.is.drives[index]!.source}`).join(', ')}), then ${deploy(comparison.environment)}`,
              `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code('mc admin heal -r ALIAS')} until it is done, before changing another node`,
              `${code('mc admin info ALIAS')} shows every drive online`,
            ],
      );
    });
