// MinIO through the nginx load balancer, as Milvus reaches it: cluster health (write quorum), nodes and drives online
// from the cluster metrics, every topology bucket and its policy (read only: a missing bucket or another policy is a
// failing row naming the deploy that makes it so — deploy/phases/buckets.ts), a probe object written, read back
// byte-equal and removed in the Milvus bucket, and the console. verify writes nothing but its probe objects.
import { randomBytes } from 'node:crypto';
import { staleProbes, sweptNote } from './probeSweep.ts';
import http from 'node:http';
import { Client, S3Error } from 'minio';
import { HEALTH_PATH, regionOf } from '../cluster/minioAccess.ts';
import type { ClusterModel } from '../model/types.ts';
import { VERIFY_PROBE_PREFIX } from '../topology/toolPrefixes.ts';
import type { BucketPolicy } from '../topology/schema.ts';
import { describeMeaning, policyMeaning, sameMeaning } from '../cluster/bucketPolicy.ts';
import { credentialsHint, MISSING_CREDENTIALS, VERIFY_PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, type MinioCredentials } from '../cluster/credentials.ts';
import { withDeadline, type Budget } from '../cluster/deadline.ts';
import { formatHostPort, type Endpoints } from '../cluster/endpoints.ts';
import { httpGet, networkReason } from '../cluster/http.ts';
import { later } from './later.ts';
import { prometheusToken } from '../cluster/jwt.ts';
import { clusterCounts, expectedCounts, judgeClusterCounts, METRICS_PATH, parsePrometheusText } from './minioMetrics.ts';
import { fail, pass, timed, warn, type Outcome, type Row, type RowIdentity } from './rows.ts';

export const MINIO_CALL_DEADLINE_MS = 5_000;
export const PROBE_OBJECT_PREFIX = VERIFY_PROBE_PREFIX;
const PROBE_SIZE = 256 * 1024;

export interface MinioCheck {
  model: ClusterModel;
  endpoints: Endpoints;
  credentials: MinioCredentials | undefined;
  budget: Budget;
  now?: () => Date;
}

/** One row per topology bucket, through the load balancer's S3 port. */
export const bucketRow = (bucket: string): RowIdentity => ({ id: `minio:bucket:${bucket}`, check: `minio bucket ${bucket}`, endpoint: 's3' });

export async function checkMinio(check: MinioCheck): Promise<Row[]> {
  const { model, endpoints, budget } = check;
  const s3 = `http://${formatHostPort(endpoints.s3)}`;
  // The metrics row waits for the live health: MinIO's counts can be a minute old (minioMetrics.ts).
  const writeQuorumNow = later<boolean>();
  const health = timed({ id: 'minio:cluster-health', check: 'minio: cluster health', endpoint: 's3' }, async () => {
    try {
      const { outcome, writeQuorum } = await clusterHealth(s3, budget);
      writeQuorumNow.settle(writeQuorum);
      return outcome;
    } finally {
      writeQuorumNow.settle(undefined);
    }
  });
  const consoleRow = timed({ id: 'minio:console', check: 'minio: console', endpoint: 'console' }, () => consoleAnswers(`http://${formatHostPort(endpoints.console)}/`, budget));
  if (!check.credentials) {
    const missing = timed({ id: 'minio:credentials', check: 'minio: credentials' }, async () => fail(MISSING_CREDENTIALS));
    return Promise.all([health, missing, consoleRow]);
  }
  const credentials = check.credentials;
  // Root where verify's own user would do: it works, but every check then runs with every right (README: "root").
  const asRoot =
    credentials.user === 'root'
      ? timed({ id: 'minio:credentials', check: 'minio: credentials' }, async () =>
          warn(`signed in as MinIO's root user: give verify its own user, ${VERIFY_USER_VARIABLE} / ${VERIFY_PASSWORD_VARIABLE} (the swarm secrets ${model.minio.secrets.verifyUser} / ${model.minio.secrets.verifyPassword}; deploy creates the user)`),
        )
      : undefined;
  const metrics = timed({ id: 'minio:nodes-drives', check: 'minio: nodes and drives', endpoint: 's3' }, () => nodesAndDrives(s3, model, credentials, budget, writeQuorumNow.promise, check.now));

  // Our own agent: destroying it at the end ends any request a deadline gave up on, so nothing keeps node alive.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const client = new Client({
    endPoint: endpoints.s3.host.replace(/^\[|\]$/g, ''),
    port: endpoints.s3.port,
    useSSL: false,
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    region: regionOf(model),
    transportAgent: agent,
  });
  const call = <T>(what: string, work: () => Promise<T>) => withDeadline(`minio ${what}`, budget.call(MINIO_CALL_DEADLINE_MS), work).catch((error) => {
    throw new Error(s3Reason(error, model, credentials));
  });
  try {
    const bucketRows = await Promise.all(model.minio.buckets.map((bucket) => timed(bucketRow(bucket.name), () => checkBucket(call, client, bucket.name, bucket.policy, model.environment))));
    const milvusBucketReady = bucketRows.find((row) => row.id === bucketRow(model.milvus.bucketName).id)?.status !== 'fail';
    const probe = await timed({ id: 'minio:probe-object', check: `minio: probe object in ${model.milvus.bucketName}`, endpoint: 's3' }, () =>
      milvusBucketReady ? probeObject(call, client, model.milvus.bucketName, check.now) : Promise.resolve(fail(`not run: bucket ${model.milvus.bucketName} is not ready (see its row)`)),
    );
    return [await health, ...(asRoot ? [await asRoot] : []), await metrics, ...bucketRows, probe, await consoleRow];
  } finally {
    agent.destroy();
  }
}

