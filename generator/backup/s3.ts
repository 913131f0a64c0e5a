// The MinIO edge of recovery points, through npm `minio` (v8): version listing, the copy and delete-marker steps of
// a bucket restore, the cut marker, and the versioning + lifecycle settings deploy applies from the topology.
// Two places where the client is not used as is, each checked against MinIO RELEASE.2023-03-20:
// - Version listing pages are requested here: the client's `listObjects(..., { IncludeVersion })` sends the next
//   page's key-marker unescaped (MinIO answers SignatureDoesNotMatch as soon as a key holds a space, "+", "!" or
//   "(", and the marker carries MinIO's own "[minio_cache:v2,...]" suffix), and its parser splits versions from
//   delete markers, losing MinIO's newest-first order within a millisecond.
// - The copy source header: the client writes `encodeURI(bucket/key)`, which leaves "?", "#" and "+" as they are;
//   MinIO reads the header with url.Parse, so a "?" in a key would start a query. Keys are escaped per segment here.
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import type { BucketAction, BucketRestorePlan, ObjectVersion } from './bucketCut.ts';
import { RESERVED_PREFIX } from './bucketCut.ts';

/** SigV4's URI encoding: everything but A-Z a-z 0-9 - _ . ~ (encodeURIComponent leaves ! ' ( ) * alone). */
export const sigV4Escape = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

/** What S3 sends back with encoding-type=url: "+" for spaces, %XX for the rest. */
const urlDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) =>
    entity.startsWith('#x') ? String.fromCodePoint(parseInt(entity.slice(2), 16)) : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : (XML_ENTITIES[entity] ?? whole),
  );

const element = (xml: string, name: string): string | undefined => {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeXml(match[1]!) : undefined;
};

export interface VersionPage {
  entries: ObjectVersion[];
  truncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

/**
 * One ListObjectVersions response (encoding-type=url), entries in the order MinIO wrote them: per key, newest first,
 * versions and delete markers interleaved.
 */
export function parseVersionPage(xml: string): VersionPage {
  const entries: ObjectVersion[] = [];
  for (const match of xml.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)) {
    const body = match[2]!;
    entries.push({
      key: urlDecode(element(body, 'Key') ?? ''),
      versionId: element(body, 'VersionId') ?? 'null',
      lastModified: new Date(element(body, 'LastModified') ?? 0),
      isLatest: element(body, 'IsLatest') === 'true',
      deleteMarker: match[1] === 'DeleteMarker',
      etag: (element(body, 'ETag') ?? '').replace(/^"|"$/g, ''),
      size: Number(element(body, 'Size') ?? 0),
    });
  }
  // The part of the document outside the entries: the paging fields.
  const head = xml.replace(/<(Version|DeleteMarker)>[\s\S]*?<\/\1>/g, '');
  const nextKeyMarker = element(head, 'NextKeyMarker');
  const nextVersionIdMarker = element(head, 'NextVersionIdMarker');
  return {
    entries,
    truncated: element(head, 'IsTruncated') === 'true',
    ...(nextKeyMarker === undefined ? {} : { nextKeyMarker: urlDecode(nextKeyMarker) }),
    ...(nextVersionIdMarker === undefined ? {} : { nextVersionIdMarker }),
  };
}

export interface ListOptions {
  prefix?: string;
  /** Entries per request (S3 allows up to 1000); tests page in small steps. */
  pageSize?: number;
}

/** Every version and delete marker of the bucket (or of a prefix), in MinIO's order. */
export async function listObjectVersions(client: Client, bucket: string, options: ListOptions = {}): Promise<ObjectVersion[]> {
  const entries: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const query = [
      'versions',
      'encoding-type=url',
      `max-keys=${options.pageSize ?? 1000}`,
      `prefix=${sigV4Escape(options.prefix ?? '')}`,
      ...(keyMarker === undefined ? [] : [`key-marker=${sigV4Escape(keyMarker)}`]),
      ...(versionIdMarker === undefined ? [] : [`version-id-marker=${sigV4Escape(versionIdMarker)}`]),
    ].join('&');
    const response = await client.makeRequestAsync({ method: 'GET', bucketName: bucket, query });
    const page = parseVersionPage(await readText(response));
    entries.push(...page.entries);
    if (!page.truncated) return entries;
    if (page.nextKeyMarker === undefined) throw new Error(`listing versions of ${bucket}: a truncated page without NextKeyMarker`);
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker;
  }
}

