// The plan's checklist, in the order a reviewer reads a topology: each classifier with the fields it answers for.
// A field no entry covers is still reported (unclassified, care), so a new schema field cannot slip through.
import { backupKeepChanged, backupScheduleChanged, backupTargetsChanged, backupToggled, backupWindowChanged } from './classifiers/backup.ts';
import { bucketPoliciesChanged, bucketsAdded, bucketsRemoved } from './classifiers/buckets.ts';
import { etcdClientPortChanged, etcdClusterTokenChanged, etcdCompactionChanged, etcdPeerPortChanged, etcdTuningChanged, etcdVersionStep } from './classifiers/etcdCluster.ts';
import {
  etcdDataDirReused,
  etcdDataDirsChanged,
  etcdMemberBootstrapsAlone,
  etcdMemberHostsMoved,
  etcdMemberOrderChanged,
  etcdMembersAdded,
  etcdMembersRemoved,
  etcdMemberStateChanged,
  etcdQuorumHoldsInOneStep,
} from './classifiers/etcdMembers.ts';
import { hostInventoryChanged, hostLabelsChanged, hostNodeIdsChanged, managersChanged } from './classifiers/hosts.ts';
import { milvusBucketChanged, milvusEtcdEndpointsChanged, milvusEtcdRootPathChanged, milvusMinioRootPathChanged } from './classifiers/milvus.ts';
import { minioApiPortChanged, minioConsolePortChanged, minioConsoleUrlChanged, minioEnvChanged, minioReleaseChanged, minioSecretsChanged, minioVerifySecretsChanged } from './classifiers/minio.ts';
import {
  minioNodeDrivePathsChanged,
  minioNodeHostsMoved,
  minioPoolDriveCountChanged,
  minioPoolNodesChanged,
  minioPoolsAdded,
  minioPoolsRemoved,
  minioPoolsReordered,
  minioRedundancyLost,
} from './classifiers/minioPools.ts';
import { etcdProxyListenPortChanged, minioProxyImageChanged, proxyPlacementChanged, proxyRenamed, proxyReplicasChanged, publishedPortsChanged } from './classifiers/proxies.ts';
import {
  endpointModeChanged,
  healthchecksChanged,
  networkAttachableChanged,
  networkRenamed,
  publishModeChanged,
  stackRenamed,
  swarmSettingsChanged,
} from './classifiers/stack.ts';
import { monitoringChecklist } from './classifiers/monitoring.ts';
import { nginxTemplateChanged } from './classifiers/templates.ts';
import type { ChecklistItem } from './comparison.ts';

export type { ChecklistItem } from './comparison.ts';

const ETCD_MEMBERS = ['etcd.members[].name', 'etcd.members[].host', 'etcd.members[].initialClusterState'];
const BACKUP_TARGETS = ['backup.targets.directory', 'backup.targets.s3'];
const MINIO_LAYOUT = ['minio.pools[].drives', 'minio.pools[].nodes[].name', 'minio.pools[].nodes[].host', 'minio.pools[].nodes[].drives'];

