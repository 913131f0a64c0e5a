// Which topology fields differ, and whether a classifier looks at them: the plan's net for fields nobody classifies.
import { formatPath, type TopologyPath } from '../topology/problems.ts';

/** Paths of the leaves that differ; an array element on one side only is reported whole. Objects compare by key. */
export function differingFields(before: unknown, after: unknown, path: TopologyPath = []): TopologyPath[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      index < before.length && index < after.length ? differingFields(before[index], after[index], [...path, index]) : [[...path, index]],
    ).flat();
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => (key in before && key in after ? differingFields(before[key], after[key], [...path, key]) : [[...path, key]]));
  }
  return Object.is(before, after) ? [] : [path];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A field pattern: `etcd.members[].host`, where `[]` stands for any index. A pattern covers a path when one is a
 * prefix of the other: `minio.env` covers every variable, and `etcd.members[].name` covers a member added whole.
 */
export function covers(pattern: string, path: TopologyPath): boolean {
  const wanted = pattern.replace(/\[\]/g, '.[]').split('.').filter((segment) => segment !== '');
  const found = path.map((segment) => (typeof segment === 'number' ? '[]' : segment));
  const length = Math.min(wanted.length, found.length);
  return wanted.slice(0, length).every((segment, index) => segment === found[index]);
}

export const fieldName = formatPath;