/** 200: write quorum; 503: MinIO itself says writes would fail. */
async function clusterHealth(s3: string, budget: Budget): Promise<{ outcome: Outcome; writeQuorum?: boolean }> {
  const answer = await httpGet(`${s3}${HEALTH_PATH}`, budget.call(MINIO_CALL_DEADLINE_MS));
  const quorum = answer.headers.get('x-minio-write-quorum');
  if (answer.status === 200) return { outcome: pass(`200: write quorum${quorum ? ` (${quorum} drives per set)` : ''}`), writeQuorum: true };
  if (answer.status === 503) {
    return { outcome: fail(`503: MinIO has lost write quorum${quorum ? ` (needs ${quorum} drives per set)` : ''} — writes fail: bring MinIO nodes back (docker service ps)`), writeQuorum: false };
  }
  if (answer.status === 502 || answer.status === 504) return { outcome: fail(`${answer.status} from nginx: no MinIO node answers behind the load balancer — check the minio services`) };
  return { outcome: fail(`unexpected ${answer.status} from ${HEALTH_PATH}`) };
}

async function nodesAndDrives(
  s3: string,
  model: ClusterModel,
  credentials: MinioCredentials,
  budget: Budget,
  writeQuorumNow: Promise<boolean | undefined>,
  now?: () => Date,
): Promise<Outcome> {
  const seconds = Math.floor((now ? now() : new Date()).getTime() / 1000);
  const token = prometheusToken(credentials.accessKey, credentials.secretKey, seconds);
  const answer = await httpGet(`${s3}${METRICS_PATH}`, budget.call(MINIO_CALL_DEADLINE_MS), { authorization: `Bearer ${token}` });
  if (answer.status === 403 || answer.status === 401) return fail(`${answer.status} from ${METRICS_PATH}: the token was refused — ${credentialsHint(model.minio.secrets, credentials.user)}`);
  if (answer.status !== 200) return fail(`unexpected ${answer.status} from ${METRICS_PATH}`);
  const counts = clusterCounts(parsePrometheusText(answer.body));
  if (!counts) return fail(`${METRICS_PATH} has neither minio_cluster_drive_* nor minio_cluster_disk_* with minio_cluster_nodes_online_total: is this MinIO?`);
  return judgeClusterCounts(counts, expectedCounts(model), await writeQuorumNow);
}

async function consoleAnswers(url: string, budget: Budget): Promise<Outcome> {
  const answer = await httpGet(url, budget.call(MINIO_CALL_DEADLINE_MS));
  if (answer.status < 400) return pass(`${answer.status} from ${url}`);
  return fail(`${answer.status} from ${url}: the console does not answer behind nginx — check the minio-proxy service and MinIO's --console-address`);
}

type Call = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * The bucket exists with the topology's policy, read and never changed: a check that writes would fight every hand
 * change hourly, and would need rights that open Milvus's bucket (model/verifyPolicy.ts). Whether it exists is what
 * reading its policy says (NoSuchBucket), not HEAD bucket: that needs s3:ListBucket on the whole bucket, which
 * verify's own user does not have (it may not list Milvus's objects).
 */
