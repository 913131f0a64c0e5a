// nginx.conf for the MinIO load balancer, from the handlebars template in conf/nginx/ (read by the caller).
import Handlebars from 'handlebars';
import { NGINX_HEALTH_PATH } from '../model/healthchecks.ts';
import type { ClusterModel } from '../model/types.ts';

export interface NginxTemplateContext {
  source: string;
  s3Port: number;
  consolePort: number;
  s3Servers: string[];
  consoleServers: string[];
  healthPath: string;
}

export function nginxTemplateContext(model: ClusterModel): NginxTemplateContext {
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes);
  return {
    source: model.source,
    s3Port: model.minio.proxy.s3Port,
    consolePort: model.minio.proxy.consolePort,
    s3Servers: nodes.map((node) => `${node.name}:${model.minio.apiPort}`),
    consoleServers: nodes.map((node) => `${node.name}:${model.minio.consolePort}`),
    healthPath: NGINX_HEALTH_PATH,
  };
}

export function renderNginxConf(model: ClusterModel, template: string): string {
  // noEscape: this is a config file, not HTML; strict: a misspelt variable is an error, not an empty string.
  const compiled = Handlebars.compile(template, { noEscape: true, strict: true });
  return compiled(nginxTemplateContext(model));
}
