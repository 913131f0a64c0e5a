import { normalizeHostPath, systemPathProblem } from '../hostPaths.ts';
import { error, type Problem, type TopologyPath } from '../problems.ts';
import { etcdMembers, expandName, hostKey, minioNodes, UNPINNED } from '../stateful.ts';
import { NAME_PLACEHOLDER } from '../hostPaths.ts';
import { monitoringServices } from './monitoring.ts';
import type { Rule } from './rule.ts';

interface DataDir {
  owner: string;
  /** Where the owning member or node is defined: two services may share a (wrong) name, never a path. */
  ownerPath: string;
  host: string;
  path: string;
  at: TopologyPath;
  /** Position in the topology, so the first clash reported is the earliest one. */
  order: number;
}

/**
 * Every host directory a stateful service bind-mounts, with `{name}` expanded and in normal form, so two spellings
 * of one directory (`/mnt/data/disk1`, `/mnt//data/disk1/`) are one directory here as they are to the kernel.
 */
function dataDirs(topology: Parameters<Rule['check']>[0]): DataDir[] {
  type Unordered = Omit<DataDir, 'order'>;
  const etcd = etcdMembers(topology).map((member): Unordered => ({
    owner: `etcd member ${member.name}`,
    ownerPath: member.path.join('.'),
    host: hostKey(member),
    path: normalizeHostPath(expandName(topology.etcd.dataDir, member.name)),
    at: ['etcd', 'dataDir'] as TopologyPath,
  }));
  const drives = minioNodes(topology).flatMap((node) =>
    node.drives.map((drive, driveIndex): Unordered => ({
      owner: `MinIO node ${node.name}`,
      ownerPath: node.path.join('.'),
      host: hostKey(node),
      path: normalizeHostPath(expandName(drive, node.name)),
      at: [...node.drivesPath, driveIndex] as TopologyPath,
    })),
  );
  const monitoring = monitoringServices(topology).map((service): Unordered => ({
    owner: service.what,
    ownerPath: `monitoring.${service.name}`,
    host: service.host ?? UNPINNED,
    path: normalizeHostPath(expandName(service.dataDir, service.name)),
    at: ['monitoring', service.name, 'dataDir'] as TopologyPath,
  }));
  return [...etcd, ...drives, ...monitoring].map((dir, order) => ({ ...dir, order }));
}

const nested = (a: string, b: string) => a === b || b.startsWith(a === '/' ? '/' : `${a}/`);

/**
 * Two services writing one directory corrupt each other (etcd's WAL, MinIO's erasure metadata), and a MinIO
 * drive inside another drive or inside etcd's data dir is the same directory seen twice.
 */
export const dataDirsDisjoint: Rule = {
  name: 'data-dirs-disjoint',
  why: 'no two data directories on one host may be the same or nested (etcd data, MinIO drives)',
  check(topology) {
    const problems: Problem[] = [];
    // A system directory (/, /mnt…) contains everything: data-dirs-not-system reports it once, not one clash per dir.
    const system = new Map<string, boolean>();
    const isSystem = (path: string) => system.get(path) ?? system.set(path, systemPathProblem(path) !== undefined).get(path)!;
    const dirs = dataDirs(topology).filter((dir) => !isSystem(dir.path));
    // Only directories on one host can clash (unpinned ones may be on any host): group, so 1,000 hosts stay linear.
    const earlierByHost = new Map<string, DataDir[]>();
    const earlierOnAnyHost: DataDir[] = [];
    for (const dir of dirs) {
      const candidates = dir.host === UNPINNED ? earlierOnAnyHost : [...(earlierByHost.get(dir.host) ?? []), ...(earlierByHost.get(UNPINNED) ?? [])];
      const clash = candidates
        .filter((earlier) => nested(earlier.path, dir.path) || nested(dir.path, earlier.path))
        .sort((a, b) => a.order - b.order)[0];
      if (clash) problems.push(error(dir.at, clashMessage(dir, clash)));
      if (!earlierByHost.has(dir.host)) earlierByHost.set(dir.host, []);
      earlierByHost.get(dir.host)!.push(dir);
      earlierOnAnyHost.push(dir);
    }
    return firstPerLocation(problems);
  },
};

/** prepare-hosts.sh chmods each data dir and deploy mounts it read-write: `chmod 0700 /` locks out every user. */
export const dataDirsNotSystem: Rule = {
  name: 'data-dirs-not-system',
  why: 'a data directory is chmodded, bind-mounted and filled: never /, /etc, /tmp, /usr, /var, /home itself and the like',
  check(topology) {
    // A pool's drive list repeats on every node: each path is judged once.
    const judged = new Map<string, string | undefined>();
    const judge = (path: string) => (judged.has(path) ? judged.get(path) : judged.set(path, systemPathProblem(path)).get(path));
    return firstPerLocation(
      dataDirs(topology).flatMap((dir) => {
        const problem = judge(dir.path);
        return problem ? [error(dir.at, problem)] : [];
      }),
    );
  },
};

/** Only `{name}` is expanded; any other brace is almost certainly MinIO's own `{1...n}` written in the wrong place. */
export const knownPlaceholders: Rule = {
  name: 'known-placeholders',
  why: 'host paths may only use the {name} placeholder',
  check(topology) {
    const paths: [string, TopologyPath][] = [[topology.etcd.dataDir, ['etcd', 'dataDir']]];
    for (const node of minioNodes(topology)) node.drives.forEach((drive, index) => paths.push([drive, [...node.drivesPath, index]]));
    for (const service of monitoringServices(topology)) paths.push([service.dataDir, ['monitoring', service.name, 'dataDir']]);
    return firstPerLocation(
      paths
        .filter(([path]) => /[{}]/.test(path.split(NAME_PLACEHOLDER).join('')))
        .map(([path, at]) => error(at, `only ${NAME_PLACEHOLDER} may stand in a host path, got "${path}" (drives are numbered by the generator)`)),
    );
  },
};

function clashMessage(dir: DataDir, clash: DataDir): string {
  const how = dir.path === clash.path ? 'is the same directory as' : 'overlaps';
  if (dir.ownerPath === clash.ownerPath) return `${dir.owner}'s ${dir.path} ${how} its own ${clash.path}: each drive needs its own directory`;
  const unpinned = dir.host === UNPINNED || clash.host === UNPINNED;
  const where = unpinned ? 'where both may run' : `on host ${dir.host}`;
  const fix = dir.path === clash.path ? ` (add ${NAME_PLACEHOLDER} to give each its own directory)` : '';
  return `${dir.owner}'s ${dir.path} ${how} ${clash.owner}'s ${clash.path} ${where}${fix}`;
}

/**
 * A pool-level drive list is one line shared by every node: report its first clash once, not once per node.
 */
function firstPerLocation(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = problem.path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