async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

/** The copy source header with the key escaped per path segment ("?" in a key stays part of the key). */
class VersionCopySource extends CopySourceOptions {
  constructor(bucket: string, key: string, versionId: string) {
    super({ Bucket: bucket, Object: key, VersionID: versionId });
  }

  override getHeaders(): ReturnType<CopySourceOptions['getHeaders']> {
    const headers = super.getHeaders();
    const path = [this.Bucket, ...this.Object.split('/')].map((segment) => encodeURIComponent(segment)).join('/');
    headers['x-amz-copy-source'] = `/${path}?versionId=${encodeURIComponent(this.VersionID)}`;
    return headers;
  }
}

/** S3's CopyObject takes sources up to 5 GiB; larger versions are copied part by part (UploadPartCopy). */
export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;

/** Makes `versionId` the key's current version again: a copy onto the same key (bytes and metadata kept). */
export async function restoreVersion(client: Client, bucket: string, key: string, versionId: string, size: number, singleCopyLimit = SINGLE_COPY_LIMIT): Promise<string | undefined> {
  const source = new VersionCopySource(bucket, key, versionId);
  const destination = new CopyDestinationOptions({ Bucket: bucket, Object: key });
  if (size <= singleCopyLimit) {
    const result = (await client.copyObject(source, destination)) as { VersionId?: string | null };
    return result.VersionId ?? undefined;
  }
  const result = (await client.composeObject(destination, [source])) as { versionId?: string | null } | undefined;
  return result?.versionId ?? undefined;
}

/**
 * Puts a delete marker on the key. removeObject without a version id is S3's plain DELETE: on a versioned bucket it
 * deletes nothing, it only hides the versions under a marker. (With a version id it would destroy that version:
 * never done here.)
 */
export async function hideKey(client: Client, bucket: string, key: string): Promise<void> {
  await client.removeObject(bucket, key);
}

export interface AppliedRestore {
  done: number;
  failed: { action: BucketAction; reason: string }[];
}

