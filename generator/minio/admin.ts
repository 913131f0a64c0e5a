// A small client of MinIO's admin API (/minio/admin/v3/...), the calls milvus-swarm needs, as madmin-go makes them
// (github.com/minio/madmin-go/v2@v2.0.16, vendored by MinIO RELEASE.2023-03-20; paths unchanged in v3.0.109):
// SigV4-signed HTTP, JSON answers, and some bodies and answers encrypted with the requester's secret key
// (encryption.ts). Each method describes its call (method, path, query, body, the statuses that mean success) and
// hands it to `call`, which signs, sends, bounds and reads it. Pool decommission (issue 11) is three of them:
//   decommissionStart(pool): POST pools/decommission?pool=<the pool's server argument>, 200, no body
//   decommissionStatus(pool): GET pools/status?pool=<…>, 200, JSON PoolStatus (decommission-commands.go)
//   decommissionCancel(pool): POST pools/cancel?pool=<…>, 200, no body
// The failure budget reads storageInfo(): GET storageinfo, 200, JSON madmin.StorageInfo (not encrypted).
// Every call has its own deadline; errors say the call, MinIO's code and message, never a credential or a query value.
import type { PolicyDocument } from '../model/types.ts';
import { DeadlineError } from '../cluster/deadline.ts';
import { networkReason } from '../cluster/http.ts';
import { decryptData, encryptData, type EncryptionAlgorithm } from './encryption.ts';
import { canonicalQuery, signRequest, type SigningCredentials } from './sigv4.ts';

export const ADMIN_PREFIX = '/minio/admin/v3';
export const ADMIN_CALL_DEADLINE_MS = 10_000;

export interface MinioAdminOptions {
  /** http(s)://host:port of MinIO or its load balancer (nginx passes /minio/admin through). */
  endpoint: string;
  /** The credentials the calls are made with (the root user's, to manage users and policies). */
  credentials: SigningCredentials;
  /** The region MinIO signs with (MINIO_SITE_REGION, else us-east-1). */
  region?: string;
  /** Per call. */
  timeoutMs?: number;
  /** How request bodies are encrypted: madmin's own choice on x86 is argon2id with AES-256-GCM. */
  encryption?: EncryptionAlgorithm;
  now?: () => Date;
}

export type AccountStatus = 'enabled' | 'disabled';

/** madmin.UserInfo, as /user-info answers (no secret key). */
export interface UserInfo {
  status: AccountStatus;
  /** The policies attached to the user. */
  policies: string[];
  memberOf: string[];
}

/** madmin.PolicyEntitiesResult's policy → users part. */
export interface PolicyEntities {
  policy: string;
  users: string[];
  groups: string[];
}

/**
 * madmin.PoolDecommissionInfo as MinIO RELEASE.2023-03-20 writes it (cmd/erasure-server-pool-decom.go). The sizes are
 * the pool's usable capacity (totalSize) and its FREE space: startSize when the decommission started, currentSize =
 * startSize + the bytes moved so far; so moved = currentSize - startSize and the pool's data at the start =
 * totalSize - startSize (mc admin decommission status computes the same). Only later releases (madmin-go v3) send
 * the object and byte counts; RELEASE.2023-03-20 keeps them to itself (json:"-").
 */
export interface PoolDecommissionInfo {
  /** ISO time; the zero time 0001-01-01T00:00:00Z when never started, and again after a failure or a cancel. */
  startTime: string;
  startSize: number;
  totalSize: number;
  currentSize: number;
  complete: boolean;
  failed: boolean;
  canceled: boolean;
  objectsDecommissioned?: number;
  objectsDecommissionedFailed?: number;
  bytesDecommissioned?: number;
  bytesDecommissionedFailed?: number;
}

/** madmin.PoolStatus: MinIO always fills decommissionInfo in this answer (sizes only, when never decommissioned). */
export interface PoolStatus {
  /** The pool's index on the server command line, from 0. */
  id: number;
  /** The pool's server argument, as MinIO remembers it. */
  cmdline: string;
  lastUpdate: string;
  decommissionInfo?: PoolDecommissionInfo;
}

/**
 * madmin.Disk as MinIO RELEASE.2023-03-20 reports a drive in storageinfo: its endpoint (`http://minio3:9000/data1`),
 * its state (`ok`, `offline`, `unformatted`, `faulty`, …) and, for a drive it could open, its pool, set and place
 * in the set (from 0). A drive of a node MinIO cannot reach comes with its endpoint and `offline` only
 * (cmd/notification.go getOfflineDisks): its set is the one the server command line puts it in.
 */
export interface StorageDrive {
  endpoint: string;
  state: string;
  pool_index?: number;
  set_index?: number;
  disk_index?: number;
}

/** madmin.StorageInfo (cmd/notification.go StorageInfo): every drive of every node, and the erasure backend's shape. */
export interface StorageInfo {
  Disks: StorageDrive[];
  Backend: {
    /** The parity of the STANDARD storage class, the same in every pool. */
    StandardSCParity?: number;
    /** Per pool, from 0. */
    TotalSets?: number[];
    DrivesPerSet?: number[];
  };
}

