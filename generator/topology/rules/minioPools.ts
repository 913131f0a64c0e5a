import { error, type Problem } from '../problems.ts';
import { ERASURE_VARIABLES, erasureSettings, parityProblems, poolSetSize } from '../erasure.ts';
import { minioNodes } from '../stateful.ts';
import type { Rule } from './rule.ts';

/** MinIO erasure sets hold 2 to 16 drives; we want at least 4 so a pool survives a lost drive with room to heal. */
const MIN_POOL_DRIVES = 4;

export const minioPoolDrives: Rule = {
  name: 'minio-pool-drives',
  why: 'MinIO splits a pool into equal erasure sets of 4 to 16 drives, with the same drive count on every node',
  check(topology) {
    const problems: Problem[] = [];
    const nodes = minioNodes(topology);
    topology.minio.pools.forEach((pool, poolIndex) => {
      const poolNodes = nodes.filter((node) => node.poolIndex === poolIndex);
      const perNode = poolNodes[0]!.drives.length;
      for (const node of poolNodes.slice(1)) {
        if (node.drives.length !== perNode) {
          problems.push(
            error(
              node.drivesPath,
              `MinIO node ${node.name} has ${node.drives.length} drives but ${poolNodes[0]!.name} has ${perNode}: every node of a pool needs the same drive count`,
            ),
          );
        }
      }
      const total = poolNodes.reduce((sum, node) => sum + node.drives.length, 0);
      if (total < MIN_POOL_DRIVES) {
        problems.push(
          error(['minio', 'pools', poolIndex], `pool ${poolIndex + 1} has ${total} drives in all; expected at least ${MIN_POOL_DRIVES} (nodes × drives per node)`),
        );
      } else if (problems.length === 0) {
        const { setDriveCount } = erasureSettings(topology.minio.env).settings;
        const setSize = poolSetSize(poolNodes.length, perNode, setDriveCount);
        if (setDriveCount !== undefined && (setSize === undefined || setSize < MIN_POOL_DRIVES)) {
          const fits = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].filter((size) => total % size === 0);
          problems.push(
            error(
              ['minio', 'pools', poolIndex],
              `pool ${poolIndex + 1} (${total} drives) cannot be split into erasure sets of ${setDriveCount} (${ERASURE_VARIABLES.setDriveCount}${
                setSize !== undefined ? `: fewer than ${MIN_POOL_DRIVES} drives per set` : ': MinIO refuses to start, "Invalid set drive count"'
              }); ${fits.length > 0 ? `sizes that fit are ${fits.join(', ')}` : 'no size of 4 to 16 fits'}`,
            ),
          );
        } else if (setSize === undefined || setSize < MIN_POOL_DRIVES) {
          problems.push(
            error(
              ['minio', 'pools', poolIndex],
              `pool ${poolIndex + 1} (${poolNodes.length} nodes × ${perNode} drives) cannot be split into equal erasure sets of ${MIN_POOL_DRIVES} to 16 drives spread evenly over its nodes, so MinIO would refuse it; change the node or drive count`,
            ),
          );
        }
      }
    });
    if (problems.length === 0) problems.push(...parityAcrossPools(topology));
    return problems;
  },
};

/**
 * MinIO takes the STANDARD parity from MINIO_STORAGE_CLASS_STANDARD, or else from the first pool's erasure sets, and
 * applies it to every pool: a later pool whose sets are too small for it makes every node refuse to start
 * (RELEASE.2023-03-20, seen on staging: "parity 4 should be less than or equal to 2 <- (4, 4), for pool(2nd)").
 * The parity checks of the storage classes themselves are minio-erasure-settings's.
 */
function parityAcrossPools(topology: Parameters<Rule['check']>[0]): Problem[] {
  const { settings } = erasureSettings(topology.minio.env);
  const nodes = minioNodes(topology);
  const sizes = topology.minio.pools.map((_, poolIndex) => {
    const poolNodes = nodes.filter((node) => node.poolIndex === poolIndex);
    return poolSetSize(poolNodes.length, poolNodes[0]!.drives.length, settings.setDriveCount);
  });
  if (sizes.some((size) => size === undefined)) return [];
  return parityProblems(sizes as number[], settings).flatMap((problem) =>
    problem.kind === 'pool-too-small'
      ? [
          error(
            ['minio', 'pools', problem.pool],
            `pool ${problem.pool + 1}'s erasure sets of ${problem.setSize} drives cannot hold parity ${problem.parity}, which ${
              problem.fromEnvironment ? `${ERASURE_VARIABLES.standard} sets` : `MinIO takes from pool 1's sets of ${problem.firstSetSize} drives`
            }: every node would refuse to start; give pool ${problem.pool + 1} at least ${2 * problem.parity} drives per set (nodes × drives per node)`,
          ),
        ]
      : [],
  );
}

/**
 * MinIO names a pool's nodes with one ellipsis pattern, `http://minio{1...4}/data{1...2}`: the node names of a pool
 * must be one prefix followed by consecutive numbers in order (zero-padded numbers keep their width).
 */
export const minioNodeSequence: Rule = {
  name: 'minio-node-sequence',
  why: "MinIO's {1...n} notation can only express a prefix and a run of consecutive numbers",
  check(topology) {
    const problems: Problem[] = [];
    topology.minio.pools.forEach((pool, poolIndex) => {
      const parsed = pool.nodes.map((node) => /^(.*?)(\d+)$/.exec(node.name));
      const first = parsed[0];
      pool.nodes.forEach((node, nodeIndex) => {
        const match = parsed[nodeIndex];
        const path = ['minio', 'pools', poolIndex, 'nodes', nodeIndex, 'name'];
        if (!match) {
          problems.push(error(path, `MinIO node name "${node.name}" must end in a number (e.g. minio1) so MinIO's {1...n} notation can name it`));
          return;
        }
        if (!first) return;
        const expected = Number(first[2]) + nodeIndex;
        const width = first[2]!.startsWith('0') ? first[2]!.length : 0;
        const expectedName = `${first[1]}${String(expected).padStart(width, '0')}`;
        if (node.name !== expectedName) {
          problems.push(
            error(path, `MinIO node name "${node.name}" breaks the pool's sequence: expected "${expectedName}" (one prefix, consecutive numbers, in order)`),
          );
        }
      });
    });
    return problems;
  },
};
