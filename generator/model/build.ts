// Topology → ClusterModel: every derived name, URL, flag, mount and placement is decided in model/, once, one
// module per cluster (etcd.ts, minio.ts, milvus.ts, monitoring.ts, hostPreparation.ts); this puts their parts together.
import type { Topology } from '../topology/schema.ts';
import { etcdModel, etcdServices } from './etcd.ts';
import { hostPreparation } from './hostPreparation.ts';
import { milvusModel } from './milvus.ts';
import { minioModel, minioSecrets, minioServices } from './minio.ts';
import { monitoringModel, monitoringSecrets, monitoringServices } from './monitoring.ts';
import { networkAnchorService } from './networkAnchor.ts';
import type { ClusterModel } from './types.ts';

export function buildModel(environment: string, source: string, topology: Topology): ClusterModel {
  const { swarm } = topology;
  const etcd = etcdModel(topology);
  const minio = minioModel(topology);
  const monitoring = monitoringModel(topology, etcd, minio);
  return {
    environment,
    source,
    stack: topology.stack,
    network: { key: topology.network.name, name: `${topology.stack}_${topology.network.name}`, attachable: topology.network.attachable },
    swarm: {
      endpointMode: swarm.endpointMode,
      publishMode: swarm.publishMode,
      deployTimeoutSeconds: swarm.deployTimeoutSeconds,
      resolveImage: swarm.resolveImage,
      helperImage: swarm.helperImage,
    },
    hosts: topology.hosts,
    managers: topology.managers,
    etcd,
    minio,
    milvus: milvusModel(topology.milvus, etcd, minio),
    monitoring,
    services: [...etcdServices(topology, etcd), ...minioServices(topology, minio), ...monitoringServices(topology, monitoring), networkAnchorService(swarm.helperImage)],
    secrets: [...minioSecrets(minio), ...monitoringSecrets(monitoring)],
    hostPreparation: hostPreparation(topology, etcd, minio, monitoring),
  };
}