export class MinioAdminError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    /** MinIO's error code (XMinioAdminNoSuchUser, AccessDenied, …), or '' when the answer had none. */
    readonly code: string,
    detail: string,
  ) {
    super(`MinIO admin ${call}: ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'MinioAdminError';
  }
}

interface AdminCall {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Under /minio/admin/v3. */
  path: string;
  query?: [string, string][];
  /** JSON body, sent as it is or encrypted with the secret key. */
  body?: unknown;
  encryptBody?: boolean;
  /** The statuses that mean success. */
  ok: readonly number[];
}

export type { PolicyDocument };

export class MinioAdmin {
  private readonly endpoint: URL;
  private readonly region: string;
  private readonly timeoutMs: number;
  private readonly encryption: EncryptionAlgorithm;
  private readonly now: () => Date;

  constructor(private readonly options: MinioAdminOptions) {
    this.endpoint = new URL(options.endpoint);
    this.region = options.region ?? 'us-east-1';
    this.timeoutMs = options.timeoutMs ?? ADMIN_CALL_DEADLINE_MS;
    this.encryption = options.encryption ?? 'argon2id-aes-256-gcm';
    this.now = options.now ?? (() => new Date());
  }

  /** The access key the calls are signed with. */
  get accessKey(): string {
    return this.options.credentials.accessKey;
  }

  /**
   * Whether MinIO accepts a signature made with these credentials (an S3 ListBuckets signed with them): 200, or
   * AccessDenied for a user without that right, say yes; InvalidAccessKeyId (no such user, or disabled) and
   * SignatureDoesNotMatch (another secret key) say no. MinIO never tells a user's secret key, so this is how to know.
   */
  async acceptsCredentials(credentials: SigningCredentials): Promise<boolean> {
    const answer = await this.send('ListBuckets as another user', { method: 'GET', url: new URL('/', this.endpoint), credentials });
    if (answer.status === 200) return true;
    const { code } = errorOf(answer.body);
    if (code === 'AccessDenied') return true;
    if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch') return false;
    throw new MinioAdminError('ListBuckets as another user', answer.status, code, '');
  }

  /** The user's status and attached policies; undefined when there is no such user. */
  async userInfo(accessKey: string): Promise<UserInfo | undefined> {
    try {
      const answer = await this.call('user-info', { method: 'GET', path: '/user-info', query: [['accessKey', accessKey]], ok: [200] });
      const info = JSON.parse(answer.toString('utf8')) as { status?: string; policyName?: string; memberOf?: string[] };
      return {
        status: info.status === 'enabled' ? 'enabled' : 'disabled',
        policies: (info.policyName ?? '').split(',').filter((name) => name !== ''),
        memberOf: info.memberOf ?? [],
      };
    } catch (error) {
      if (error instanceof MinioAdminError && error.code === 'XMinioAdminNoSuchUser') return undefined;
      throw error;
    }
  }

  /** Creates the user, or sets an existing one's secret key and status (madmin AddUser / SetUser: one call). */
  async setUser(accessKey: string, secretKey: string, status: AccountStatus = 'enabled'): Promise<void> {
    await this.call('add-user', { method: 'PUT', path: '/add-user', query: [['accessKey', accessKey]], body: { secretKey, status }, encryptBody: true, ok: [200] });
  }

  /** The canned policy's document; undefined when there is none of that name. */
  async cannedPolicy(name: string): Promise<PolicyDocument | undefined> {
    try {
      const answer = await this.call('info-canned-policy', { method: 'GET', path: '/info-canned-policy', query: [['name', name]], ok: [200] });
      return JSON.parse(answer.toString('utf8')) as PolicyDocument;
    } catch (error) {
      if (error instanceof MinioAdminError && error.code === 'XMinioAdminNoSuchPolicy') return undefined;
      throw error;
    }
  }

  /** Creates or replaces a canned policy. */
  async addCannedPolicy(name: string, document: PolicyDocument): Promise<void> {
    await this.call('add-canned-policy', { method: 'PUT', path: '/add-canned-policy', query: [['name', name]], body: document, ok: [200] });
  }

  /** Attaches policies to a user; MinIO refuses one attached already (409 XMinioPolicyAlreadyAttached). */
  async attachPolicies(user: string, policies: string[]): Promise<void> {
    await this.policyAssociation('attach', user, policies);
  }

  async detachPolicies(user: string, policies: string[]): Promise<void> {
    await this.policyAssociation('detach', user, policies);
  }

  /** Which users and groups each named policy is attached to (the answer is encrypted). */
  async policyEntities(policies: string[]): Promise<PolicyEntities[]> {
    const answer = await this.call('idp/builtin/policy-entities', {
      method: 'GET',
      path: '/idp/builtin/policy-entities',
      query: policies.map((policy) => ['policy', policy] as [string, string]),
      ok: [200],
    });
    const result = JSON.parse((await decryptData(this.options.credentials.secretKey, answer)).toString('utf8')) as {
      policyMappings?: { policy: string; users?: string[]; groups?: string[] }[];
    };
    return (result.policyMappings ?? []).map((mapping) => ({ policy: mapping.policy, users: mapping.users ?? [], groups: mapping.groups ?? [] }));
  }

  /**
   * Starts moving the pool's objects to the other pools; the pool takes no new writes from then on. MinIO answers at
   * once (the move runs in the background: decommissionStatus follows it). Refused with 400
   * XMinioDecommissionNotAllowed while a decommission of any pool runs, XMinioAdminInvalidArgument for a pool that
   * is not on the command line, 501 NotImplemented on a single pool. On a pool that completed one, the source
   * would start over (a test saw 503 SlowDown instead): read the status first.
   */
  async decommissionStart(pool: string): Promise<void> {
    await this.call('pools/decommission', { method: 'POST', path: '/pools/decommission', query: [['pool', pool]], ok: [200] });
  }

  /** The pool's decommission state and sizes; XMinioAdminInvalidArgument for a pool that is not on the command line. */
  async decommissionStatus(pool: string): Promise<PoolStatus> {
    const answer = await this.call('pools/status', { method: 'GET', path: '/pools/status', query: [['pool', pool]], ok: [200] });
    return JSON.parse(answer.toString('utf8')) as PoolStatus;
  }

  /** Stops a running decommission: the pool is marked canceled (objects moved so far stay moved). */
  async decommissionCancel(pool: string): Promise<void> {
    await this.call('pools/cancel', { method: 'POST', path: '/pools/cancel', query: [['pool', pool]], ok: [200] });
  }

  /**
   * Every drive's state and the backend's parity and set shapes, as MinIO sees them now: each node asks its peers
   * (a peer it cannot reach has all its drives offline). Needs admin:StorageInfo.
   */
  async storageInfo(): Promise<StorageInfo> {
    const answer = await this.call('storageinfo', { method: 'GET', path: '/storageinfo', ok: [200] });
    return JSON.parse(answer.toString('utf8')) as StorageInfo;
  }

  /**
   * POST idp/builtin/policy/attach|detach with an encrypted {policies, user}. MinIO 2023-03 answers 201 (attach) or
   * 204 (detach) with no body; later releases answer 200 with an encrypted result (madmin-go v3 handles both).
   */
  private async policyAssociation(direction: 'attach' | 'detach', user: string, policies: string[]): Promise<void> {
    await this.call(`idp/builtin/policy/${direction}`, {
      method: 'POST',
      path: `/idp/builtin/policy/${direction}`,
      body: { policies, user },
      encryptBody: true,
      ok: [200, 201, 204],
    });
  }

  /** One signed admin call; resolves with the answer's body when its status is one of `ok`. */
  private async call(name: string, call: AdminCall): Promise<Buffer> {
    const json = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), 'utf8');
    // Encrypted before the deadline starts: argon2id takes a second or more in JavaScript.
    const body = json && call.encryptBody ? await encryptData(this.options.credentials.secretKey, json, this.encryption) : json;
    const query = call.query && call.query.length > 0 ? `?${canonicalQuery(call.query)}` : '';
    const url = new URL(`${ADMIN_PREFIX}${call.path}${query}`, this.endpoint);
    const answer = await this.send(name, {
      method: call.method,
      url,
      body,
      headers: body && call.encryptBody ? { 'content-type': 'application/octet-stream' } : {},
      credentials: this.options.credentials,
    });
    if (call.ok.includes(answer.status)) return answer.body;
    const { code, message } = errorOf(answer.body);
    throw new MinioAdminError(name, answer.status, code, message);
  }

  /** Signs and sends one request within the call deadline. */
  private async send(
    name: string,
    request: { method: string; url: URL; body?: Buffer; headers?: Record<string, string>; credentials: SigningCredentials },
  ): Promise<{ status: number; body: Buffer }> {
    const headers = signRequest(
      { method: request.method, url: request.url, body: request.body, headers: request.headers ?? {} },
      { credentials: request.credentials, region: this.region, date: this.now() },
    );
    // fetch sets Host itself, from the URL, which is what was signed.
    delete headers.host;
    try {
      const response = await fetch(request.url, { method: request.method, headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new DeadlineError(`MinIO admin ${name}`, this.timeoutMs);
      throw new Error(`MinIO admin ${name} at ${this.endpoint.host}: ${networkReason(error)}`);
    }
  }
}

/** MinIO's admin errors are JSON: {"Code": "...", "Message": "...", "Resource": "...", ...}. */
function errorOf(answer: Buffer): { code: string; message: string } {
  try {
    const parsed = JSON.parse(answer.toString('utf8')) as { Code?: unknown; Message?: unknown };
    return { code: typeof parsed.Code === 'string' ? parsed.Code : '', message: typeof parsed.Message === 'string' ? parsed.Message : '' };
  } catch {
    // S3-style XML or nginx's HTML: the code is in <Code>, if anywhere.
    const text = answer.toString('utf8');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? '';
    const message = /<Message>([^<]{1,300})<\/Message>/.exec(text)?.[1] ?? '';
    return { code, message };
  }
}
