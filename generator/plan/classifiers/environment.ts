// A whole environment appearing or disappearing: the plan's first and last line of defence.
import type { Topology } from '../../topology/schema.ts';
import { changeId, destructive, safe, type Change } from '../change.ts';
import { code, plural } from '../runbook.ts';

const inventory = (topology: Topology): string =>
  `stack ${topology.stack}: ${plural(topology.etcd.members.length, 'etcd member')}, ` +
  `${plural(topology.minio.pools.reduce((sum, pool) => sum + pool.nodes.length, 0), 'MinIO node')} in ${plural(topology.minio.pools.length, 'pool')}`;

export function environmentAdded(environment: string, after: Topology): Change {
  return safe(
    changeId('environment-added', environment),
    `new environment ${environment} (${inventory(after)})`,
    "nothing runs yet: the first deploy creates it all (its preflight checks hosts and secrets, host preparation makes the data dirs, its buckets phase the buckets)",
  );
}

/** There is no topology after the change to hold the acknowledgement: planEnvironment reads it from the one before. */
export function environmentRemoved(environment: string, before: Topology): Change {
  return destructive(
    changeId('environment-removed', environment),
    `environment ${environment} removed (${inventory(before)})`,
    'nothing in the repository describes its stack any more: it keeps running unmanaged (no deploy, no verify), and tearing it down deletes its etcd metadata and MinIO objects',
    [
      `back up first: ${code('etcdctl snapshot save')} through a member, and ${code('mc mirror')} of every bucket`,
      `${code(`docker stack rm ${before.stack}`)} on a manager of that swarm, and wait until its network is gone`,
      'delete the data dirs on its hosts by hand, if meant: nothing here deletes data',
      `to acknowledge, list ${code(changeId('environment-removed', environment))} under acknowledge: in the file in a change before the one that deletes it (the deleted file cannot hold it)`,
    ],
  );
}
