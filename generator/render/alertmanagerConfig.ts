// monitoring/alertmanager.yml: every alert of this environment to one webhook, whose URL Alertmanager reads from a
// file (webhook_configs url_file: the swarm secret the stack mounts, or a file beside a team's own Alertmanager).
// The URL never appears here: a chat bridge's URL is a credential.
import type { ClusterModel } from '../model/types.ts';
import { generatedHeader, toYaml } from './yaml.ts';

export const WEBHOOK_RECEIVER = 'webhook';

export function renderAlertmanagerConfig(model: ClusterModel): string {
  const config = {
    route: {
      receiver: WEBHOOK_RECEIVER,
      // One notification per alert and environment: an etcd member down and MinIO's budget are separate messages.
      group_by: ['alertname', 'environment'],
      group_wait: seconds(model.monitoring.notifications.groupWaitSeconds),
      group_interval: seconds(model.monitoring.notifications.groupIntervalSeconds),
      repeat_interval: seconds(model.monitoring.notifications.repeatIntervalMinutes * 60),
    },
    // A lost quorum explains its members' and sets' smaller alerts: while it fires they stay quiet.
    inhibit_rules: [
      { source_matchers: ['alertname="EtcdInsufficientMembers"'], target_matchers: ['alertname=~"EtcdFailureBudgetExhausted|EtcdNoLeader|EtcdFailedProposals"'], equal: ['environment'] },
      { source_matchers: ['alertname="MinioWriteQuorumLost"'], target_matchers: ['alertname="MinioFailureBudgetExhausted"'], equal: ['environment', 'pool', 'set'] },
    ],
    receivers: [{ name: WEBHOOK_RECEIVER, webhook_configs: [{ url_file: model.monitoring.webhookUrlFile, send_resolved: true }] }],
  };
  const where = model.monitoring.alertmanager
    ? `# The stack's Alertmanager reads the URL from the swarm secret ${model.monitoring.secrets.webhookUrl}.\n`
    : `# For an Alertmanager you run: put the webhook URL in ${model.monitoring.webhookUrlFile} (one line, nothing else).\n`;
  return `${generatedHeader('#', model.source)}${where}${toYaml(config, ['group_by', 'source_matchers', 'target_matchers', 'equal'])}`;
}

/** Alertmanager's duration: `30s`, `5m`, `4h` (model.Duration prints the largest whole unit). */
function seconds(value: number): string {
  if (value > 0 && value % 3600 === 0) return `${value / 3600}h`;
  if (value > 0 && value % 60 === 0) return `${value / 60}m`;
  return `${value}s`;
}
