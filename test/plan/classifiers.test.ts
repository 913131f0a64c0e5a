// One test per classifier: a case from test/fixtures/plan (a patch on the frozen base, cases.ts), the exact classes
// and ids of the whole plan, the key words of each reason, and the named classifier itself reporting its change.
import { describe, expect, it } from 'vitest';
import type { ChangeClass } from '../../generator/plan/change.ts';
import { backupKeepChanged, backupScheduleChanged, backupTargetsChanged, backupToggled, backupWindowChanged } from '../../generator/plan/classifiers/backup.ts';
import { bucketPoliciesChanged, bucketsAdded, bucketsRemoved } from '../../generator/plan/classifiers/buckets.ts';
import { etcdClientPortChanged, etcdClusterTokenChanged, etcdCompactionChanged, etcdPeerPortChanged, etcdTuningChanged, etcdVersionStep } from '../../generator/plan/classifiers/etcdCluster.ts';
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
} from '../../generator/plan/classifiers/etcdMembers.ts';
import { hostInventoryChanged, hostLabelsChanged, hostNodeIdsChanged, managersChanged } from '../../generator/plan/classifiers/hosts.ts';
import { milvusBucketChanged, milvusEtcdEndpointsChanged, milvusEtcdRootPathChanged, milvusMinioRootPathChanged } from '../../generator/plan/classifiers/milvus.ts';
import { minioApiPortChanged, minioConsolePortChanged, minioConsoleUrlChanged, minioEnvChanged, minioReleaseChanged, minioSecretsChanged, minioVerifySecretsChanged } from '../../generator/plan/classifiers/minio.ts';
import {
  minioNodeDrivePathsChanged,
  minioNodeHostsMoved,
  minioPoolDriveCountChanged,
  minioPoolNodesChanged,
  minioPoolsAdded,
  minioPoolsRemoved,
  minioPoolsReordered,
  minioRedundancyLost,
} from '../../generator/plan/classifiers/minioPools.ts';
import { alertmanagerChanged, monitoringFilesChanged, monitoringSettingsChanged, prometheusChanged } from '../../generator/plan/classifiers/monitoring.ts';
import { etcdProxyListenPortChanged, minioProxyImageChanged, proxyPlacementChanged, proxyRenamed, proxyReplicasChanged, publishedPortsChanged } from '../../generator/plan/classifiers/proxies.ts';
import {
  endpointModeChanged,
  healthchecksChanged,
  networkAttachableChanged,
  networkRenamed,
  publishModeChanged,
  stackRenamed,
  swarmSettingsChanged,
} from '../../generator/plan/classifiers/stack.ts';
import type { Classifier } from '../../generator/plan/comparison.ts';
import { comparisonOf, planFixture } from './support.ts';

/** [class, id, words the reason must contain] for every change of the plan, in the plan's order. */
type Expected = [ChangeClass, string, string[]];

interface Case {
  fixture: string;
  classifier: Classifier;
  plan: Expected[];
}

const newHosts: Expected[] = [5, 6, 7, 8].map((n) => ['safe', `host:gp22aitppapm0${n}`, ['README']]);
const DATA_DIR_WHY = ['data path of a running member', 'empty directory', 'Milvus loses all its metadata'];

