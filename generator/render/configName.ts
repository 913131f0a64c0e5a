import { createHash } from 'node:crypto';
import { HASH_LENGTH, hashedConfigName, type ConfigKind } from '../topology/swarmNames.ts';

/**
 * Swarm configs are immutable, so the rendered nginx.conf ships as a config whose name carries its content hash:
 * a changed file is a new config and a rolling update, never an in-place edit. This scheme is a contract (deploy
 * removes unused configs by it): changing it renames every deployed config.
 */
export function nginxConfigName(stack: string, nginxConf: string): string {
  return hashedConfigName(stack, 'nginx_conf', contentHash(nginxConf));
}

/** The monitoring files ship the same way: a changed rule file is a new config. */
export function monitoringConfigName(stack: string, kind: Extract<ConfigKind, 'prom_conf' | 'prom_rules' | 'am_conf'>, text: string): string {
  return hashedConfigName(stack, kind, contentHash(text));
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);
}

/** Whether a config's name is one this scheme gives: the only configs deploy ever removes. */
export function isNginxConfigName(stack: string, name: string): boolean {
  return name.startsWith(`${stack}_nginx_conf_`) && /^[0-9a-f]{12}$/.test(name.slice(`${stack}_nginx_conf_`.length));
}
