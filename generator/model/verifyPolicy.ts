// What verify's own MinIO user may do: exactly the calls generator/verify/minioChecks.ts makes, on the topology's
// buckets, and nothing of Milvus's data outside verify's probe prefix. Deploy puts it on the user as a canned policy
// (deploy/verifyUser.ts); MinIO checks each call against it (actions: MinIO cmd/*-handlers.go, checkRequestAuthType).
// verify only reads the buckets: creating them and setting their policies is deploy's (phases/buckets.ts, as root). A
// bucket-policy right would let this user open Milvus's bucket to anyone (issue 23: set, then read anonymously).
//
//   verify's call (npm minio)              MinIO's action            resource
//   getBucketPolicy (also: does it exist)  s3:GetBucketPolicy        each topology bucket
//   listObjects (stale probes)             s3:ListBucket             Milvus's bucket, only with prefix=<probe prefix>
//   putObject / statObject, getObject      s3:PutObject / s3:GetObject   Milvus's bucket, <probe prefix>*
//   removeObject(s)                        s3:DeleteObject           Milvus's bucket, <probe prefix>*
//   GET /minio/v2/metrics/cluster (JWT)    admin:Prometheus          (admin actions take no resource)
//   GET /minio/admin/v3/storageinfo        admin:StorageInfo         (the failure budget: each drive's state)
//
// No s3:ListBucket on a whole bucket: verify does not use HEAD bucket (which needs it), so it cannot list the names of
// Milvus's objects. No s3:GetBucketLocation: verify's client is given the region.
import type { Topology } from '../topology/schema.ts';
import { VERIFY_PROBE_PREFIX } from '../topology/toolPrefixes.ts';
import type { PolicyDocument } from './types.ts';

export { VERIFY_PROBE_PREFIX };
export const VERIFY_POLICY_NAME = 'milvus-swarm-verify';

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

export function verifyPolicyDocument(buckets: readonly { name: string }[], milvusBucket: string, probePrefix = VERIFY_PROBE_PREFIX): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TopologyBuckets',
        Effect: 'Allow',
        Action: ['s3:GetBucketPolicy'],
        Resource: buckets.map((bucket) => bucketArn(bucket.name)),
      },
      {
        Sid: 'ProbeListing',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [bucketArn(milvusBucket)],
        Condition: { StringLike: { 's3:prefix': [`${probePrefix}*`] } },
      },
      {
        Sid: 'ProbeObjects',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: [`${bucketArn(milvusBucket)}/${probePrefix}*`],
      },
      { Sid: 'Metrics', Effect: 'Allow', Action: ['admin:Prometheus'] },
      // Read-only: drives' states, the parity and the sets, which the failure budget counts (verify/failureBudget.ts).
      { Sid: 'FailureBudget', Effect: 'Allow', Action: ['admin:StorageInfo'] },
    ],
  };
}

export function verifyPolicy(topology: Topology): { name: string; document: PolicyDocument; probePrefix: string } {
  return { name: VERIFY_POLICY_NAME, document: verifyPolicyDocument(topology.minio.buckets, topology.milvus.bucket), probePrefix: VERIFY_PROBE_PREFIX };
}