const cases: Case[] = [
  // The stack
  { fixture: 'stack-rename', classifier: stackRenamed, plan: [['destructive', 'stack-rename:milvus', ['new services beside', 'same host directories']]] },
  { fixture: 'network-rename', classifier: networkRenamed, plan: [['destructive', 'network-rename:milvus-cluster-net', ['restart at once', 'Milvus']]] },
  { fixture: 'network-attachable', classifier: networkAttachableChanged, plan: [['care', 'network-attachable:milvus-cluster-net', ['cannot be changed', 'removed and deployed again', 'one-off container']]] },
  { fixture: 'endpoint-mode', classifier: endpointModeChanged, plan: [['care', 'endpoint-mode:milvus', ['restart together', 'task addresses']]] },
  { fixture: 'publish-mode', classifier: publishModeChanged, plan: [['care', 'publish-mode:milvus', ['clients move', 'nodes running a proxy task']]] },
  {
    fixture: 'swarm-settings',
    classifier: swarmSettingsChanged,
    plan: [
      ['safe', 'colocation:milvus', ['validation switch']],
      ['safe', 'deploy-timeout:milvus', ['nothing that runs changes']],
      ['safe', 'resolve-image:milvus', ['stops asking the registry']],
    ],
  },
  { fixture: 'health-probe', classifier: healthchecksChanged, plan: [['care', 'healthcheck:minio-nodes', ['`mc` is missing from minio:v23.03', 'never publishes their DNS names']]] },
  // Hosts
  { fixture: 'host-inventory', classifier: hostInventoryChanged, plan: [['safe', 'host:gp22aitppapcsve', ['README and prepare-hosts.sh only']]] },
  { fixture: 'managers', classifier: managersChanged, plan: [['safe', 'manager:29.16.21.80', ['README only', 'node.role == manager']]] },
  { fixture: 'node-labels', classifier: hostLabelsChanged, plan: [['care', 'node-labels:gp22aitppapcsve', ['etcd1 is placed by the new constraints and restarts once', 'deploy labels the node first']]] },
  { fixture: 'node-id', classifier: hostNodeIdsChanged, plan: [['care', 'node-id:gp22aitppapcsve', ['etcd1 is placed by node.id', 're-joined the swarm', 'empty data dirs']]] },
  // etcd membership
  {
    fixture: 'etcd-grow-3-to-5',
    classifier: etcdMembersAdded,
    plan: [
      ['care', 'etcd-member-add:etcd4', ['etcdctl member add', '--initial-cluster-state existing', 'one member at a time, in order']],
      ['care', 'etcd-member-add:etcd5', ['etcdctl member add', '--initial-cluster-state existing', 'one member at a time, in order']],
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-member-remove',
    classifier: etcdMembersRemoved,
    plan: [
      ['care', 'etcd-member-remove:etcd4', ['etcdctl member remove', 'removed first, the quorum shrinks']],
      ['care', 'etcd-member-remove:etcd5', ['etcdctl member remove', 'removed first, the quorum shrinks']],
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-quorum-loss-remove',
    classifier: etcdQuorumHoldsInOneStep,
    plan: [
      ['destructive', 'etcd-quorum-loss:etcd4,etcd5,etcd6,etcd7', ['removing more etcd members than keeps quorum in one step', '3 of 7', 'quorum of 4']],
      ...[4, 5, 6, 7].map((n): Expected => ['care', `etcd-member-remove:etcd${n}`, ['member remove']]),
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-quorum-loss-grow',
    classifier: etcdQuorumHoldsInOneStep,
    plan: [
      ['destructive', 'etcd-quorum-loss:etcd4,etcd5,etcd6,etcd7', ['3 of 7', 'refuses the last member add', '--strict-reconfig-check']],
      ...[4, 5, 6, 7].map((n): Expected => ['care', `etcd-member-add:etcd${n}`, ['member add']]),
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-quorum-loss-move',
    classifier: etcdQuorumHoldsInOneStep,
    plan: [
      ['destructive', 'etcd-quorum-loss:etcd2,etcd3', ['1 of 3', 'quorum of 2']],
      ['care', 'etcd-member-host:etcd2', ['replaced as a member']],
      ['care', 'etcd-member-host:etcd3', ['replaced as a member']],
    ],
  },
  { fixture: 'etcd-member-host', classifier: etcdMemberHostsMoved, plan: [['care', 'etcd-member-host:etcd3', ['data dir stays on gp22aitppapch5z', 'starts empty', 'replaced as a member', '2 of 2']]] },
  {
    fixture: 'etcd-member-rename',
    classifier: etcdDataDirReused,
    plan: [
      ['destructive', 'etcd-data-dir-reuse:etcd4', ["deletes etcd3's copy of the data", 'never deletes data unacknowledged']],
      ['care', 'etcd-member-remove:etcd3', ['etcdctl member remove', '2 of 2']],
      ['care', 'etcd-member-add:etcd4', ['learner', 'only once etcd3 is removed and its data dir emptied', '2 of 2']],
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-member-bootstrap',
    classifier: etcdMemberBootstrapsAlone,
    plan: [
      ['destructive', 'etcd-member-bootstrap:etcd4', ['--initial-cluster-state new', 'never joins']],
      ['destructive', 'etcd-member-bootstrap:etcd5', ['--initial-cluster-state new', 'never joins']],
      ['care', 'etcd-member-add:etcd4', ['member add']],
      ['care', 'etcd-member-add:etcd5', ['member add']],
      ['care', 'milvus-etcd-endpoints:milvus', ['reads etcd.endpoints only at start', 'keep answering']],
    ],
  },
  {
    fixture: 'etcd-data-dir',
    classifier: etcdDataDirsChanged,
    plan: [1, 2, 3].map((n): Expected => ['destructive', `etcd-data-dir:etcd${n}`, DATA_DIR_WHY]),
  },
  { fixture: 'etcd-member-state', classifier: etcdMemberStateChanged, plan: [['safe', 'etcd-member-state:etcd1', ['only when its data dir is empty']]] },
  { fixture: 'etcd-member-order', classifier: etcdMemberOrderChanged, plan: [['safe', 'etcd-member-order:milvus', ['read at bootstrap']]] },
  // etcd versions and settings
  { fixture: 'etcd-version-patch', classifier: etcdVersionStep, plan: [['safe', 'etcd-version:v3.5.17', ['patch upgrade within etcd 3.5']]] },
  { fixture: 'etcd-version-minor', classifier: etcdVersionStep, plan: [['destructive', 'etcd-version:v3.6.0', ['every member runs 3.5.26 or later', 'the members run v3.5.5']]] },
  { fixture: 'etcd-version-minor-from-latest-patch', classifier: etcdVersionStep, plan: [['care', 'etcd-version:v3.6.0', ['one minor version step', 'one member at a time']]] },
  { fixture: 'etcd-version-skip', classifier: etcdVersionStep, plan: [['destructive', 'etcd-version:v3.7.0', ['skips etcd 3.6', 'one minor version at a time']]] },
  { fixture: 'etcd-version-downgrade', classifier: etcdVersionStep, plan: [['destructive', 'etcd-version:v3.4.27', ['minor version downgrade', '3.4.32', '--next-cluster-version-compatible', 'cannot render']]] },
  { fixture: 'etcd-version-unreadable', classifier: etcdVersionStep, plan: [['care', 'etcd-version:latest', ['cannot read a version', 'etcd:latest']]] },
  { fixture: 'etcd-version-repository', classifier: etcdVersionStep, plan: [['care', 'etcd-version:v3.5.5', ['another repository', 'quay.io/coreos/etcd']]] },
  { fixture: 'etcd-cluster-token', classifier: etcdClusterTokenChanged, plan: [['safe', 'etcd-cluster-token:milvus-etcd', ['no effect on the running cluster', 'empty data dir']]] },
  {
    fixture: 'etcd-tuning',
    classifier: etcdTuningChanged,
    plan: [
      ['care', 'etcd-flag:quota-backend-bytes', ['NOSPACE alarm', 'refuses every write']],
      ['safe', 'etcd-flag:snapshot-count', ['restarts once', 'no data changes']],
    ],
  },
  { fixture: 'etcd-compaction-periodic', classifier: etcdCompactionChanged, plan: [['care', 'etcd-flag:auto-compaction-mode', ['1000 hours (~42 days) of history', 'a bare number is hours', 'NOSPACE']]] },
  {
    fixture: 'etcd-client-port',
    classifier: etcdClientPortChanged,
    plan: [
      ['care', 'milvus-etcd-endpoints:milvus', ['none of Milvus\'s current endpoints stays']],
      ['safe', 'etcd-client-port:2379', ['inside the stack network', 'proxy follows']],
    ],
  },
  { fixture: 'etcd-peer-port', classifier: etcdPeerPortChanged, plan: [['destructive', 'etcd-peer-port:2380', ['peer URL at :2380', 'no quorum forms']]] },
  // MinIO pools
  { fixture: 'minio-pool-add', classifier: minioPoolsAdded, plan: [['care', 'minio-pool-add:minio5..minio8', ['all nodes restart', 'S3 pauses until all 8 nodes are up']], ...newHosts] },
  { fixture: 'minio-pool-remove', classifier: minioPoolsRemoved, plan: [['care', 'minio-pool-remove:minio5..minio8', ['deploy decommissions it first', 'runs only when acknowledged']]] },
  { fixture: 'minio-pool-order', classifier: minioPoolsReordered, plan: [['destructive', 'minio-pool-order:milvus', ['pool order change detected', 'every node would stop']]] },
  { fixture: 'minio-pool-nodes-renamed', classifier: minioPoolNodesChanged, plan: [['care', 'minio-pool-nodes:minio1..minio4', ['format.json', 'pool.bin', 'every node restarts together']]] },
  {
    fixture: 'minio-pool-nodes-grown',
    classifier: minioPoolNodesChanged,
    plan: [['destructive', 'minio-pool-nodes:minio1..minio4', ["changing an existing MinIO pool's nodes", 'layout is fixed']], ...newHosts],
  },
  { fixture: 'minio-pool-drives', classifier: minioPoolDriveCountChanged, plan: [['destructive', 'minio-pool-drives:minio1..minio4', ["changing an existing MinIO pool's drive count", 'refuses to start']]] },
  {
    fixture: 'minio-node-host',
    classifier: minioNodeHostsMoved,
    plan: [['destructive', 'minio-node-host:minio4', ['stay on gp22aitppapnch3', 'empty drives', '2 drives of 8', 'heals them']], ...newHosts],
  },
  {
    fixture: 'minio-drive-path-one-node',
    classifier: minioNodeDrivePathsChanged,
    plan: [['destructive', 'minio-drive-paths:minio3', ['data path of a running node', 'empty drive', '1 drive of 8', 'within its parity of 4']]],
  },
  {
    fixture: 'minio-drive-paths-two-nodes',
    classifier: minioNodeDrivePathsChanged,
    plan: [
      ['destructive', 'minio-redundancy:minio1,minio2', ['4 drives of 8', 'exactly its parity', 'no redundancy is left']],
      ...[1, 2].map((n): Expected => ['destructive', `minio-drive-paths:minio${n}`, ['4 drives of 8', 'within its parity of 4', 'heals them', 'no redundancy is left']]),
    ],
  },
  {
    fixture: 'minio-drive-paths-two-nodes',
    classifier: minioRedundancyLost,
    plan: [
      ['destructive', 'minio-redundancy:minio1,minio2', ['4 drives of 8', 'exactly its parity', 'no redundancy is left']],
      ...[1, 2].map((n): Expected => ['destructive', `minio-drive-paths:minio${n}`, ['4 drives of 8']]),
    ],
  },
  {
    fixture: 'minio-drive-paths-all-nodes',
    classifier: minioNodeDrivePathsChanged,
    plan: [
      ['destructive', 'minio-redundancy:minio1,minio2,minio3,minio4', ['8 drives of 8', 'objects are lost']],
      ...[1, 2, 3, 4].map((n): Expected => ['destructive', `minio-drive-paths:minio${n}`, ['8 drives of 8', 'objects are lost']]),
    ],
  },
  {
    fixture: 'minio-drive-order',
    classifier: minioNodeDrivePathsChanged,
    plan: [1, 2, 3, 4].map((n): Expected => [
      'destructive',
      `minio-drive-paths:minio${n}`,
      ['changing the drive order of an existing MinIO pool', 'unexpected drive ordering', 'no object is lost', 'until the order is restored'],
    ]),
  },
  // MinIO settings
  { fixture: 'minio-version-upgrade', classifier: minioReleaseChanged, plan: [['care', 'minio-version:v23.10', ['no rolling upgrade', 'restart together']]] },
  { fixture: 'minio-version-downgrade', classifier: minioReleaseChanged, plan: [['destructive', 'minio-version:v22.12', ['does not support downgrades']]] },
  { fixture: 'minio-secret', classifier: minioSecretsChanged, plan: [['care', 'minio-secret:root-user', ['does not exist', 'Milvus and every mc alias']]] },
  { fixture: 'minio-verify-secret', classifier: minioVerifySecretsChanged, plan: [['care', 'minio-secret:verify-user', ['no MinIO node restarts', "they must be milvus_minio_verify_user_v2's"]]] },
  { fixture: 'minio-env', classifier: minioEnvChanged, plan: [['care', 'minio-env:MINIO_STORAGE_CLASS_STANDARD', ['restarts together with the new environment']]] },
  { fixture: 'minio-api-port', classifier: minioApiPortChanged, plan: [['care', 'minio-api-port:9000', ['endpoints', 'S3 pauses']]] },
  { fixture: 'minio-console-port', classifier: minioConsolePortChanged, plan: [['safe', 'minio-console-port:9090', ['published console port does not change']]] },
  { fixture: 'minio-console-url', classifier: minioConsoleUrlChanged, plan: [['safe', 'minio-console-url:milvus', ['MINIO_BROWSER_REDIRECT_URL']]] },
  // Proxies
  { fixture: 'proxy-rename', classifier: proxyRenamed, plan: [['care', 'proxy-rename:etcd-proxy', ['etcd-proxy:23790', 'etcd-gateway:23790']]] },
  { fixture: 'etcd-proxy-port', classifier: etcdProxyListenPortChanged, plan: [['safe', 'etcd-proxy-port:23790', ['the published port does not change', 'Milvus lists the members']]] },
  { fixture: 'published-port', classifier: publishedPortsChanged, plan: [['care', 'published-port:9090', ['clients move', ':9091', 'minio.consoleUrl still names :9090']]] },
  { fixture: 'proxy-replicas', classifier: proxyReplicasChanged, plan: [['safe', 'proxy-replicas:minio-proxy', ['stateless']]] },
  { fixture: 'proxy-placement', classifier: proxyPlacementChanged, plan: [['safe', 'proxy-placement:etcd-proxy', ['routing mesh']]] },
  { fixture: 'proxy-image', classifier: minioProxyImageChanged, plan: [['safe', 'proxy-image:minio-proxy', ['one replica at a time']]] },
  // Buckets and Milvus
  { fixture: 'bucket-add', classifier: bucketsAdded, plan: [['safe', 'bucket-add:milvus-backup', ['creates it', 'nothing restarts']]] },
  { fixture: 'bucket-remove', classifier: bucketsRemoved, plan: [['safe', 'bucket-remove:milvus-backup', ['nothing deletes a bucket']]] },
  { fixture: 'bucket-policy-widened', classifier: bucketPoliciesChanged, plan: [['care', 'bucket-policy:milvus-bucket', ['anonymous access widens', 'read']]] },
  { fixture: 'bucket-policy-narrowed', classifier: bucketPoliciesChanged, plan: [['safe', 'bucket-policy:exports', ['anonymous access narrows']]] },
  {
    fixture: 'milvus-bucket',
    classifier: milvusBucketChanged,
    plan: [
      ['destructive', 'milvus-bucket:milvus-bucket', ['finds none of them', 'fail to load']],
      ['safe', 'bucket-add:milvus-v2', ['creates it']],
    ],
  },
  { fixture: 'milvus-etcd-root-path', classifier: milvusEtcdRootPathChanged, plan: [['destructive', 'milvus-etcd-root-path:by-dev', ['starts empty', 'every collection is gone']]] },
  { fixture: 'milvus-etcd-endpoints', classifier: milvusEtcdEndpointsChanged, plan: [['care', 'milvus-etcd-endpoints:milvus', ['none of Milvus\'s current endpoints stays']]] },
  { fixture: 'milvus-minio-root-path', classifier: milvusMinioRootPathChanged, plan: [['destructive', 'milvus-minio-root-path:files', ['milvus-bucket/files', 'fail to load']]] },
  // Recovery points
  { fixture: 'backup-add', classifier: backupToggled, plan: [['care', 'backup-enable:milvus-bucket', ['turns on versioning for milvus-bucket', 'never remove it', 'keeps overwritten and deleted objects 7 days']]] },
  { fixture: 'backup-remove', classifier: backupToggled, plan: [['care', 'backup-disable:milvus-bucket', ['nothing prunes them', 'stays versioned']]] },
  {
    fixture: 'backup-narrowed',
    classifier: backupWindowChanged,
    plan: [
      ['care', 'backup-window:14', ['expires versions older than 7 days', 'no longer the bucket']],
      ['care', 'backup-keep:14', ['prunes the oldest points until 7 points remain', '7 points are deleted']],
      ['safe', 'backup-schedule:milvus', ['nothing restarts']],
    ],
  },
  { fixture: 'backup-narrowed', classifier: backupScheduleChanged, plan: [['care', 'backup-window:14', []], ['care', 'backup-keep:14', []], ['safe', 'backup-schedule:milvus', []]] },
  {
    fixture: 'backup-widened',
    classifier: backupKeepChanged,
    plan: [
      ['safe', 'backup-window:7', ['longer', 'over 7 days']],
      ['safe', 'backup-keep:7', ['nothing is deleted']],
    ],
  },
  {
    fixture: 'backup-targets',
    classifier: backupTargetsChanged,
    plan: [
      ['care', 'backup-target:directory', ['/var/backups/milvus-swarm are no longer listed, pruned or restored from', 'new points go to /srv/recovery-points']],
      ['safe', 'backup-credentials:s3', ['`POINTS_KEY`', '`POINTS_SECRET`', 'nothing in the cluster changes']],
    ],
  },
  {
    fixture: 'backup-s3-moved',
    classifier: backupTargetsChanged,
    plan: [
      ['care', 'backup-target:s3', ['https://backup.example.com/milvus-points are no longer listed', 'https://backup.example.com/milvus-points-2']],
      ['safe', 'backup-target:directory', ['a new target']],
    ],
  },
  // Monitoring
  {
    fixture: 'monitoring-stack-add',
    classifier: prometheusChanged,
    plan: [
      ['care', 'prometheus-add:gp22aitppapmgr2', ['deploy starts milvus_prometheus', '/mnt/data/prometheus', 'secret must exist first']],
      ['care', 'alertmanager-add:gp22aitppapmgr3', ['deploy starts milvus_alertmanager']],
      ['safe', 'monitoring-files:milvus', ["deploy writes them into milvus_prometheus's data dir and reloads it (POST /-/reload): nothing restarts"]],
    ],
  },
  {
    fixture: 'monitoring-stack-moved',
    classifier: prometheusChanged,
    plan: [
      ['care', 'prometheus-move:gp22aitppapmgr2', ['empty data dir', 'history stays behind']],
      ['care', 'prometheus-port:9092', ['stop reaching milvus_prometheus']],
      ['care', 'alertmanager-webhook-secret:alertmanager_webhook_url', ['until the new secret exists']],
      ['safe', 'prometheus-image:prom/prometheus:v3.16.1', ['restarts on the new image']],
      ['safe', 'prometheus-retention:15', ['older samples are kept']],
    ],
  },
  { fixture: 'monitoring-stack-moved', classifier: alertmanagerChanged, plan: [['care', 'prometheus-move:gp22aitppapmgr2', []], ['care', 'prometheus-port:9092', []], ['care', 'alertmanager-webhook-secret:alertmanager_webhook_url', []], ['safe', 'prometheus-image:prom/prometheus:v3.16.1', []], ['safe', 'prometheus-retention:15', []]] },
  {
    fixture: 'monitoring-stack-remove',
    classifier: alertmanagerChanged,
    plan: [
      ['care', 'alertmanager-remove:gp22aitppapmgr3', ['leaves the stack file', 'stays until removed by hand']],
      ['safe', 'monitoring-files:milvus', []],
    ],
  },
  {
    fixture: 'monitoring-settings',
    classifier: monitoringSettingsChanged,
    plan: [
      ['care', 'minio-metrics-token-file:/run/secrets/minio_metrics_token', ['every MinIO target is down']],
      ['safe', 'scrape-interval:15', ['Prometheus reloads its files, nothing restarts']],
      ['safe', 'notification-timers:production', ['load it into the Alertmanager you run']],
      ['safe', 'alert-for:MinioNodeDown', ['only alerts.yml changes', 'load it into the Prometheus you run']],
      ['safe', 'runbook-url:production', ["only the alerts' annotations change"]],
      ['safe', 'monitoring-files:milvus', ['copy them to the Prometheus you run']],
    ],
  },
  {
    fixture: 'monitoring-files-follow',
    classifier: monitoringFilesChanged,
    plan: [
      ['safe', 'proxy-replicas:etcd-proxy', []],
      ['safe', 'monitoring-files:milvus', ['what Prometheus scrapes or alerts on follows the clusters']],
    ],
  },
];

describe('plan corpus: one before/after pair per kind of change', () => {
  it.each(cases.map((entry) => [entry.classifier.name, entry.fixture, entry] as const))('%s (%s)', (_, fixture, { classifier, plan }) => {
    const changes = planFixture(fixture);
    expect(changes.map((change) => [change.class, change.id])).toEqual(plan.map(([changeClass, id]) => [changeClass, id]));
    for (const [, id, words] of plan) {
      const why = changes.find((change) => change.id === id)!.why;
      for (const word of words) expect(why, `why of ${id}`).toContain(word);
    }
    const own = classifier(comparisonOf(fixture));
    expect(own.length, `${classifier.name} reports its own change`).toBeGreaterThan(0);
    for (const change of own) expect(plan.map(([changeClass, id]) => `${changeClass} ${id}`)).toContain(`${change.class} ${change.id}`);
  });

  it('tests every classifier of the checklist at least once (the nginx template has its own tests)', async () => {
    const { checklist } = await import('../../generator/plan/checklist.ts');
    const tested = new Set(cases.map((entry) => entry.classifier));
    const untested = checklist.filter((item) => !tested.has(item.classify)).map((item) => item.classify.name);
    expect(untested).toEqual(['nginxTemplateChanged']);
  });

  it('gives every care change a procedure, and ids that acknowledge: accepts and that are unique in a plan', () => {
    for (const { fixture } of cases) {
      const changes = planFixture(fixture);
      for (const change of changes) {
        expect(change.id).toMatch(/^[a-z0-9-]+:.+$/);
        if (change.class === 'care') expect(change.procedure?.length ?? 0, change.id).toBeGreaterThan(0);
      }
      expect(new Set(changes.map((change) => change.id)).size, fixture).toBe(changes.length);
    }
  });
});
