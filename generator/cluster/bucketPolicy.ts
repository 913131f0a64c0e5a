// Bucket policies compared by meaning, not text: what anonymous clients may do with the whole bucket. The topology's
// four levels are mc's canned anonymous policies (`mc anonymous set none|download|upload|public`, minio-go
// pkg/policy): the same statements in any order, any Sid, a string or a list, Principal "*" or {"AWS": ["*"]} all
// mean the same; a prefix, a condition or Not* elements make a policy "custom".
import type { BucketPolicy } from '../topology/schema.ts';

const BUCKET = 'bucket';
const OBJECT = 'object';

/** Every capability a canned policy grants, as `resource-kind action`. */
const CAPABILITIES = [
  `${BUCKET} s3:GetBucketLocation`,
  `${BUCKET} s3:ListBucket`,
  `${BUCKET} s3:ListBucketMultipartUploads`,
  `${OBJECT} s3:GetObject`,
  `${OBJECT} s3:PutObject`,
  `${OBJECT} s3:DeleteObject`,
  `${OBJECT} s3:AbortMultipartUpload`,
  `${OBJECT} s3:ListMultipartUploadParts`,
] as const;

const READ = [`${BUCKET} s3:GetBucketLocation`, `${BUCKET} s3:ListBucket`, `${OBJECT} s3:GetObject`];
const WRITE = [
  `${BUCKET} s3:GetBucketLocation`,
  `${BUCKET} s3:ListBucketMultipartUploads`,
  `${OBJECT} s3:AbortMultipartUpload`,
  `${OBJECT} s3:DeleteObject`,
  `${OBJECT} s3:ListMultipartUploadParts`,
  `${OBJECT} s3:PutObject`,
];

export const CANNED: Record<BucketPolicy, ReadonlySet<string>> = {
  private: new Set(),
  download: new Set(READ),
  upload: new Set(WRITE),
  public: new Set([...READ, ...WRITE]),
};

export interface PolicyMeaning {
  /** Capabilities anonymous clients hold on the whole bucket. */
  grants: Set<string>;
  /** Parts we cannot reduce to whole-bucket grants (prefixes, conditions, Not* elements, other principals' denies). */
  custom: string[];
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: unknown;
}

/** The meaning of a policy document; '' or no document is private. Unparseable text is custom. */
export function policyMeaning(bucket: string, text: string): PolicyMeaning {
  const grants = new Set<string>();
  const custom: string[] = [];
  if (text.trim() === '') return { grants, custom };
  let document: { Statement?: Statement | Statement[] };
  try {
    document = JSON.parse(text);
  } catch {
    return { grants, custom: ['not valid JSON'] };
  }
  const statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const denied = new Set<string>();
  for (const statement of statements) {
    if (statement.NotPrincipal !== undefined || statement.NotAction !== undefined || statement.NotResource !== undefined) {
      custom.push('NotPrincipal/NotAction/NotResource');
      continue;
    }
    if (!isAnonymous(statement.Principal)) continue;
    const covered = coveredCapabilities(bucket, list(statement.Action), list(statement.Resource));
    const target = statement.Effect === 'Deny' ? denied : grants;
    if (statement.Condition !== undefined && statement.Effect !== 'Deny') {
      if (covered.whole.size + covered.partial.length > 0) custom.push('a condition');
      continue;
    }
    for (const capability of covered.whole) target.add(capability);
    if (statement.Effect !== 'Deny' && covered.partial.length > 0) custom.push(`prefixes (${covered.partial.join(', ')})`);
  }
  for (const capability of denied) grants.delete(capability);
  return { grants, custom: [...new Set(custom)] };
}

/** Which canned level a meaning is, or undefined for anything else. */
export function cannedLevel(meaning: PolicyMeaning): BucketPolicy | undefined {
  if (meaning.custom.length > 0) return undefined;
  return (Object.keys(CANNED) as BucketPolicy[]).find((level) => sameSet(CANNED[level], meaning.grants));
}

