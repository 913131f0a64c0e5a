// The diff report as a person reads it: markdown for a job summary (and, wrapped, for a terminal); the CLI's --json
// prints the value itself. A view: it decides nothing.
import type { DiffReport, ServiceDiff, ServiceState } from './diff.ts';

const STATES: Record<ServiceState, string> = {
  'in-sync': 'in sync',
  differs: 'differs',
  missing: 'missing',
  takeover: 'not deployed by milvus-swarm (takeover)',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function differencesCell(service: ServiceDiff): string {
  if (service.differences.length === 0) return service.state === 'missing' ? 'not running' : '';
  return service.differences.map((difference) => `${difference.field}: ${difference.live} → ${difference.rendered}`).map(cell).join('<br>');
}

/** One line: `in sync`, or how many services differ and whether it is a takeover. */
export function diffVerdict(report: DiffReport): string {
  if (report.inSync) return `diff ${report.environment}: in sync with rendered/${report.environment}/`;
  const differing = report.services.filter((service) => service.state !== 'in-sync').length;
  const parts = [
    ...(differing > 0 ? [`${differing} of ${report.services.length} services differ`] : []),
    ...(report.orphans.length > 0 ? [`${report.orphans.length} to remove`] : []),
    ...(report.nodeLabels.length > 0 ? [`${report.nodeLabels.length} node label change${report.nodeLabels.length === 1 ? '' : 's'}`] : []),
    ...(report.missingSecrets.length > 0 ? [`${report.missingSecrets.length} secret${report.missingSecrets.length === 1 ? '' : 's'} missing`] : []),
  ];
  return `diff ${report.environment}: ${parts.join(', ')}${report.takeover ? ' — a takeover of services milvus-swarm did not deploy' : ''}`;
}

export function formatDiffMarkdown(report: DiffReport): string {
  const lines = [`## ${diffVerdict(report)}`, ''];
  if (report.takeover) {
    lines.push(
      `The next \`npx milvus-swarm deploy --env ${report.environment}\` takes these services over: it checks first that every etcd member and MinIO node would start on the data it runs on now (and refuses otherwise), restarts what differs in the order below, and labels them as milvus-swarm's.`,
      '',
    );
  }
  const shown = report.services.filter((service) => service.state !== 'in-sync');
  if (shown.length > 0) {
    lines.push('| service | state | what deploy does | data at stake | live → rendered |', '| --- | --- | --- | --- | --- |');
    for (const service of shown) lines.push(`| ${service.service} | ${STATES[service.state]} | ${cell(service.deploy)} | ${cell(service.dataAtStake ?? '')} | ${differencesCell(service)} |`);
    lines.push('');
  }
  const inSync = report.services.filter((service) => service.state === 'in-sync').map((service) => service.service);
  if (inSync.length > 0 && shown.length > 0) lines.push(`In sync: ${inSync.join(', ')}.`, '');
  if (report.orphans.length > 0) lines.push(`milvus-swarm's own services the topology no longer has, which deploy removes: ${report.orphans.join(', ')}.`, '');
  if (report.nodeLabels.length > 0) lines.push('Node labels:', '', ...report.nodeLabels.map((line) => `- ${line}`), '');
  if (report.missingSecrets.length > 0) {
    lines.push(
      `Secrets the topology names that do not exist (deploy refuses until they do): ${report.missingSecrets.map((name) => `\`${name}\``).join(', ')} — \`printf '%s' "$VALUE" | docker secret create NAME -\`.`,
      '',
    );
  }
  if (report.foreign.length > 0) lines.push(`Left alone (in the stack's namespace, not milvus-swarm's): ${report.foreign.join(', ')}.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
