import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prometheusToken } from '../../generator/cluster/jwt.ts';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('prometheusToken', () => {
  const token = prometheusToken('milvus-admin', 's3cr3t-key', 1_700_000_000);
  const [header, payload, signature] = token.split('.') as [string, string, string];

  it('is an HS512 JWT with sub = access key, iss = prometheus and a short expiry', () => {
    expect(decode(header)).toEqual({ alg: 'HS512', typ: 'JWT' });
    expect(decode(payload)).toEqual({ exp: 1_700_000_300, sub: 'milvus-admin', iss: 'prometheus' });
  });

  it('is signed with the secret key', () => {
    expect(signature).toBe(createHmac('sha512', 's3cr3t-key').update(`${header}.${payload}`).digest('base64url'));
    expect(prometheusToken('milvus-admin', 'other', 1_700_000_000).split('.')[2]).not.toBe(signature);
  });

  it('never carries the secret itself', () => {
    expect(token).not.toContain('s3cr3t');
    expect(Buffer.from(payload, 'base64url').toString()).not.toContain('s3cr3t');
  });
});
