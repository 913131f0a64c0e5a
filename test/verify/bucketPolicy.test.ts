import { describe, expect, it } from 'vitest';
import { anonymousCanRead, cannedLevel, cannedPolicyDocument, describeMeaning, policyMeaning, sameMeaning } from '../../generator/cluster/bucketPolicy.ts';
import type { BucketPolicy } from '../../generator/topology/schema.ts';

const LEVELS: BucketPolicy[] = ['private', 'download', 'upload', 'public'];

/** What MinIO returns for `mc anonymous set download` (its statement order and forms). */
const MINIO_DOWNLOAD =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetBucketLocation","s3:ListBucket"],"Resource":["arn:aws:s3:::b"]},{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}';

describe('bucket policies by meaning', () => {
  it.each(LEVELS)('the canned %s document means %s', (level) => {
    expect(cannedLevel(policyMeaning('b', cannedPolicyDocument('b', level)))).toBe(level);
  });

  it('reads MinIO\'s own download policy as download', () => {
    expect(sameMeaning(policyMeaning('b', MINIO_DOWNLOAD), 'download')).toBe(true);
    expect(sameMeaning(policyMeaning('b', MINIO_DOWNLOAD), 'public')).toBe(false);
  });

  it('ignores order, Sid, string-or-list, principal spelling and action case', () => {
    const rewritten = JSON.stringify({
      Statement: [
        { Sid: 'objects', Effect: 'Allow', Principal: '*', Action: 's3:getobject', Resource: 'arn:aws:s3:::b/*' },
        { Sid: 'bucket', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: 'arn:aws:s3:::b' },
      ],
    });
    expect(cannedLevel(policyMeaning('b', rewritten))).toBe('download');
  });

  it('expands wildcards: s3:* on everything is public', () => {
    const wildcard = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:*'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] }] });
    expect(cannedLevel(policyMeaning('b', wildcard))).toBe('public');
  });

  it('applies Deny, and ignores statements for other principals', () => {
    const policy = JSON.parse(cannedPolicyDocument('b', 'public'));
    policy.Statement.push({ Effect: 'Deny', Principal: '*', Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] });
    policy.Statement.push({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:user/x'] }, Action: ['s3:*'], Resource: ['arn:aws:s3:::b/*'] });
    expect(cannedLevel(policyMeaning('b', JSON.stringify(policy)))).toBe('download');
  });

  it('calls a prefix-only or conditional grant custom, never one of the levels', () => {
    const prefix = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*' }] });
    expect(cannedLevel(policyMeaning('b', prefix))).toBeUndefined();
    expect(describeMeaning(policyMeaning('b', prefix))).toBe('custom (anonymous nothing whole-bucket; prefixes (arn:aws:s3:::b/public/*))');
    const conditional = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });
    expect(describeMeaning(policyMeaning('b', conditional))).toMatch(/custom .*a condition/);
  });

  it('reads no policy as private, and another bucket\'s policy as nothing for this one', () => {
    expect(cannedLevel(policyMeaning('b', ''))).toBe('private');
    expect(cannedLevel(policyMeaning('other', cannedPolicyDocument('b', 'public')))).toBe('private');
    expect(cannedPolicyDocument('b', 'private')).toBe('');
  });
});

describe('whether anyone may read one object (where restore stages etcd)', () => {
  const key = '.milvus-swarm/restore/x/etcd.db';
  const statement = (fields: Record<string, unknown>) => JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', ...fields }] });
  it('yes under download and public, or a grant covering the prefix; no under private and upload', () => {
    expect(LEVELS.map((level) => [level, anonymousCanRead('b', cannedPolicyDocument('b', level), key)])).toEqual([
      ['private', false],
      ['download', true],
      ['upload', false],
      ['public', true],
    ]);
    expect(anonymousCanRead('b', statement({ Action: 's3:Get*', Resource: 'arn:aws:s3:::b/.milvus-swarm/*' }), key)).toBe(true);
    expect(anonymousCanRead('b', statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/files/*' }), key)).toBe(false);
    expect(anonymousCanRead('b', statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }), key)).toBe(false);
  });
  it('yes when it cannot tell: a condition, Not* elements, text that is not JSON; a Deny is not counted on', () => {
    expect(anonymousCanRead('b', statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), key)).toBe(true);
    expect(anonymousCanRead('b', statement({ NotAction: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }), key)).toBe(true);
    expect(anonymousCanRead('b', '{"Statement": [', key)).toBe(true);
    const withDeny = JSON.stringify({ Statement: [JSON.parse(cannedPolicyDocument('b', 'download')).Statement[1], { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/.milvus-swarm/*' }] });
    expect(anonymousCanRead('b', withDeny, key)).toBe(true);
  });
});
