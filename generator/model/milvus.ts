// What Milvus reads to find its metadata and its objects: the etcd proxy and the MinIO load balancer, never a member.
import type { Topology } from '../topology/schema.ts';
import type { EtcdModel } from './etcd.ts';
import type { MinioModel } from './minio.ts';
import type { ClusterModel } from './types.ts';

export function milvusModel(milvus: Topology['milvus'], etcd: EtcdModel, minio: MinioModel): ClusterModel['milvus'] {
  return {
    etcdEndpoints: [etcd.proxy.endpoint],
    etcdRootPath: milvus.etcdRootPath,
    minioAddress: minio.proxy.name,
    minioPort: minio.proxy.s3Port,
    bucketName: milvus.bucket,
    useSSL: false,
    minioRootPath: milvus.minioRootPath,
  };
}
