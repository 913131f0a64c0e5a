// milvus.yaml: the etcd: and minio: sections Milvus 2.3 reads (configs/milvus.yaml). Never credentials:
// Milvus takes minio.accessKeyID / secretAccessKey from its own secret handling.
import type { ClusterModel } from '../model/types.ts';
import { generatedHeader, toYaml } from './yaml.ts';

export function renderMilvusConfig(model: ClusterModel): string {
  const { milvus } = model;
  const sections = {
    etcd: {
      endpoints: milvus.etcdEndpoints,
      rootPath: milvus.etcdRootPath,
    },
    minio: {
      address: milvus.minioAddress,
      port: milvus.minioPort,
      bucketName: milvus.bucketName,
      useSSL: milvus.useSSL,
      rootPath: milvus.minioRootPath,
    },
  };
  return (
    generatedHeader('#', model.source) +
    `# Merge into Milvus's milvus.yaml. Addresses are service names on the ${model.network.name} network, so\n` +
    `# Milvus must run on that network; add minio.accessKeyID/secretAccessKey from your secret store, never here.\n` +
    toYaml(sections)
  );
}
