import { didYouMean } from '../didYouMean.ts';
import { error, warning, type Problem } from '../problems.ts';
import type { Rule } from './rule.ts';

/** S3's bucket naming rules (AWS "Bucket naming rules"), which MinIO enforces too. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long, got ${name.length}`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may only contain lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-')) return 'must not start with "xn--" or "sthree-"';
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'must not end with "-s3alias" or "--ol-s3"';
  return undefined;
}

export const bucketNamesValid: Rule = {
  name: 'bucket-names-valid',
  why: 'MinIO refuses bucket names that break the S3 naming rules',
  check(topology) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    topology.minio.buckets.forEach((bucket, index) => {
      const problem = bucketNameProblem(bucket.name);
      if (problem) problems.push(error(['minio', 'buckets', index, 'name'], `bucket name "${bucket.name}" ${problem}`));
      if (seen.has(bucket.name)) problems.push(error(['minio', 'buckets', index, 'name'], `bucket "${bucket.name}" is listed twice`));
      seen.add(bucket.name);
    });
    return problems;
  },
};

/** Milvus writes every segment into this bucket; a name deploy does not create makes Milvus fail at start. */
export const milvusBucketDefined: Rule = {
  name: 'milvus-bucket-defined',
  why: "Milvus's minio.bucketName must be a bucket this topology creates",
  check(topology) {
    const names = topology.minio.buckets.map((bucket) => bucket.name);
    if (names.includes(topology.milvus.bucket)) return [];
    return [error(['milvus', 'bucket'], `bucket "${topology.milvus.bucket}" is not defined under minio.buckets${didYouMean(topology.milvus.bucket, names)}`)];
  },
};

export const publicBucketWarned: Rule = {
  name: 'public-bucket-warned',
  why: 'a public bucket lets anyone read and overwrite its objects',
  check(topology) {
    return topology.minio.buckets.flatMap((bucket, index) =>
      bucket.policy === 'public'
        ? [warning(['minio', 'buckets', index, 'policy'], `bucket "${bucket.name}" is public: anyone who reaches the load balancer can read, overwrite and delete its objects; use "private" (Milvus signs its requests)`)]
        : [],
    );
  },
};
