// Everything one environment renders to, as { file name → text }: pure, no I/O, no clock. Each file is one entry of
// ENVIRONMENT_RENDERERS (a new file is a module and a line here); the writer, check and --out's guard read the list.
import type { ClusterModel } from '../model/types.ts';
import { nginxConfigName } from './configName.ts';
import { renderCreateSecrets } from './createSecrets.ts';
import { renderMilvusConfig } from './milvusConfig.ts';
import { renderNginxConf } from './nginxConf.ts';
import { renderPrepareHosts } from './prepareHosts.ts';
import { renderReadme } from './readme.ts';
import { renderStack } from './stack.ts';

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
  { file: 'stack.yaml', render: ({ model, nginxConfigName }) => renderStack(model, nginxConfigName) },
] as const satisfies readonly EnvironmentRenderer[];

export type EnvironmentFile = (typeof ENVIRONMENT_RENDERERS)[number]['file'];
export const ENVIRONMENT_FILES: readonly EnvironmentFile[] = ENVIRONMENT_RENDERERS.map((renderer) => renderer.file);

export function renderEnvironment(model: ClusterModel, templates: Templates): Map<EnvironmentFile, string> {
  const nginxConf = renderNginxConf(model, templates.nginxConf);
  const context: RenderContext = { model, templates, nginxConf, nginxConfigName: nginxConfigName(model.stack, nginxConf) };
  return new Map(ENVIRONMENT_RENDERERS.map((renderer) => [renderer.file, renderer.render(context)]));
}
