// The directories each host needs before the first deploy (prepare-hosts.sh and deploy's jobs create them).
import type { Host } from '../topology/schema.ts';
import { UNPINNED } from '../topology/stateful.ts';
import type { EtcdModel } from './etcd.ts';
import type { MinioModel } from './minio.ts';
import type { HostPreparation } from './types.ts';

/** One entry per host in the order the services name them; etcd dirs 0700 (etcd warns about wider modes in 3.5). */
export function hostPreparation(hosts: readonly Host[], etcd: EtcdModel, minio: MinioModel): HostPreparation[] {
  const byHost = new Map<string, HostPreparation>();
  const entry = (host: string | undefined) => {
    const key = host ?? UNPINNED;
    let preparation = byHost.get(key);
    if (!preparation) {
      preparation = host === undefined ? { directories: [] } : { host, ip: hosts.find((h) => h.name === host)?.ip, directories: [] };
      byHost.set(key, preparation);
    }
    return preparation;
  };
  for (const member of etcd.members) entry(member.host).directories.push({ path: member.dataDir, mode: '0700', owner: `etcd member ${member.name}` });
  for (const node of minio.pools.flatMap((pool) => pool.nodes)) {
    for (const drive of node.drives) entry(node.host).directories.push({ path: drive.source, mode: '0755', owner: `MinIO node ${node.name}` });
  }
  return [...byHost.values()];
}
