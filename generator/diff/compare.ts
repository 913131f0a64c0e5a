// A running service against the rendered one, field by field, and what a deploy would do about each difference.
// Pure. A value that may be a credential is never shown: only that it differs (a runbook's MinIO keeps its root
// password inline in its environment, and diff's output ends up in job summaries).
import { looksLikeCredentialName } from '../topology/rules/credentials.ts';
import type { ServiceShape } from './serviceShape.ts';

export interface FieldDifference {
  /** `image`, `environment MINIO_FOO`, `mounts`, `replicas`… */
  field: string;
  live: string;
  rendered: string;
  /** Whether a deploy restarts the service's tasks for it (a field of the task template), or updates it in place. */
  restarts: boolean;
}

const NOT_SET = '(not set)';
const HIDDEN = '(value not shown)';

const show = (value: unknown): string => {
  if (value === undefined) return NOT_SET;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry))).join(' ');
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? '(none)' : entries.map(([key, entry]) => `${key}=${typeof entry === 'string' ? entry : JSON.stringify(entry)}`).join(', ');
  }
  return String(value);
};

/** JSON with object keys sorted: swarm returns labels and maps in its own order. */
const canonical = (value: unknown): string => JSON.stringify(value, (_, entry: unknown) => (entry && typeof entry === 'object' && !Array.isArray(entry) ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => a.localeCompare(b))) : entry));

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** For two lists of flags or words: what only the live side has and what only the rendered side has. */
function listDifference(field: string, live: readonly string[], rendered: readonly string[], restarts: boolean): FieldDifference[] {
  if (same(live, rendered)) return [];
  const onlyLive = live.filter((entry) => !rendered.includes(entry));
  const onlyRendered = rendered.filter((entry) => !live.includes(entry));
  if (onlyLive.length === 0 && onlyRendered.length === 0) return [{ field: `${field} (order)`, live: show(live), rendered: show(rendered), restarts }];
  return [{ field, live: show(onlyLive), rendered: show(onlyRendered), restarts }];
}

function environmentDifferences(live: Record<string, string>, rendered: Record<string, string>): FieldDifference[] {
  const names = [...new Set([...Object.keys(live), ...Object.keys(rendered)])].sort();
  return names
    .filter((name) => live[name] !== rendered[name])
    .map((name) => {
      const secret = looksLikeCredentialName(name);
      const side = (value: string | undefined) => (value === undefined ? NOT_SET : secret ? HIDDEN : value);
      return { field: `environment ${name}`, live: side(live[name]), rendered: side(rendered[name]), restarts: true };
    });
}

/** Every field that differs; none means the service runs what is rendered. */
export function compareShapes(live: ServiceShape, rendered: ServiceShape): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const field = (name: string, liveValue: unknown, renderedValue: unknown, restarts: boolean) => {
    if (!same(liveValue, renderedValue)) differences.push({ field: name, live: show(liveValue), rendered: show(renderedValue), restarts });
  };
  field('image', live.image, rendered.image, true);
  differences.push(...listDifference('entrypoint', live.entrypoint, rendered.entrypoint, true));
  differences.push(...listDifference('command', live.args, rendered.args, true));
  field('hostname', live.hostname || undefined, rendered.hostname || undefined, true);
  differences.push(...environmentDifferences(live.environment, rendered.environment));
  field('mounts', live.mounts.map(mountText), rendered.mounts.map(mountText), true);
  field('secrets', live.secrets.map((secret) => `${secret.name}→${secret.target}`), rendered.secrets.map((secret) => `${secret.name}→${secret.target}`), true);
  field('configs', live.configs.map((config) => `${config.name}→${config.target}`), rendered.configs.map((config) => `${config.name}→${config.target}`), true);
  field('ports', live.ports.map(portText), rendered.ports.map(portText), true);
  field('networks', live.networks, rendered.networks, true);
  field('placement', live.constraints, rendered.constraints, true);
  field('max replicas per node', live.maxReplicasPerNode || undefined, rendered.maxReplicasPerNode || undefined, true);
  field('healthcheck', live.healthcheck, rendered.healthcheck, true);
  field('sysctls', live.sysctls, rendered.sysctls, true);
  field('restart policy', live.restart, rendered.restart, true);
  field('endpoint mode', live.endpointMode, rendered.endpointMode, true);
  field('mode', live.mode, rendered.mode, true);
  field('replicas', live.replicas, rendered.replicas, false);
  field('labels', live.labels, rendered.labels, false);
  field('update config', live.update, rendered.update, false);
  field('rollback config', live.rollback, rendered.rollback, false);
  return differences;
}

const mountText = (mount: ServiceShape['mounts'][number]) => `${mount.type}:${mount.source}→${mount.target}${mount.readOnly ? ':ro' : ''}`;
const portText = (port: ServiceShape['ports'][number]) => `${port.published}→${port.target}/${port.protocol} (${port.mode})`;
