// The topology's bucket policies as the documents `mc anonymous set download|upload|public` writes (minio-go's
// canned policies), and a comparison by meaning: the set of (effect, action, resource) anonymous grants.
import type { BucketPolicy } from '../../../generator/topology/schema.ts';

const READ_BUCKET = ['s3:GetBucketLocation', 's3:ListBucket'];
const READ_OBJECT = ['s3:GetObject'];
const WRITE_BUCKET = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'];
const WRITE_OBJECT = ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:PutObject'];

/** The policy document for a topology policy; '' for private (no policy: anonymous clients get nothing). */
export function cannedPolicy(bucket: string, policy: BucketPolicy): string {
  if (policy === 'private') return '';
  const bucketActions = new Set([...(policy !== 'upload' ? READ_BUCKET : []), ...(policy !== 'download' ? WRITE_BUCKET : [])]);
  const objectActions = new Set([...(policy !== 'upload' ? READ_OBJECT : []), ...(policy !== 'download' ? WRITE_OBJECT : [])]);
  const statement = (actions: Set<string>, resource: string) => ({ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: [...actions].sort(), Resource: [resource] });
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [statement(bucketActions, `arn:aws:s3:::${bucket}`), statement(objectActions, `arn:aws:s3:::${bucket}/*`)],
  });
}

/** "Allow s3:GetObject arn:aws:s3:::b/*" lines of the anonymous statements, sorted; [] for no policy. */
export function anonymousGrants(policyText: string): string[] {
  if (policyText.trim() === '') return [];
  const document = JSON.parse(policyText) as { Statement?: Array<{ Effect: string; Principal: unknown; Action: string | string[]; Resource: string | string[] }> };
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  const anonymous = (principal: unknown) =>
    principal === '*' || (typeof principal === 'object' && principal !== null && list((principal as { AWS: string | string[] }).AWS ?? []).includes('*'));
  const grants = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (!anonymous(statement.Principal)) continue;
    for (const action of list(statement.Action)) for (const resource of list(statement.Resource)) grants.add(`${statement.Effect} ${action} ${resource}`);
  }
  return [...grants].sort();
}
