import { ERASURE_VARIABLES, erasureSettings, parityProblems, poolSetSize } from '../erasure.ts';
import { error, type Problem } from '../problems.ts';
import { minioNodes } from '../stateful.ts';
import type { Rule } from './rule.ts';

/**
 * The nodes' environment may set the erasure layout: MINIO_ERASURE_SET_DRIVE_COUNT (the set size; minio-pool-drives
 * checks that every pool can be split into it) and the parity of the storage classes. MinIO RELEASE.2023-03-20
 * refuses at start (internal/config/storageclass LookupConfig, for the first pool's set size) a value it cannot
 * parse, a parity above half the set, and a REDUCED_REDUNDANCY parity above the STANDARD one — every node exits.
 */
export const minioErasureSettings: Rule = {
  name: 'minio-erasure-settings',
  why: 'MinIO refuses to start on a storage-class parity its erasure sets cannot hold, or on a value it cannot read',
  check(topology) {
    const { settings, problems: unreadable } = erasureSettings(topology.minio.env);
    const problems: Problem[] = unreadable.map((problem) => error(['minio', 'env', problem.variable], problem.message));
    const nodes = minioNodes(topology);
    const sizes = topology.minio.pools.map((_, poolIndex) => {
      const poolNodes = nodes.filter((node) => node.poolIndex === poolIndex);
      return poolNodes.length > 0 ? poolSetSize(poolNodes.length, poolNodes[0]!.drives.length, settings.setDriveCount) : undefined;
    });
    // A pool MinIO cannot split is minio-pool-drives's to report; parity has no sets to be checked against then.
    if (sizes.some((size) => size === undefined)) return problems;
    for (const problem of parityProblems(sizes as number[], settings)) {
      if (problem.kind === 'class-too-high') {
        problems.push(
          error(
            ['minio', 'env', problem.variable],
            `EC:${problem.parity} is more parity than pool 1's erasure sets of ${problem.setSize} drives hold (at most EC:${Math.floor(problem.setSize / 2)}): every node refuses to start ("${problem.variable === ERASURE_VARIABLES.standard ? 'Standard' : 'Reduced redundancy'} storage class parity ${problem.parity} should be less than or equal to ${Math.floor(problem.setSize / 2)}")`,
          ),
        );
      } else if (problem.kind === 'rrs-above-standard') {
        problems.push(
          error(
            ['minio', 'env', ERASURE_VARIABLES.rrs],
            `EC:${problem.rrs} is more than the STANDARD parity EC:${problem.standard}: every node refuses to start ("Standard storage class parity drives ${problem.standard} should be greater than or equal to Reduced redundancy storage class parity drives ${problem.rrs}")`,
          ),
        );
      }
    }
    return problems;
  },
};
