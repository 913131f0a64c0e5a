// Buckets and their anonymous access: deploy creates missing buckets and sets their policies (its buckets phase, as
// root; verify only reads them); nothing deletes one.
import type { BucketPolicy } from '../../topology/schema.ts';
import { care, changeId, safe, type Change } from '../change.ts';
import type { Classifier } from '../comparison.ts';
import { code, deploy } from '../runbook.ts';

export const bucketsAdded: Classifier = ({ environment, before, after }) =>
  after.topology.minio.buckets
    .filter((bucket) => !before.topology.minio.buckets.some((existing) => existing.name === bucket.name))
    .map((bucket) =>
      safe(
        changeId('bucket-add', bucket.name),
        `new bucket ${bucket.name} (${bucket.policy})`,
        `${deploy(environment)} creates it with its policy (its buckets phase); nothing restarts`,
      ),
    );

export const bucketsRemoved: Classifier = ({ before, after }) =>
  before.topology.minio.buckets
    .filter((bucket) => !after.topology.minio.buckets.some((kept) => kept.name === bucket.name))
    .map((bucket) =>
      safe(
        changeId('bucket-remove', bucket.name),
        `bucket ${bucket.name} no longer listed`,
        `nothing deletes a bucket: it stays in MinIO with its objects and verify stops checking it; delete it with ${code(`mc rb --force ALIAS/${bucket.name}`)} if that is what you mean`,
      ),
    );

/** What anonymous clients may do under each policy (MinIO's `mc anonymous set`). */
const ANONYMOUS: Record<BucketPolicy, { read: boolean; write: boolean }> = {
  private: { read: false, write: false },
  download: { read: true, write: false },
  upload: { read: false, write: true },
  public: { read: true, write: true },
};

export const bucketPoliciesChanged: Classifier = ({ environment, before, after }) =>
  after.topology.minio.buckets.flatMap((bucket): Change[] => {
    const previous = before.topology.minio.buckets.find((existing) => existing.name === bucket.name);
    if (!previous || previous.policy === bucket.policy) return [];
    const [was, is] = [ANONYMOUS[previous.policy], ANONYMOUS[bucket.policy]];
    const gained = [...(is.read && !was.read ? ['read'] : []), ...(is.write && !was.write ? ['overwrite and delete'] : [])];
    const id = changeId('bucket-policy', bucket.name);
    const what = `bucket ${bucket.name} policy ${previous.policy} → ${bucket.policy}`;
    if (gained.length === 0) {
      return [safe(id, what, `anonymous access narrows: deploy sets the policy (its buckets phase), and anonymous clients of ${bucket.name} lose access`)];
    }
    return [
      care(id, what, `anonymous access widens: anyone who reaches the load balancer may ${gained.join(' and ')} objects in ${bucket.name} (Milvus signs its requests and needs none of it)`, [
        `confirm that nobody outside should be kept from doing that`,
        `${deploy(environment)} sets the policy (its buckets phase)`,
      ]),
    ];
  });
