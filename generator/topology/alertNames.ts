// The alerts the rendered rules can hold (render/alertRules.ts writes them; a set's quorum alerts only where MinIO has
// erasure sets). Here, below the renderer, so the topology's `monitoring.alerts` can be checked against them.
export const ALERT_NAMES = [
  'EtcdMemberDown',
  'EtcdInsufficientMembers',
  'EtcdNoLeader',
  'EtcdFrequentLeaderChanges',
  'EtcdFailedProposals',
  'EtcdSlowFsync',
  'EtcdSlowCommit',
  'EtcdDatabaseNearQuota',
  'EtcdDatabaseQuotaExhausted',
  'EtcdDatabaseFragmented',
  'EtcdProxyReplicasMissing',
  'MinioNodeDown',
  'MinioClusterSeesNodesOffline',
  'MinioDrivesOffline',
  'MinioUsableCapacityLow',
  'MinioCapacityShortOfRecoveryWindow',
  'MinioS3ServerErrors',
  'EtcdFailureBudgetExhausted',
  'MinioFailureBudgetExhausted',
  'MinioWriteQuorumLost',
  'MinioReadQuorumLost',
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];

export const isAlertName = (name: string): name is AlertName => (ALERT_NAMES as readonly string[]).includes(name);
