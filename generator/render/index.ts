// Everything one environment renders to, as { file name → text }: pure, no I/O, no clock.
import type { ClusterModel } from '../model/types.ts';
import { nginxConfigName } from './configName.ts';
import { renderMilvusConfig } from './milvusConfig.ts';
import { renderNginxConf } from './nginxConf.ts';
import { renderPrepareHosts } from './prepareHosts.ts';
import { renderReadme } from './readme.ts';
import { renderStack } from './stack.ts';

/** Static inputs the renderers need (read by the caller from conf/). */
export interface Templates {
  nginxConf: string;
}

export const ENVIRONMENT_FILES = ['README.md', 'milvus.yaml', 'nginx.conf', 'prepare-hosts.sh', 'stack.yaml'] as const;
export type EnvironmentFile = (typeof ENVIRONMENT_FILES)[number];

export function renderEnvironment(model: ClusterModel, templates: Templates): Map<EnvironmentFile, string> {
  const nginxConf = renderNginxConf(model, templates.nginxConf);
  const configName = nginxConfigName(model.stack, nginxConf);
  return new Map<EnvironmentFile, string>([
    ['README.md', renderReadme(model, configName)],
    ['milvus.yaml', renderMilvusConfig(model)],
    ['nginx.conf', nginxConf],
    ['prepare-hosts.sh', renderPrepareHosts(model)],
    ['stack.yaml', renderStack(model, configName)],
  ]);
}