export async function checkBucket(call: Call, client: Client, bucket: string, expected: BucketPolicy, environment: string): Promise<Outcome> {
  const deploy = `npx milvus-swarm deploy --env ${environment}`;
  const found = await call(`getBucketPolicy ${bucket}`, () => readPolicy(client, bucket));
  if (found === undefined) return fail(`does not exist: deploy creates it (${deploy}, with MinIO's root pair)`);
  const meaning = policyMeaning(bucket, found);
  if (!sameMeaning(meaning, expected)) {
    return fail(`policy is ${describeMeaning(meaning)}, the topology says ${expected}: someone changed it outside the topology; deploy sets it back (${deploy})`);
  }
  if (expected === 'public') return warn(`exists, policy public: public lets anyone read and overwrite Milvus's data — use private unless that is intended`);
  return pass(`exists, policy ${expected}`);
}

/** The bucket's policy document, '' for none, undefined when there is no such bucket. */
export async function readPolicy(client: Client, bucket: string): Promise<string | undefined> {
  try {
    return await client.getBucketPolicy(bucket);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'NoSuchBucketPolicy') return '';
    if (error instanceof S3Error && error.code === 'NoSuchBucket') return undefined;
    throw error;
  }
}

/**
 * put, stat, get (bytes equal), remove; the object is removed even when a step after the put fails. Then probe
 * objects earlier runs left behind (probeSweep.ts) are removed too, and the row says how many.
 */
export async function probeObject(call: Call, client: Client, bucket: string, now: () => Date = () => new Date()): Promise<Outcome> {
  const name = `${PROBE_OBJECT_PREFIX}${now().toISOString().replace(/[:.]/g, '-')}-${randomBytes(8).toString('hex')}`;
  const body = randomBytes(PROBE_SIZE);
  let removed = false;
  try {
    await call(`putObject ${bucket}/${name}`, () => client.putObject(bucket, name, body, body.length));
    const stat = await call(`statObject ${bucket}/${name}`, () => client.statObject(bucket, name));
    if (stat.size !== body.length) return fail(`stat says ${stat.size} bytes, ${body.length} were written`);
    const read = await call(`getObject ${bucket}/${name}`, async () => {
      const stream = await client.getObject(bucket, name);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    if (!read.equals(body)) return fail(`read back ${read.length} bytes that differ from the ${body.length} written: the load balancer or a drive corrupts data`);
    await call(`removeObject ${bucket}/${name}`, () => client.removeObject(bucket, name));
    removed = true;
    const swept = await sweepProbeObjects(call, client, bucket, now().getTime());
    return pass(`put, stat, get (${body.length / 1024} KiB, bytes equal) and removed ${name}${sweptNote(swept, 'probe object')}`);
  } finally {
    if (!removed) await withDeadline('minio cleanup', 3_000, () => client.removeObject(bucket, name)).catch(() => undefined);
  }
}

/** Removes probe objects older than PROBE_MAX_AGE_MS under verify's prefix; returns how many. */
async function sweepProbeObjects(call: Call, client: Client, bucket: string, now: number): Promise<number> {
  const names = await call(`listObjects ${bucket}/${PROBE_OBJECT_PREFIX}`, async () => {
    const found: string[] = [];
    for await (const item of client.listObjects(bucket, PROBE_OBJECT_PREFIX, true)) if (item.name) found.push(item.name);
    return found;
  });
  const stale = staleProbes(names, now);
  if (stale.length > 0) await call(`removeObjects ${bucket}/${PROBE_OBJECT_PREFIX}`, () => client.removeObjects(bucket, stale));
  return stale.length;
}


/** One line an operator can act on, from what minio-js or the network threw. */
export function s3Reason(error: unknown, model: ClusterModel, credentials?: MinioCredentials): string {
  if (error instanceof S3Error || (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string')) {
    const code = (error as { code: string }).code;
    if (code === 'AccessDenied' && credentials?.user === 'verify') {
      return `AccessDenied: verify's user may not do this — deploy sets its policy ${model.minio.verifyPolicy.name} from the topology's buckets (run deploy)`;
    }
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied'].includes(code)) {
      return `${code}: ${credentialsHint(model.minio.secrets, credentials?.user)}`;
    }
    if (code === 'XMinioServerNotInitialized' || code === 'XMinioStorageFull' || code === 'SlowDown') return `${code}: ${(error as Error).message}`;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ECONNRESET') return 'connection reset by the load balancer';
    return `${code}: ${(error as Error).message}`;
  }
  if (error instanceof Error && error.name === 'DeadlineError') return error.message;
  return networkReason(error);
}
