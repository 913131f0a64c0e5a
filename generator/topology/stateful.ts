// Facts about where stateful services (etcd members, MinIO nodes) live, shared by the rules and the model.
import type { Topology } from './schema.ts';
import type { TopologyPath } from './problems.ts';
import { NAME_PLACEHOLDER } from './hostPaths.ts';

/** Members and nodes without a host may land on any node: for path clashes they all count as one host. */
export const UNPINNED = '(any node)';


export function expandName(template: string, name: string): string {
  return template.split(NAME_PLACEHOLDER).join(name);
}

export interface StatefulService {
  kind: 'etcd member' | 'MinIO node';
  name: string;
  host: string | undefined;
  path: TopologyPath;
}

export function etcdMembers(topology: Topology): StatefulService[] {
  return topology.etcd.members.map((member, index) => ({
    kind: 'etcd member',
    name: member.name,
    host: member.host,
    path: ['etcd', 'members', index],
  }));
}

export function minioNodes(topology: Topology): (StatefulService & { poolIndex: number; drives: string[]; drivesPath: TopologyPath })[] {
  return topology.minio.pools.flatMap((pool, poolIndex) =>
    pool.nodes.map((node, nodeIndex) => ({
      kind: 'MinIO node' as const,
      name: node.name,
      host: node.host,
      path: ['minio', 'pools', poolIndex, 'nodes', nodeIndex],
      poolIndex,
      drives: node.drives ?? pool.drives,
      drivesPath: node.drives ? ['minio', 'pools', poolIndex, 'nodes', nodeIndex, 'drives'] : ['minio', 'pools', poolIndex, 'drives'],
    })),
  );
}

/** The host a stateful service's directories live on, for clash checks. */
export function hostKey(service: StatefulService): string {
  return service.host ?? UNPINNED;
}
