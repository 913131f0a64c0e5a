// The judgement behind every listing of recovery points (backup/pointTrust.ts) and the key it rests on
// (backup/pointKey.ts), pure: one case per reason a folder is refused, and what the signature covers.
import { describe, expect, it } from 'vitest';
import { formatManifest, MANIFEST_FORMAT, pointIdTime, type Manifest } from '../../generator/backup/manifest.ts';
import { authenticate, canonicalJson, pointKeyFrom, signatureOf } from '../../generator/backup/pointKey.ts';
import { FUTURE_SKEW_MS, judgeManifest } from '../../generator/backup/pointTrust.ts';

const key = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'unit-test-point-key-0123456789abcdef' })!;
const otherKey = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'another-point-key-0123456789abcdef' })!;
const now = new Date('2026-11-30T12:00:00.000Z');
const id = '20261130T052007.123Z';
const unsigned: Manifest = {
  format: MANIFEST_FORMAT,
  id,
  environment: 'production',
  stack: 'milvus',
  reason: 'scheduled',
  cut: '2026-11-30T05:20:08.001Z',
  etcd: { file: 'etcd.db', endpoint: 'http://etcd1:2379', startedAt: '2026-11-30T05:20:07.123Z', endedAt: '2026-11-30T05:20:07.990Z', sha256: 'a'.repeat(64), bytes: 20512, revision: 1234, hash: 1, totalKey: 1500, totalSize: 20480 },
  bucket: { name: 'milvus-bucket', objects: 10, bytes: 12345, inventory: 'objects.ndjson.gz', inventorySha256: 'b'.repeat(64), windowDays: 7 },
};
const signed: Manifest = { ...unsigned, signature: signatureOf(unsigned, key) };
const judge = (folder: string, manifest: Manifest | string, context: { key?: typeof key; environment?: string } = {}) =>
  judgeManifest(folder, { text: typeof manifest === 'string' ? manifest : formatManifest(manifest) }, { key: 'key' in context ? context.key : key, environment: context.environment ?? 'production', now });

describe('the point key', () => {
  it('is at least 32 characters, from the first source that has it', () => {
    expect(pointKeyFrom({}, { MILVUS_SWARM_POINT_KEY: '' })).toBeUndefined();
    expect(() => pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'short' })).toThrow('MILVUS_SWARM_POINT_KEY is 5 characters: it needs at least 32 (openssl rand -hex 32)');
  });

  it('signs the manifest whatever its key order, and every figure of it: one changed figure is a forgery', () => {
    expect(authenticate(signed, key)).toBe('authentic');
    const reordered = JSON.parse(canonicalJson(signed)) as Manifest;
    expect(authenticate(reordered, key)).toBe('authentic');
    expect(authenticate({ ...signed, etcd: { ...signed.etcd, sha256: 'c'.repeat(64) } }, key)).toBe('forged');
    expect(authenticate({ ...signed, environment: 'staging' }, key)).toBe('forged');
    expect(authenticate(signed, otherKey)).toBe('forged');
    expect(authenticate(unsigned, key)).toBe('unsigned');
    expect(authenticate(signed, undefined)).toBe('unchecked');
  });
});

describe('judging a listed point', () => {
  it('trusts a point signed with the key, of this environment, named by its folder', () => {
    expect(judge(id, signed)).toEqual({ trust: 'authentic', manifest: signed });
  });

  it('refuses, with the reason, everything else that could be planted', () => {
    const future = '20261130T121000.000Z';
    expect(judge(future, { ...signed, id: future })).toEqual({ trust: 'refused', reason: "dated in the future (this machine's clock says 2026-11-30T12:00:00.000Z)" });
    const inSkew = new Date(now.getTime() + FUTURE_SKEW_MS - 1000).toISOString().replace(/[-:]/g, '');
    expect(judge(inSkew, { ...unsigned, id: inSkew }).trust).toBe('unsigned');
    const cutAhead = { ...unsigned, cut: '2027-01-01T00:00:00.000Z' };
    expect(judge(id, { ...cutAhead, signature: signatureOf(cutAhead, key) })).toEqual({ trust: 'refused', reason: "its manifest is dated in the future (this machine's clock says 2026-11-30T12:00:00.000Z)" });
    expect(judge('20261130T052007.124Z', signed)).toEqual({ trust: 'refused', reason: 'its manifest names point 20261130T052007.123Z, not its folder 20261130T052007.124Z' });
    expect(judge(id, signed, { environment: 'staging' })).toEqual({ trust: 'refused', reason: 'a point of environment production, not staging' });
    expect(judge(id, { ...signed, reason: 'manual' }).reason).toMatch(/^its signature does not match MILVUS_SWARM_POINT_KEY/);
    expect(judge(id, '\u0000\u0001binary')).toEqual({ trust: 'refused', reason: 'manifest.json not JSON (8 bytes)' });
    expect(judgeManifest(id, { problem: 'manifest.json is a symbolic link' }, { key, environment: 'production', now })).toEqual({ trust: 'refused', reason: 'manifest.json unreadable: manifest.json is a symbolic link' });
    expect(judge('20261399T000000.000Z', signed)).toEqual({ trust: 'refused', reason: '20261399T000000.000Z is not a moment' });
  });

  it('lists unsigned points, and signed ones without a key to check them, as restorable by id only', () => {
    expect(judge(id, unsigned)).toEqual({ trust: 'unsigned', manifest: unsigned, reason: 'not signed (made before points were signed, or by hand)' });
    expect(judge(id, signed, { key: undefined })).toEqual({ trust: 'unchecked', manifest: signed, reason: 'signed, but MILVUS_SWARM_POINT_KEY is not set here to check it' });
  });

  it('reads a point id as the moment it names, or not at all', () => {
    expect(pointIdTime(id)).toEqual(new Date('2026-11-30T05:20:07.123Z'));
    expect(pointIdTime('20260230T000000.000Z')).toBeUndefined();
  });
});
