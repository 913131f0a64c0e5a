// Everything one environment renders to, as { file name → text }: pure, no I/O, no clock. Each file is one entry of
// ENVIRONMENT_RENDERERS (a new file is a module and a line here); the writer, check and --out's guard read the list.
import { NGINX_CONFIG_KEY } from '../model/minio.ts';
import type { ClusterModel } from '../model/types.ts';
import { renderAlertmanagerConfig } from './alertmanagerConfig.ts';
import { renderAlertRules } from './alertRules.ts';
import { nginxConfigName } from './configName.ts';
import { renderCreateSecrets } from './createSecrets.ts';
import { dashboards, renderDashboard } from './dashboards.ts';
import { renderMonitoringReadme } from './monitoringReadme.ts';
import { renderMilvusConfig } from './milvusConfig.ts';
import { renderNginxConf } from './nginxConf.ts';
import { renderPrepareHosts } from './prepareHosts.ts';
import { renderPrometheusConfig } from './prometheusConfig.ts';
import { renderReadme } from './readme.ts';
import { renderStack, type StackConfig } from './stack.ts';

/** Static inputs the renderers need, read by the caller (workspace/repository.ts readTemplates, the one reader). */
export interface Templates {
  nginxConf: string;
}

/** What more than one file needs, derived once per environment. */
export interface RenderContext {
  model: ClusterModel;
  templates: Templates;
  nginxConf: string;
  /** The swarm config that ships nginx.conf: its name carries the content hash (configName.ts). */
  nginxConfigName: string;
  /** Files more than one renderer needs. */
  prometheusConfig: string;
  alertRules: string;
  alertmanagerConfig: string;
  /** Every swarm config of the stack (nginx.conf). */
  stackConfigs: StackConfig[];
}

export interface EnvironmentRenderer {
  file: string;
  render: (context: RenderContext) => string;
}

export const ENVIRONMENT_RENDERERS = [
  { file: 'README.md', render: ({ model, nginxConfigName }) => renderReadme(model, nginxConfigName) },
  { file: 'create-secrets.sh', render: ({ model }) => renderCreateSecrets(model) },
  { file: 'milvus.yaml', render: ({ model }) => renderMilvusConfig(model) },
  { file: 'nginx.conf', render: ({ nginxConf }) => nginxConf },
  { file: 'prepare-hosts.sh', render: ({ model }) => renderPrepareHosts(model) },
  { file: 'stack.yaml', render: ({ model, stackConfigs }) => renderStack(model, stackConfigs) },
  // Files for Prometheus and Alertmanager, in the stack or run by the team (README.md, "Monitoring").
  { file: 'monitoring/prometheus.yml', render: ({ prometheusConfig }) => prometheusConfig },
  { file: 'monitoring/alerts.yml', render: ({ alertRules }) => alertRules },
  { file: 'monitoring/alertmanager.yml', render: ({ alertmanagerConfig }) => alertmanagerConfig },
  { file: 'monitoring/dashboard-etcd.json', render: ({ model }) => renderDashboard(dashboards(model).etcd) },
  { file: 'monitoring/dashboard-minio.json', render: ({ model }) => renderDashboard(dashboards(model).minio) },
  { file: 'monitoring/README.md', render: ({ model }) => renderMonitoringReadme(model) },
] as const satisfies readonly EnvironmentRenderer[];

export type EnvironmentFile = (typeof ENVIRONMENT_RENDERERS)[number]['file'];
export const ENVIRONMENT_FILES: readonly EnvironmentFile[] = ENVIRONMENT_RENDERERS.map((renderer) => renderer.file);

/** The folders files are written in (render --out accepts them in a folder it replaces). */
export const ENVIRONMENT_FOLDERS: readonly string[] = [...new Set(ENVIRONMENT_FILES.filter((file) => file.includes('/')).map((file) => file.split('/')[0]!))];

export function renderEnvironment(model: ClusterModel, templates: Templates): Map<EnvironmentFile, string> {
  const nginxConf = renderNginxConf(model, templates.nginxConf);
  const prometheusConfig = renderPrometheusConfig(model);
  const alertRules = renderAlertRules(model);
  const alertmanagerConfig = renderAlertmanagerConfig(model);
  // Only nginx.conf: the monitoring files reach Prometheus and Alertmanager through their data dirs, reloaded
  // without a restart (model/monitoring.ts says why).
  const stackConfigs: StackConfig[] = [{ key: NGINX_CONFIG_KEY, name: nginxConfigName(model.stack, nginxConf), file: './nginx.conf' }];
  const context: RenderContext = { model, templates, nginxConf, nginxConfigName: stackConfigs[0]!.name, prometheusConfig, alertRules, alertmanagerConfig, stackConfigs };
  return new Map(ENVIRONMENT_RENDERERS.map((renderer) => [renderer.file, renderer.render(context)]));
}
