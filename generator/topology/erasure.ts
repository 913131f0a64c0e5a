// How MinIO lays out a pool, ported from MinIO RELEASE.2023-03-20 (cmd/endpoint-ellipses.go getSetIndexes,
// internal/config/storageclass LookupConfig and DefaultParityBlocks, cmd/erasure-server-pool.go
// newErasureServerPools), so the README, the rules and the plan state what MinIO will do — including what the
// nodes' environment changes: MINIO_ERASURE_SET_DRIVE_COUNT (the set size) and MINIO_STORAGE_CLASS_STANDARD /
// MINIO_STORAGE_CLASS_RRS (the parity).

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

/** The variables of the nodes' environment that decide the erasure layout (every node reads the same ones). */
export const ERASURE_VARIABLES = {
  setDriveCount: 'MINIO_ERASURE_SET_DRIVE_COUNT',
  standard: 'MINIO_STORAGE_CLASS_STANDARD',
  rrs: 'MINIO_STORAGE_CLASS_RRS',
} as const;

export interface ErasureSettings {
  /** MINIO_ERASURE_SET_DRIVE_COUNT: the set size of every pool, instead of MinIO's choice (0 or unset: MinIO's). */
  setDriveCount?: number;
  /** Parity of the STANDARD storage class (every object Milvus writes), `EC:n`. */
  standardParity?: number;
  /** Parity of REDUCED_REDUNDANCY, which MinIO validates at start even when nothing uses it. */
  rrsParity?: number;
}

/** A value MinIO cannot parse: it exits at start (GetAllSets, parseStorageClass). */
export interface ErasureSettingProblem {
  variable: string;
  message: string;
}

/** The erasure settings of a node environment, read as MinIO reads them; an empty value is unset (env.Get). */
export function erasureSettings(env: Readonly<Record<string, string>>): { settings: ErasureSettings; problems: ErasureSettingProblem[] } {
  const settings: ErasureSettings = {};
  const problems: ErasureSettingProblem[] = [];
  const count = env[ERASURE_VARIABLES.setDriveCount];
  if (count !== undefined && count !== '') {
    if (/^\d{1,9}$/.test(count)) {
      if (Number(count) > 0) settings.setDriveCount = Number(count);
    } else problems.push({ variable: ERASURE_VARIABLES.setDriveCount, message: `${ERASURE_VARIABLES.setDriveCount}=${count} is not a whole number: MinIO refuses to start ("Invalid erasure set size")` });
  }
  for (const [key, variable] of [['standardParity', ERASURE_VARIABLES.standard], ['rrsParity', ERASURE_VARIABLES.rrs]] as const) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const match = /^EC:(\d{1,9})$/.exec(value);
    if (match) settings[key] = Number(match[1]);
    else problems.push({ variable, message: `${variable}=${value} is not EC:<parity drives> (e.g. EC:4): MinIO refuses to start ("Invalid storage class value")` });
  }
  return { settings, problems };
}

/** Set sizes MinIO may choose for a pool: sizes of 2 to 16 that divide its drive count. */
const divisorSizes = (total: number) => SET_SIZES.filter((size) => total % size === 0);

/**
 * The set size MinIO gives a pool: MINIO_ERASURE_SET_DRIVE_COUNT when set (it must divide the pool's drive count:
 * "Invalid set drive count", and no symmetry is checked), else the largest size that divides the drive count and is
 * symmetric with the node count (the leftmost ellipsis). undefined when MinIO refuses the pool.
 */
export function poolSetSize(nodes: number, drivesPerNode: number, setDriveCount?: number): number | undefined {
  const total = nodes * drivesPerNode;
  if (setDriveCount !== undefined) return total >= setDriveCount && divisorSizes(total).includes(setDriveCount) ? setDriveCount : undefined;
  // MinIO checks symmetry against the leftmost ellipsis of the argument, which is the node sequence.
  const candidates = divisorSizes(total).filter((size) => (nodes > size ? nodes % size === 0 : size % nodes === 0));
  // commonSetDriveCount: the largest size, so the fewest sets.
  return candidates[candidates.length - 1];
}

