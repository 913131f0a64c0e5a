import { warning } from '../problems.ts';
import type { Rule } from './rule.ts';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * MinIO sends a browser that reaches it through the S3 port to minio.consoleUrl (MINIO_BROWSER_REDIRECT_URL). When
 * that URL names a node of this swarm, only the load balancer's published console port answers there, so any other
 * port is a dead link: a typo, or minio.proxy.consolePort changed without the URL. A URL on another host is left
 * alone: a reverse proxy in front of the console may serve it on any port.
 */
export const consoleUrlReachesConsole: Rule = {
  name: 'console-url-reaches-console',
  why: 'browsers sent to a node of the swarm on a port the MinIO console is not published on',
  check(topology) {
    const url = new URL(topology.minio.consoleUrl);
    const nodes = new Set(['127.0.0.1', 'localhost', ...[...topology.managers, ...topology.hosts].flatMap((node) => [node.ip, ...(node.name ? [node.name] : [])])]);
    const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    const published = topology.minio.proxy.consolePort;
    if (!nodes.has(url.hostname) || port === undefined || port === published) return [];
    return [
      warning(
        ['minio', 'consoleUrl'],
        `${url.host} is a node of this swarm, where the MinIO console is published on port ${published}, not ${port}: browsers sent there find nothing; use port ${published}, or change minio.proxy.consolePort`,
      ),
    ];
  },
};
