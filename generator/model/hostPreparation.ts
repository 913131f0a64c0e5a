// The directories each host needs before the first deploy (prepare-hosts.sh and deploy's jobs create them).
import type { Topology } from '../topology/schema.ts';
import { UNPINNED } from '../topology/stateful.ts';
import type { EtcdModel } from './etcd.ts';
import type { MinioModel } from './minio.ts';
import type { HostPreparation, MonitoringModel } from './types.ts';

/**
 * One entry per host in the order the services name them; etcd dirs 0700 (etcd warns about wider modes in 3.5).
 * Prometheus's and Alertmanager's dirs are on managers, which the topology lists apart from the data hosts.
 */
export function hostPreparation(topology: Topology, etcd: EtcdModel, minio: MinioModel, monitoring: MonitoringModel): HostPreparation[] {
  const machines = [...topology.hosts, ...topology.managers];
  const byHost = new Map<string, HostPreparation>();
  const entry = (host: string | undefined) => {
    const key = host ?? UNPINNED;
    let preparation = byHost.get(key);
    if (!preparation) {
      preparation = host === undefined ? { directories: [] } : { host, ip: machines.find((machine) => machine.name === host)?.ip, directories: [] };
      byHost.set(key, preparation);
    }
    return preparation;
  };
  for (const member of etcd.members) entry(member.host).directories.push({ path: member.dataDir, mode: '0700', owner: `etcd member ${member.name}` });
  for (const node of minio.pools.flatMap((pool) => pool.nodes)) {
    for (const drive of node.drives) entry(node.host).directories.push({ path: drive.source, mode: '0755', owner: `MinIO node ${node.name}` });
  }
  if (monitoring.prometheus) entry(monitoring.prometheus.host).directories.push({ path: monitoring.prometheus.dataDir, mode: '0755', owner: 'Prometheus' });
  if (monitoring.alertmanager) entry(monitoring.alertmanager.host).directories.push({ path: monitoring.alertmanager.dataDir, mode: '0755', owner: 'Alertmanager' });
  return [...byHost.values()];
}