export function sameMeaning(meaning: PolicyMeaning, expected: BucketPolicy): boolean {
  return cannedLevel(meaning) === expected;
}

/** For a reason line: "download", or "custom (anonymous read, write; prefixes (...))". */
export function describeMeaning(meaning: PolicyMeaning): string {
  const level = cannedLevel(meaning);
  if (level) return level;
  const can = [
    ...(meaning.grants.has(`${OBJECT} s3:GetObject`) ? ['read'] : []),
    ...(meaning.grants.has(`${BUCKET} s3:ListBucket`) ? ['list'] : []),
    ...(meaning.grants.has(`${OBJECT} s3:PutObject`) ? ['write'] : []),
    ...(meaning.grants.has(`${OBJECT} s3:DeleteObject`) ? ['delete'] : []),
  ];
  return `custom (anonymous ${can.length > 0 ? can.join(', ') : 'nothing whole-bucket'}${meaning.custom.length > 0 ? `; ${meaning.custom.join('; ')}` : ''})`;
}

/** The document `mc anonymous set LEVEL` writes; '' for private (minio-js's setBucketPolicy then deletes the policy). */
export function cannedPolicyDocument(bucket: string, level: BucketPolicy): string {
  if (level === 'private') return '';
  const grants = [...CANNED[level]];
  const actions = (kind: string) => grants.filter((grant) => grant.startsWith(`${kind} `)).map((grant) => grant.slice(kind.length + 1));
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: actions(BUCKET), Resource: [`arn:aws:s3:::${bucket}`] },
      { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: actions(OBJECT), Resource: [`arn:aws:s3:::${bucket}/*`] },
    ],
  });
}

/**
 * Whether the policy may let an anonymous client GET this object. Conservative, for deciding whether something secret
 * may be put there: a condition is assumed met, a Deny is not counted on, and anything not understood (text that is
 * not JSON, Not* elements) counts as yes.
 */
export function anonymousCanRead(bucket: string, text: string, key: string): boolean {
  if (text.trim() === '') return false;
  let document: { Statement?: Statement | Statement[] };
  try {
    document = JSON.parse(text);
  } catch {
    return true;
  }
  const statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const object = `arn:aws:s3:::${bucket}/${key}`;
  return statements.some((statement) => {
    if (statement.Effect === 'Deny') return false;
    if (statement.NotPrincipal !== undefined || statement.NotAction !== undefined || statement.NotResource !== undefined) return true;
    if (!isAnonymous(statement.Principal)) return false;
    return list(statement.Action).some((action) => glob(action, 'i').test('s3:GetObject')) && list(statement.Resource).some((resource) => glob(resource).test(object));
  });
}

function isAnonymous(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && principal !== null) {
    const aws = (principal as { AWS?: unknown }).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** IAM globbing: `*` any run, `?` one character; actions compare case-insensitively. */
function glob(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

/**
 * The capabilities these actions grant on the whole bucket, and the resources that grant only part of it. The
 * literal ARN `arn:aws:s3:::B/*` matched against a resource pattern tells whether it covers every object.
 */
function coveredCapabilities(bucket: string, actions: string[], resources: string[]): { whole: Set<string>; partial: string[] } {
  const whole = new Set<string>();
  const partial: string[] = [];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const allObjects = `${bucketArn}/*`;
  for (const resource of resources) {
    const pattern = glob(resource);
    const kind = pattern.test(allObjects) ? OBJECT : undefined;
    const onBucket = pattern.test(bucketArn);
    if (!kind && !onBucket) {
      if (resource.startsWith(`${bucketArn}/`)) partial.push(resource);
      continue;
    }
    for (const capability of CAPABILITIES) {
      const [capabilityKind, action] = capability.split(' ') as [string, string];
      if (capabilityKind === OBJECT && !kind) continue;
      if (capabilityKind === BUCKET && !onBucket) continue;
      if (actions.some((granted) => glob(granted, 'i').test(action))) whole.add(capability);
    }
  }
  return { whole, partial };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}