/** A pool's layout for a set size and the parity MinIO applies to it. */
export function layoutOf(nodes: number, drivesPerNode: number, setSize: number, parity: number = defaultParity(setSize)): ErasureLayout {
  const total = nodes * drivesPerNode;
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
    nodeLossForWrites: Math.max(0, Math.floor((setSize - writeQuorum) / drivesPerNodeInSet)),
    nodeLossForReads: Math.max(0, Math.floor((setSize - readQuorum) / drivesPerNodeInSet)),
  };
}

/** undefined when MinIO refuses the pool ("cannot be spread symmetrically by any supported erasure set sizes"). */
export function erasureLayout(nodes: number, drivesPerNode: number): ErasureLayout | undefined {
  const setSize = poolSetSize(nodes, drivesPerNode);
  return setSize === undefined ? undefined : layoutOf(nodes, drivesPerNode, setSize);
}

export interface PoolShape {
  nodes: number;
  drivesPerNode: number;
}

/**
 * The parity MinIO applies to every pool: MINIO_STORAGE_CLASS_STANDARD, else the default for the first pool's set
 * size (newErasureServerPools takes it once, from the first pool, and validates it against every pool's sets).
 */
export function commonParity(setSizes: readonly number[], settings: ErasureSettings): number | undefined {
  if (settings.standardParity !== undefined) return settings.standardParity;
  return setSizes[0] === undefined ? undefined : defaultParity(setSizes[0]);
}

/** Every pool's layout under the nodes' environment, in pool order; undefined for a pool MinIO refuses. */
export function poolLayouts(pools: readonly PoolShape[], env: Readonly<Record<string, string>>): (ErasureLayout | undefined)[] {
  const { settings } = erasureSettings(env);
  const sizes = pools.map((pool) => poolSetSize(pool.nodes, pool.drivesPerNode, settings.setDriveCount));
  const parity = sizes.every((size) => size !== undefined) ? commonParity(sizes as number[], settings) : undefined;
  return pools.map((pool, index) => {
    const size = sizes[index];
    if (size === undefined) return undefined;
    return layoutOf(pool.nodes, pool.drivesPerNode, size, parity !== undefined && parity <= size / 2 ? parity : defaultParity(size));
  });
}

/** What MinIO refuses at start about parity (the rule minio-erasure-settings words it). */
export type ParityProblem =
  /** storageclass.LookupConfig, for the first pool's set size: a parity above half the set. */
  | { kind: 'class-too-high'; variable: string; parity: number; setSize: number }
  /** LookupConfig: the STANDARD parity below the RRS parity. */
  | { kind: 'rrs-above-standard'; standard: number; rrs: number }
  /** ValidateParity, per pool: the common parity above half of this pool's sets. */
  | { kind: 'pool-too-small'; pool: number; parity: number; setSize: number; firstSetSize: number; fromEnvironment: boolean };

/** In the order MinIO checks: LookupConfig for the first pool's set size, then ValidateParity for every pool. */
export function parityProblems(setSizes: readonly number[], settings: ErasureSettings): ParityProblem[] {
  const first = setSizes[0];
  if (first === undefined) return [];
  const standard = commonParity(setSizes, settings)!;
  const rrs = settings.rrsParity ?? (first === 1 ? 0 : 1);
  const lookup: ParityProblem[] = [];
  if (first > 2) {
    if (standard > first / 2) lookup.push({ kind: 'class-too-high', variable: ERASURE_VARIABLES.standard, parity: standard, setSize: first });
    if (rrs > first / 2) lookup.push({ kind: 'class-too-high', variable: ERASURE_VARIABLES.rrs, parity: rrs, setSize: first });
  }
  if (standard > 0 && rrs > 0 && standard < rrs) lookup.push({ kind: 'rrs-above-standard', standard, rrs });
  if (lookup.length > 0) return lookup;
  return setSizes.flatMap((setSize, pool): ParityProblem[] =>
    standard > setSize / 2 ? [{ kind: 'pool-too-small', pool, parity: standard, setSize, firstSetSize: first, fromEnvironment: settings.standardParity !== undefined }] : [],
  );
}
