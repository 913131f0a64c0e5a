// nginx.conf for the MinIO load balancer, from the handlebars template in conf/nginx/ (read by the caller).
import Handlebars from 'handlebars';
import { NGINX_HEALTH_PATH } from '../model/healthchecks.ts';
import type { ClusterModel } from '../model/types.ts';
import { commentText, nginxQuote } from './quote.ts';

/**
 * What the template prints, each value already written for where it stands: `source` for a `#` comment, the rest as
 * nginx strings (quoted, so no value can end a directive or start another). The template only places them.
 */
export interface NginxTemplateContext {
  source: string;
  s3Port: string;
  consolePort: string;
  s3Servers: string[];
  consoleServers: string[];
  healthPath: string;
}

export function nginxTemplateContext(model: ClusterModel): NginxTemplateContext {
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes);
  return {
    source: commentText(model.source),
    s3Port: nginxQuote(String(model.minio.proxy.s3Port)),
    consolePort: nginxQuote(String(model.minio.proxy.consolePort)),
    s3Servers: nodes.map((node) => nginxQuote(`${node.name}:${model.minio.apiPort}`)),
    consoleServers: nodes.map((node) => nginxQuote(`${node.name}:${model.minio.consolePort}`)),
    healthPath: nginxQuote(NGINX_HEALTH_PATH),
  };
}

export function renderNginxConf(model: ClusterModel, template: string): string {
  // noEscape: this is a config file, not HTML; strict: a misspelt variable is an error, not an empty string.
  const compiled = Handlebars.compile(template, { noEscape: true, strict: true });
  return compiled(nginxTemplateContext(model));
}
