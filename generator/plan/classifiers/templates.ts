// The nginx template (conf/nginx/nginx.conf.hbs) is one file for every environment: compared by what it renders
// for this environment, so a change the proxies never see is no change.
import { renderNginxConf } from '../../render/nginxConf.ts';
import { care, changeId, safe } from '../change.ts';
import type { Classifier } from '../comparison.ts';
import { code, deploy, verify } from '../runbook.ts';

/** nginx directives without comments and layout: `#` starts a comment outside quoted strings. */
export function nginxDirectives(conf: string): string {
  return conf
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
    .join('\n')
    .replace(/\s+/g, ' ');
}

export const nginxTemplateChanged: Classifier = ({ environment, after, templates }) => {
  if (!templates || templates.before.nginxConf === templates.after.nginxConf) return [];
  const proxy = after.topology.minio.proxy.name;
  const id = changeId('nginx-template', proxy);
  let rendered: [string, string];
  try {
    rendered = [renderNginxConf(after.model, templates.before.nginxConf), renderNginxConf(after.model, templates.after.nginxConf)];
  } catch (error) {
    // A template that does not render is a change too; render and check report it in full.
    return [care(id, 'nginx template changed', `the template does not render for ${environment}: ${(error as Error).message.split('\n')[0]}`, ['fix conf/nginx/nginx.conf.hbs until `npx milvus-swarm check` passes'])];
  }
  const [was, is] = rendered;
  if (was === is) return [];
  if (nginxDirectives(was) === nginxDirectives(is)) {
    return [safe(id, 'nginx template changed: comments or layout only', `${proxy} gets a new config (its name carries the content hash), so its replicas roll over one at a time with the same directives`)];
  }
  const image = after.topology.minio.proxy.image;
  return [
    care(
      id,
      'nginx template changed: directives differ',
      `the MinIO load balancer's config changes: swarm ships it as a new config and replaces ${proxy}'s replicas one at a time; a config nginx rejects keeps the new tasks failing until swarm rolls back`,
      [
        `review the diff of rendered/${environment}/nginx.conf`,
        `check it: ${code(`docker run --rm -v "$PWD/rendered/${environment}/nginx.conf:/etc/nginx/nginx.conf:ro" ${image} nginx -t`)}`,
        `${deploy(environment)}, then ${verify(environment)}`,
      ],
    ),
  ];
};
