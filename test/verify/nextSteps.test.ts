// What a failed row says to do next: the service behind an endpoint nothing answered at, or where verify must run.
import { describe, expect, it } from 'vitest';
import { DOCKER_ACCESS_HINT, grpcReason, withNextStep } from '../../generator/verify/nextSteps.ts';
import type { Row, RowIdentity } from '../../generator/verify/rows.ts';
import { frozenModel } from './support.ts';

const row = (identity: RowIdentity, reason: string, status: Row['status'] = 'fail'): Row => ({ ...identity, status, elapsedMs: 1, reason });
const PROXY_DELETE: RowIdentity = { id: 'etcd-proxy:delete', check: 'etcd proxy: delete', endpoint: 'etcd' };
const PROXY_PUT: RowIdentity = { id: 'etcd-proxy:put-get', check: 'etcd proxy: put and get', endpoint: 'etcd' };
const MEMBER_STATUS: RowIdentity = { id: 'etcd-members:endpoint-status', check: 'etcd members: endpoint status' };
const NO_DOCKER = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

describe('withNextStep', () => {
  it('names the service behind the endpoint each outside check reaches, and the flag that moves it', async () => {
    const model = frozenModel('production');
    const checks: RowIdentity[] = [
      PROXY_DELETE,
      { id: 'minio:nodes-drives', check: 'minio: nodes and drives', endpoint: 's3' },
      { id: 'minio:bucket:milvus-bucket', check: 'minio bucket milvus-bucket', endpoint: 's3' },
      { id: 'minio:console', check: 'minio: console', endpoint: 'console' },
    ];
    const reasons = checks.map((check) => withNextStep(row(check, 'GET http://29.16.21.80:9000/x: connection refused'), model).reason);
    expect(reasons).toEqual([
      'GET http://29.16.21.80:9000/x: connection refused — check milvus_etcd-proxy and its published port (docker service ps milvus_etcd-proxy), or point verify at it with --etcd-endpoint HOST:PORT',
      'GET http://29.16.21.80:9000/x: connection refused — check milvus_minio-proxy and its published port (docker service ps milvus_minio-proxy), or point verify at it with --s3-endpoint HOST:PORT',
      'GET http://29.16.21.80:9000/x: connection refused — check milvus_minio-proxy and its published port (docker service ps milvus_minio-proxy), or point verify at it with --s3-endpoint HOST:PORT',
      'GET http://29.16.21.80:9000/x: connection refused — check milvus_minio-proxy and its published port (docker service ps milvus_minio-proxy), or point verify at it with --console-endpoint HOST:PORT',
    ]);
  });

  it('says where verify must run when docker cannot be asked, for in-network checks too', async () => {
    const model = frozenModel('local');
    expect(withNextStep(row(MEMBER_STATUS, `the etcdctl container did not start: ${NO_DOCKER}`), model).reason).toBe(
      `the etcdctl container did not start: ${NO_DOCKER} — ${DOCKER_ACCESS_HINT}`,
    );
  });

  it('leaves passing rows, in-network rows and failures that already say what to do as they are', async () => {
    const model = frozenModel('local');
    const untouched = [
      row(PROXY_PUT, 'put and read back a key; connection refused earlier is history', 'pass'),
      row(MEMBER_STATUS, 'etcd3 (connection refused) does not answer; … docker service ps milvus_etcd3'),
      row({ id: 'minio:cluster-health', check: 'minio: cluster health', endpoint: 's3' }, '503: MinIO has lost write quorum — writes fail: bring MinIO nodes back (docker service ps)'),
      // Refused behind the proxy (forwarded from a dead member), not at the proxy: the members' rows say which.
      row(PROXY_PUT, 'etcd put through 127.0.0.1:2379: 14 UNAVAILABLE: dial tcp 10.0.1.5:2379: connect: connection refused'),
      // Named like the S3 rows but reaching no published endpoint: advice follows the endpoint, not the name.
      row({ id: 'minio:in-network', check: 'minio: a check run inside the network' }, 'connection refused'),
    ];
    expect(untouched.map((each) => withNextStep(each, model))).toEqual(untouched);
  });
});

describe('grpcReason', () => {
  it('reduces a gRPC status to the socket error an operator can act on', () => {
    expect(grpcReason('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379. Resolution note: ')).toBe('connection refused');
    expect(grpcReason('14 UNAVAILABLE: Name resolution failed for target dns:etcd-proxy:2379: getaddrinfo ENOTFOUND etcd-proxy')).toBe('host not found');
    expect(grpcReason('14 UNAVAILABLE: connect EHOSTUNREACH 10.0.0.9:2379')).toBe('host unreachable');
    expect(grpcReason('9 FAILED_PRECONDITION: something else. Resolution note: ')).toBe('9 FAILED_PRECONDITION: something else.');
  });
});