export const checklist: readonly ChecklistItem[] = [
  // The stack as a whole
  { classify: stackRenamed, fields: ['stack'] },
  { classify: networkRenamed, fields: ['network.name'] },
  { classify: networkAttachableChanged, fields: ['network.attachable'] },
  { classify: endpointModeChanged, fields: ['swarm.endpointMode'] },
  { classify: publishModeChanged, fields: ['swarm.publishMode'] },
  { classify: swarmSettingsChanged, fields: ['swarm.allowColocation', 'swarm.deployTimeoutSeconds', 'swarm.resolveImage', 'swarm.helperImage'] },
  { classify: healthchecksChanged, fields: ['etcd.healthcheck', 'etcd.proxy.healthcheck', 'minio.healthcheck', 'minio.proxy.healthcheck'] },
  // Hosts
  { classify: hostInventoryChanged, fields: ['hosts[].name', 'hosts[].ip', 'hosts[].roles'] },
  { classify: hostNodeIdsChanged, fields: ['hosts[].nodeId'] },
  { classify: hostLabelsChanged, fields: ['hosts[].labels'] },
  { classify: managersChanged, fields: ['managers[].ip', 'managers[].name'] },
  // etcd: members leave before others join
  { classify: etcdQuorumHoldsInOneStep, fields: ETCD_MEMBERS },
  { classify: etcdMembersRemoved, fields: ['etcd.members[].name'] },
  { classify: etcdMemberHostsMoved, fields: ['etcd.members[].host'] },
  { classify: etcdMembersAdded, fields: ['etcd.members[].name'] },
  { classify: etcdDataDirReused, fields: ['etcd.members[].name', 'etcd.members[].host'] },
  { classify: etcdMemberBootstrapsAlone, fields: ['etcd.members[].initialClusterState'] },
  { classify: etcdDataDirsChanged, fields: ['etcd.dataDir'] },
  { classify: etcdMemberStateChanged, fields: ['etcd.members[].initialClusterState'] },
  { classify: etcdMemberOrderChanged, fields: ['etcd.members[].name'] },
  { classify: etcdVersionStep, fields: ['etcd.image'] },
  { classify: etcdClusterTokenChanged, fields: ['etcd.clusterToken'] },
  { classify: etcdCompactionChanged, fields: ['etcd.autoCompactionMode', 'etcd.autoCompactionRetention'] },
  { classify: etcdTuningChanged, fields: ['etcd.quotaBackendBytes', 'etcd.snapshotCount'] },
  { classify: etcdClientPortChanged, fields: ['etcd.clientPort'] },
  { classify: etcdPeerPortChanged, fields: ['etcd.peerPort'] },
  // MinIO: pools first, then what every node carries
  { classify: minioPoolsRemoved, fields: MINIO_LAYOUT },
  { classify: minioPoolsReordered, fields: MINIO_LAYOUT },
  { classify: minioPoolNodesChanged, fields: ['minio.pools[].nodes[].name'] },
  { classify: minioPoolDriveCountChanged, fields: ['minio.pools[].drives', 'minio.pools[].nodes[].drives'] },
  { classify: minioRedundancyLost, fields: ['minio.pools[].drives', 'minio.pools[].nodes[].host', 'minio.pools[].nodes[].drives'] },
  { classify: minioNodeHostsMoved, fields: ['minio.pools[].nodes[].host'] },
  { classify: minioNodeDrivePathsChanged, fields: ['minio.pools[].drives', 'minio.pools[].nodes[].drives'] },
  { classify: minioPoolsAdded, fields: MINIO_LAYOUT },
  { classify: minioReleaseChanged, fields: ['minio.image'] },
  { classify: minioSecretsChanged, fields: ['minio.rootUserSecret', 'minio.rootPasswordSecret'] },
  { classify: minioVerifySecretsChanged, fields: ['minio.verifyUserSecret', 'minio.verifyPasswordSecret'] },
  { classify: minioEnvChanged, fields: ['minio.env'] },
  { classify: minioApiPortChanged, fields: ['minio.apiPort'] },
  { classify: minioConsolePortChanged, fields: ['minio.consolePort'] },
  { classify: minioConsoleUrlChanged, fields: ['minio.consoleUrl'] },
  // Proxies, and what clients and Milvus see of them
  { classify: proxyRenamed, fields: ['etcd.proxy.name', 'minio.proxy.name'] },
  { classify: etcdProxyListenPortChanged, fields: ['etcd.proxy.listenPort'] },
  { classify: publishedPortsChanged, fields: ['etcd.proxy.publishedPort', 'minio.proxy.s3Port', 'minio.proxy.consolePort'] },
  { classify: proxyReplicasChanged, fields: ['etcd.proxy.replicas', 'minio.proxy.replicas'] },
  { classify: proxyPlacementChanged, fields: ['etcd.proxy.placement', 'minio.proxy.placement'] },
  { classify: minioProxyImageChanged, fields: ['minio.proxy.image'] },
  { classify: nginxTemplateChanged, fields: [] },
  // Buckets and Milvus
  { classify: bucketsRemoved, fields: ['minio.buckets[].name'] },
  { classify: bucketsAdded, fields: ['minio.buckets[].name'] },
  { classify: bucketPoliciesChanged, fields: ['minio.buckets[].policy'] },
  { classify: milvusBucketChanged, fields: ['milvus.bucket'] },
  { classify: milvusEtcdRootPathChanged, fields: ['milvus.etcdRootPath'] },
  { classify: milvusMinioRootPathChanged, fields: ['milvus.minioRootPath'] },
  { classify: milvusEtcdEndpointsChanged, fields: ['milvus.etcdEndpoints'] },
  // Recovery points: the section added or removed whole (its path is `backup`, which each field below covers), then its fields
  { classify: backupToggled, fields: ['backup.schedule', 'backup.keep', 'backup.windowDays', ...BACKUP_TARGETS] },
  { classify: backupWindowChanged, fields: ['backup.windowDays'] },
  { classify: backupKeepChanged, fields: ['backup.keep'] },
  { classify: backupScheduleChanged, fields: ['backup.schedule'] },
  { classify: backupTargetsChanged, fields: BACKUP_TARGETS },
  ...monitoringChecklist,
];

/** Not a change to the cluster: the list of accepted changes itself. */
export const IGNORED_FIELDS: readonly string[] = ['acknowledge'];
