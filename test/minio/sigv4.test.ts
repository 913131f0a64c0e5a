// The SigV4 signer (generator/minio/sigv4.ts), beside the real server's verdict in admin.test.ts: the same signature
// as minio-js's own signer for a request both canonicalise alike, and the encodings the spec asks for.
import { signV4 } from 'minio/dist/esm/signing.mjs';
import { describe, expect, it } from 'vitest';
import { canonicalQuery, encodeRfc3986, signRequest } from '../../generator/minio/sigv4.ts';

const credentials = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2026-03-20T20:16:18Z');

describe('signRequest', () => {
  it.each([
    ['GET, one query value', 'GET', '/minio/admin/v3/user-info?accessKey=verify-user', undefined],
    ['PUT with a body', 'PUT', '/minio/admin/v3/add-canned-policy?name=milvus-swarm-verify', Buffer.from('{"Version":"2012-10-17"}')],
    ['POST without a query', 'POST', '/minio/admin/v3/idp/builtin/policy/attach', Buffer.from([0, 1, 2, 255])],
  ])('%s: the Authorization minio-js computes', (_, method, pathAndQuery, body) => {
    const url = new URL(pathAndQuery, 'http://127.0.0.1:9000');
    const headers = signRequest({ method, url, body }, { credentials, region: 'us-east-1', date });
    const { authorization, ...signed } = headers;
    expect(Object.keys(signed).sort()).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(signed).toMatchObject({ host: '127.0.0.1:9000', 'x-amz-date': '20260320T201618Z' });
    const theirs = signV4({ method, path: pathAndQuery, headers: signed } as never, credentials.accessKey, credentials.secretKey, 'us-east-1', date, signed['x-amz-content-sha256']!);
    expect(authorization).toBe(theirs);
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260320\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('signs the region it is given', () => {
    const url = new URL('/minio/admin/v3/user-info?accessKey=x', 'http://minio:9000');
    expect(signRequest({ method: 'GET', url }, { credentials, region: 'eu-west-1', date }).authorization).toContain('/20260320/eu-west-1/s3/aws4_request');
  });
});

describe('canonicalQuery', () => {
  it('encodes names and values as RFC 3986 and sorts by name, then value', () => {
    expect(
      canonicalQuery([
        ['pool', 'http://minio{1...4}:9000/data{1...2}'],
        ['policy', 'b'],
        ['policy', 'a'],
        ['a b', "it's*"],
      ]),
    ).toBe("a%20b=it%27s%2A&policy=a&policy=b&pool=http%3A%2F%2Fminio%7B1...4%7D%3A9000%2Fdata%7B1...2%7D");
  });

  it('leaves only the unreserved characters as they are', () => {
    expect(encodeRfc3986("AZaz09-._~ !'()*+/=&")).toBe("AZaz09-._~%20%21%27%28%29%2A%2B%2F%3D%26");
  });
});
