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

/**
 * The monitoring files travel the same way to the one-shot job that writes them into Prometheus's and Alertmanager's
 * data dirs (deploy/operations/monitoringFiles.ts): a changed rule file is a new config, never one edited in place.
 */
export function monitoringConfigName(stack: string, kind: Extract<ConfigKind, 'prom_conf' | 'prom_rules' | 'am_conf'>, text: string): string {
  return hashedConfigName(stack, kind, contentHash(text));
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);
}

/** Whether a config's name is one this scheme gives to nginx.conf. */
export function isNginxConfigName(stack: string, name: string): boolean {
  return hasKind(stack, 'nginx_conf', name);
}

/**
 * Whether a config's name is one this scheme gives to nginx.conf or a monitoring file: the only configs deploy ever
 * removes (never the deployed-topology record, never another team's config in the same namespace).
 */
export function isStackFileConfigName(stack: string, name: string): boolean {
  return (['nginx_conf', 'prom_conf', 'prom_rules', 'am_conf'] as const).some((kind) => hasKind(stack, kind, name));
}

function hasKind(stack: string, kind: ConfigKind, name: string): boolean {
  const prefix = `${stack}_${kind}_`;
  return name.startsWith(prefix) && new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`).test(name.slice(prefix.length));
}
