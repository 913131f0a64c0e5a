// A row that failed because nothing answered, or because docker could not be asked, says what to do next: which
// swarm service serves that endpoint and how to point verify elsewhere, or where verify has to run. One place for
// it, so every check gets the same advice whichever client (etcd3, fetch, minio, docker) saw the failure.
import type { ClusterModel } from '../model/types.ts';
import type { Row } from './rows.ts';

// Only our own connection's failure, as the clients' wrappers word it ("LABEL: connection refused" or the bare reason):
// an error the etcd proxy forwards from a dead member ("… dial tcp …: connect: connection refused") is the members'
// rows' business, and pointing at the proxy would send the operator the wrong way.
const UNREACHABLE = /^(?:(?:etcd [\w ]+ through|GET) \S+: )?(?:connection refused|host not found|host unreachable)$/;
const NO_DOCKER = /Cannot connect to the Docker daemon|permission denied while trying to connect to the Docker daemon/;

export const DOCKER_ACCESS_HINT = 'run verify on a swarm manager with docker access (DOCKER_HOST, docker group)';

interface Served {
  service: string;
  flag: 'etcd' | 's3' | 'console';
}

/** Which published endpoint a check reaches from outside, by the row's name; undefined for in-network checks. */
function servedBy(check: string, model: ClusterModel): Served | undefined {
  if (check.startsWith('etcd proxy')) return { service: model.etcd.proxy.name, flag: 'etcd' };
  if (check === 'minio: console') return { service: model.minio.proxy.name, flag: 'console' };
  if (check.startsWith('minio') && check !== 'minio: load balancer addresses' && check !== 'minio: credentials') return { service: model.minio.proxy.name, flag: 's3' };
  return undefined;
}

export function withNextStep(row: Row, model: ClusterModel): Row {
  if (row.status === 'pass') return row;
  if (NO_DOCKER.test(row.reason)) return { ...row, reason: `${row.reason} — ${DOCKER_ACCESS_HINT}` };
  const served = servedBy(row.check, model);
  if (served && UNREACHABLE.test(row.reason)) {
    const service = `${model.stack}_${served.service}`;
    return { ...row, reason: `${row.reason} — check ${service} and its published port (docker service ps ${service}), or point verify at it with --${served.flag}-endpoint HOST:PORT` };
  }
  return row;
}

/** The socket error inside a gRPC status message ("14 UNAVAILABLE: No connection established. Last error: …"). */
export function grpcReason(message: string): string {
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'host not found';
  if (/EHOSTUNREACH/.test(message)) return 'host unreachable';
  return message.replace(/\s*Resolution note:\s*$/, '');
}
