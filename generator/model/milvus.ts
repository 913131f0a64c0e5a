// What Milvus reads to find its metadata and its objects: the etcd members (or the etcd proxy, when the topology says
// so) and the MinIO load balancer, never a MinIO node.
import type { Topology } from '../topology/schema.ts';
import type { EtcdModel } from './etcd.ts';
import type { MinioModel } from './minio.ts';
import type { ClusterModel } from './types.ts';

export function milvusModel(milvus: Topology['milvus'], etcd: EtcdModel, minio: MinioModel): ClusterModel['milvus'] {
  return {
    // Milvus's etcd client (clientv3 with the whole list: Milvus's pkg/util/etcd GetRemoteEtcdClient) balances over the
    // members and moves to another when one stops answering. The proxy costs each put 1.8 ms of CPU against 0.67 ms
    // direct and the members lose batching (README, bench:etcd), so it is the choice only where its one stable address
    // is worth that.
    etcdEndpoints: milvus.etcdEndpoints === 'proxy' ? [etcd.proxy.endpoint] : etcd.members.map((member) => `${member.name}:${etcd.clientPort}`),
    etcdRootPath: milvus.etcdRootPath,
    minioAddress: minio.proxy.name,
    minioPort: minio.proxy.s3Port,
    bucketName: milvus.bucket,
    useSSL: false,
    minioRootPath: milvus.minioRootPath,
  };
}
