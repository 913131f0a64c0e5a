// Milvus's objects live under milvus.minioRootPath in its bucket; milvus-swarm writes two prefixes of its own there.
// Where the two meet, the tool's rights and rules would apply to Milvus's data.
import { error } from '../problems.ts';
import { RESERVED_PREFIX, VERIFY_PROBE_PREFIX } from '../toolPrefixes.ts';
import type { Rule } from './rule.ts';

const OWN_PREFIXES = [
  { prefix: VERIFY_PROBE_PREFIX, meaning: "verify's MinIO user may read, list and delete objects there (its probe objects)" },
  { prefix: RESERVED_PREFIX, meaning: 'recovery points never count, keep or restore objects there (a point would record none of Milvus\'s data)' },
] as const;

/** Milvus writes `<rootPath>/insert_log/…`: its keys start with rootPath + "/". Either prefix inside the other is a clash. */
export const milvusRootPathOwn: Rule = {
  name: 'milvus-root-path-own',
  why: "Milvus's objects must not share a prefix milvus-swarm uses for itself (verify's probes, recovery-point markers)",
  check(topology) {
    const keys = `${topology.milvus.minioRootPath}/`;
    const clash = OWN_PREFIXES.find(({ prefix }) => keys.startsWith(prefix) || prefix.startsWith(keys));
    if (!clash) return [];
    const where = keys.startsWith(clash.prefix) ? `is inside ${clash.prefix}` : `holds ${clash.prefix}`;
    return [error(['milvus', 'minioRootPath'], `"${topology.milvus.minioRootPath}" ${where}, milvus-swarm's own prefix: ${clash.meaning}; choose a prefix of Milvus's own, such as files`)];
  },
};
