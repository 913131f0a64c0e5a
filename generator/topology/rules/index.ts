// The checklist every topology passes after the schema, in the order an operator would review it.
import {
  backupDirectoryPrivate,
  backupPointsWithinWindow,
  backupS3HttpsWarned,
  backupS3KeysOwn,
  backupS3PrefixPlain,
  backupTargetDefined,
  backupTargetOffCluster,
  backupWindowCoversSchedule,
} from './backup.ts';
import { bucketNamesValid, milvusBucketDefined, publicBucketWarned } from './buckets.ts';
import { consoleUrlReachesConsole } from './consoleUrl.ts';
import { minioSecretsDistinct, noCredentialsInTopology } from './credentials.ts';
import { dataDirsDisjoint, dataDirsNotSystem, knownPlaceholders } from './dataPaths.ts';
import { etcdCompactionRetention } from './etcdFlags.ts';
import { etcdQuorumSize } from './etcdQuorum.ts';
import { healthchecksFit } from './healthchecks.ts';
import { nodeLabelsDistinct, uniqueHosts } from './hosts.ts';
import { imagesPinned } from './images.ts';
import { minioErasureSettings } from './minioErasure.ts';
import { minioNodeSequence, minioPoolDrives } from './minioPools.ts';
import { monitoringAlertsKnown, monitoringOnManagers, monitoringSecretsDistinct } from './monitoring.ts';
import { milvusRootPathOwn } from './milvusRootPath.ts';
import { distinctHosts, placementHostsDefined, statefulServicesPinned } from './placement.ts';
import { containerPortsDistinct, endpointModeFitsPublishMode, hostModeReplicasFit, publishedPortsUnique } from './ports.ts';
import type { Rule } from './rule.ts';
import { serviceNamesUnique } from './serviceNames.ts';
import { swarmNamesFit } from './swarmNames.ts';

export const rules: readonly Rule[] = [
  uniqueHosts,
  nodeLabelsDistinct,
  serviceNamesUnique,
  swarmNamesFit,
  etcdQuorumSize,
  etcdCompactionRetention,
  placementHostsDefined,
  statefulServicesPinned,
  distinctHosts,
  minioPoolDrives,
  minioNodeSequence,
  minioErasureSettings,
  knownPlaceholders,
  dataDirsNotSystem,
  dataDirsDisjoint,
  endpointModeFitsPublishMode,
  publishedPortsUnique,
  hostModeReplicasFit,
  containerPortsDistinct,
  healthchecksFit,
  consoleUrlReachesConsole,
  bucketNamesValid,
  milvusBucketDefined,
  milvusRootPathOwn,
  publicBucketWarned,
  backupTargetDefined,
  backupWindowCoversSchedule,
  backupPointsWithinWindow,
  backupTargetOffCluster,
  backupDirectoryPrivate,
  backupS3KeysOwn,
  backupS3PrefixPlain,
  backupS3HttpsWarned,
  imagesPinned,
  noCredentialsInTopology,
  minioSecretsDistinct,
  monitoringOnManagers,
  monitoringSecretsDistinct,
  monitoringAlertsKnown,
];

export type { Rule } from './rule.ts';
