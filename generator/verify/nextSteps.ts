// A row that failed because nothing answered, or because docker could not be asked, says what to do next: which
// swarm service serves that endpoint and how to point verify elsewhere, or where verify has to run. One place for
// it, so every check gets the same advice whichever client (etcd3, fetch, minio, docker) saw the failure.
import type { ClusterModel } from '../model/types.ts';
import type { Endpoints } from '../cluster/endpoints.ts';
import type { Row } from './rows.ts';

// Only our own connection's failure, as the clients' wrappers word it ("LABEL: connection refused" or the bare reason):
// an error the etcd proxy forwards from a dead member ("… dial tcp …: connect: connection refused") is the members'
// rows' business, and pointing at the proxy would send the operator the wrong way.
const UNREACHABLE = /^(?:(?:etcd [\w ]+ through|GET) \S+: )?(?:connection refused|host not found|host unreachable)$/;
const NO_DOCKER = /Cannot connect to the Docker daemon|permission denied while trying to connect to the Docker daemon/;

export const DOCKER_ACCESS_HINT = 'run verify on a swarm manager with docker access (DOCKER_HOST, docker group)';

/** The swarm service that publishes an endpoint: the etcd gRPC proxy, or nginx in front of MinIO (S3 and console). */
function serviceBehind(endpoint: keyof Endpoints, model: ClusterModel): string {
  return endpoint === 'etcd' ? model.etcd.proxy.name : model.minio.proxy.name;
}

export function withNextStep(row: Row, model: ClusterModel): Row {
  if (row.status === 'pass') return row;
  if (NO_DOCKER.test(row.reason)) return { ...row, reason: `${row.reason} — ${DOCKER_ACCESS_HINT}` };
  if (row.endpoint && UNREACHABLE.test(row.reason)) {
    const service = `${model.stack}_${serviceBehind(row.endpoint, model)}`;
    return { ...row, reason: `${row.reason} — check ${service} and its published port (docker service ps ${service}), or point verify at it with --${row.endpoint}-endpoint HOST:PORT` };
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
