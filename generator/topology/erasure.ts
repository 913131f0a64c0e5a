// How MinIO lays out a pool, ported from MinIO RELEASE.2023-03-20 (cmd/endpoint-ellipses.go getSetIndexes and
// internal/config/storageclass DefaultParityBlocks), so the README and the rules state what MinIO will do.

export interface ErasureLayout {
  setSize: number;
  sets: number;
  parity: number;
  readQuorum: number;
  writeQuorum: number;
  /** Whole nodes that may be down while writes (reads) still succeed, when sets spread evenly over nodes. */
  nodeLossForWrites: number;
  nodeLossForReads: number;
}

const SET_SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/** MinIO's default parity for the STANDARD storage class by erasure set size. */
export function defaultParity(setSize: number): number {
  if (setSize <= 1) return 0;
  if (setSize <= 3) return 1;
  if (setSize <= 5) return 2;
  if (setSize <= 7) return 3;
  return 4;
}

/** undefined when MinIO refuses the pool ("cannot be spread symmetrically by any supported erasure set sizes"). */
export function erasureLayout(nodes: number, drivesPerNode: number): ErasureLayout | undefined {
  const total = nodes * drivesPerNode;
  // MinIO checks symmetry against the leftmost ellipsis of the argument, which is the node sequence.
  const candidates = SET_SIZES.filter((size) => total % size === 0 && (nodes > size ? nodes % size === 0 : size % nodes === 0));
  if (candidates.length === 0) return undefined;
  // commonSetDriveCount: the largest size, so the fewest sets.
  const setSize = candidates[candidates.length - 1]!;
  const parity = defaultParity(setSize);
  const data = setSize - parity;
  const readQuorum = data;
  const writeQuorum = data === parity ? data + 1 : data;
  const drivesPerNodeInSet = Math.max(1, setSize / Math.min(nodes, setSize));
  return {
    setSize,
    sets: total / setSize,
    parity,
    readQuorum,
    writeQuorum,
    nodeLossForWrites: Math.floor((setSize - writeQuorum) / drivesPerNodeInSet),
    nodeLossForReads: Math.floor((setSize - readQuorum) / drivesPerNodeInSet),
  };
}