/** Runs the plan's steps, `concurrency` at a time; a step that fails is reported, the others still run. */
export async function applyBucketRestore(
  client: Client,
  bucket: string,
  plan: Pick<BucketRestorePlan, 'actions'>,
  options: { concurrency?: number; singleCopyLimit?: number } = {},
): Promise<AppliedRestore> {
  const result: AppliedRestore = { done: 0, failed: [] };
  const queue = [...plan.actions];
  const worker = async () => {
    for (let action = queue.shift(); action; action = queue.shift()) {
      try {
        if (action.kind === 'copy') await restoreVersion(client, bucket, action.key, action.versionId, action.size, options.singleCopyLimit);
        else await hideKey(client, bucket, action.key);
        result.done++;
      } catch (error) {
        result.failed.push({ action, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  return result;
}

/** The lifecycle rule deploy sets on Milvus's bucket; found again by this id, other rules are left alone. */
export const RECOVERY_WINDOW_RULE_ID = 'milvus-swarm-recovery-window';

/**
 * Versioning on, and old versions expired after the window: NoncurrentDays counts from the moment a version stopped
 * being current, so every moment of the last `windowDays` days can be brought back. ExpiredObjectDeleteMarker then
 * removes delete markers left with no version under them (they hide nothing any more). Other lifecycle rules of
 * the bucket are kept; ours is replaced.
 */
export async function ensureRecoveryWindow(client: Client, bucket: string, windowDays: number): Promise<void> {
  const versioning = await client.getBucketVersioning(bucket);
  if (versioning?.Status !== 'Enabled') await client.setBucketVersioning(bucket, { Status: 'Enabled' });
  const existing = await readLifecycleRules(client, bucket);
  const ours = {
    ID: RECOVERY_WINDOW_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    NoncurrentVersionExpiration: { NoncurrentDays: windowDays },
    Expiration: { ExpiredObjectDeleteMarker: true },
  };
  const rules = [...existing.filter((rule) => rule.ID !== RECOVERY_WINDOW_RULE_ID), ours];
  // The client's type wants Expiration.Days, which S3 forbids beside ExpiredObjectDeleteMarker.
  await client.setBucketLifecycle(bucket, { Rule: rules } as unknown as Parameters<Client['setBucketLifecycle']>[1]);
}

type LifecycleRuleXml = { ID?: string } & Record<string, unknown>;

async function readLifecycleRules(client: Client, bucket: string): Promise<LifecycleRuleXml[]> {
  try {
    const config = (await client.getBucketLifecycle(bucket)) as { Rule?: LifecycleRuleXml | LifecycleRuleXml[] } | null;
    const rules = config?.Rule;
    return rules === undefined ? [] : Array.isArray(rules) ? rules : [rules];
  } catch (error) {
    if ((error as { code?: string }).code === 'NoSuchLifecycleConfiguration') return [];
    throw error;
  }
}

export interface RecoveryWindow {
  versioning: 'Enabled' | 'Suspended' | 'Off';
  /** NoncurrentDays of our rule, when the bucket has it. */
  windowDays?: number;
}

/** What the bucket is set to now: a point is worth making only on a versioned bucket. */
export async function readRecoveryWindow(client: Client, bucket: string): Promise<RecoveryWindow> {
  const versioning = await client.getBucketVersioning(bucket);
  const status = versioning?.Status === 'Enabled' || versioning?.Status === 'Suspended' ? versioning.Status : 'Off';
  const rule = (await readLifecycleRules(client, bucket)).find((candidate) => candidate.ID === RECOVERY_WINDOW_RULE_ID);
  const days = Number((rule?.NoncurrentVersionExpiration as { NoncurrentDays?: unknown } | undefined)?.NoncurrentDays);
  return { versioning: status, ...(Number.isFinite(days) ? { windowDays: days } : {}) };
}

/** The key whose versions mark each cut: its modification time is MinIO's own clock. */
export const CUT_MARKER_KEY = `${RESERVED_PREFIX}cut`;

/**
 * Writes the cut marker and returns the moment MinIO gave it. The cut is read from MinIO's clock, not this
 * machine's: objects carry MinIO's modification times, and the machine that runs backup may be off by more than the
 * time between two of Milvus's writes. The marker is written after the etcd snapshot ended, so every object etcd
 * names was written before it.
 */
export async function markCut(client: Client, bucket: string, pointId: string): Promise<{ cut: Date; versionId: string }> {
  const put = await client.putObject(bucket, CUT_MARKER_KEY, Buffer.from(`${pointId}\n`), undefined, { 'Content-Type': 'text/plain' });
  const answeredAt = performance.now();
  if (!put.versionId) throw new Error(`${bucket} is not versioned: MinIO gave the cut marker no version id`);
  const versions = await listObjectVersions(client, bucket, { prefix: CUT_MARKER_KEY });
  const mine = versions.find((version) => version.key === CUT_MARKER_KEY && version.versionId === put.versionId);
  if (!mine) throw new Error(`the cut marker ${bucket}/${CUT_MARKER_KEY} version ${put.versionId} is not listed`);
  // Listings have millisecond times and an entry in the cut's millisecond counts as before it (bucketCut.ts). MinIO's
  // clock had reached the cut when it answered; two more milliseconds anywhere put every later write after it, so
  // a restore that follows its undo point at once never has its own copies counted into that point.
  while (performance.now() - answeredAt < 2) await new Promise((resolve) => setTimeout(resolve, 1));
  return { cut: mine.lastModified, versionId: put.versionId };
}
