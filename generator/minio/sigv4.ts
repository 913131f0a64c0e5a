// AWS Signature Version 4 for MinIO's admin API (service "s3", the server's region), as madmin-go signs it
// (api.go newRequest: X-Amz-Content-Sha256 of the body, then minio-go's signer.SignV4). npm `minio` signs its own
// requests but exports no signer (only a build file outside its documented API, and it sorts the query as
// `key=value` strings, not by key), so this is the spec's algorithm, checked against the spec's example and against
// a real server (test/minio/).
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  accessKey: string;
  secretKey: string;
}

export interface UnsignedRequest {
  method: string;
  /** Absolute URL; its path and query are signed as they are sent (query as canonicalQuery encodes it). */
  url: URL;
  /** Extra headers to sign (lowercase names), e.g. x-amz-* headers. */
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export interface SigningContext {
  credentials: SigningCredentials;
  region: string;
  service?: string;
  date: Date;
}

/** RFC 3986 percent-encoding, as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is encoded. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string: every name and value encoded, sorted by name, then value. Also what is sent. */
export function canonicalQuery(query: readonly (readonly [string, string])[]): string {
  return query
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: string) => createHmac('sha256', key).update(data).digest();

/** 20260101T000000Z */
const amzDate = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * The headers to send with the request: host, x-amz-date, x-amz-content-sha256, the extra headers, authorization.
 * The host header is the URL's host (with its port), which is what fetch sends.
 */
export function signRequest(request: UnsignedRequest, context: SigningContext): Record<string, string> {
  const service = context.service ?? 's3';
  const timestamp = amzDate(context.date);
  const day = timestamp.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    host: request.url.host,
    'x-amz-date': timestamp,
    'x-amz-content-sha256': sha256Hex(request.body ?? new Uint8Array()),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQuery([...request.url.searchParams]),
    ...names.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${context.region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${context.credentials.secretKey}`, day), context.region), service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${context.credentials.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** S3 signs the path as sent (each segment encoded once, never twice). */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
}
