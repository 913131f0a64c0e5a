// The manifest a point carries: its id's form, what a reader refuses, and which points pruning removes.
import { describe, expect, it } from 'vitest';
import { formatManifest, MANIFEST_FORMAT, parseManifest, pointId, pointsToPrune, type Manifest } from '../../generator/backup/manifest.ts';

const manifest: Manifest = {
  format: MANIFEST_FORMAT,
  id: '20261130T052007.123Z',
  environment: 'production',
  stack: 'milvus',
  reason: 'scheduled',
  cut: '2026-11-30T05:20:08.001Z',
  etcd: {
    file: 'etcd.db',
    endpoint: 'http://etcd1:2379',
    startedAt: '2026-11-30T05:20:07.123Z',
    endedAt: '2026-11-30T05:20:07.990Z',
    sha256: 'a'.repeat(64),
    bytes: 20512,
    revision: 1234,
    hash: 2572309588,
    totalKey: 1500,
    totalSize: 20480,
    keys: 300,
  },
  bucket: { name: 'milvus-bucket', objects: 10, bytes: 12345, inventory: 'objects.ndjson.gz', inventorySha256: 'b'.repeat(64), windowDays: 7 },
};

describe('recovery point manifests', () => {
  it('name a point by the moment its backup started, in UTC, so ids sort as time', () => {
    expect(pointId(new Date('2026-11-30T05:20:07.123Z'))).toBe('20261130T052007.123Z');
    expect([pointId(new Date('2026-12-01T00:00:00.000Z')), pointId(new Date('2026-11-30T23:59:59.999Z'))].sort()).toEqual(['20261130T235959.999Z', '20261201T000000.000Z']);
  });

  it('read back what they wrote', () => {
    expect(parseManifest(formatManifest(manifest))).toEqual({ ok: true, manifest });
  });

  it('refuse another format, a missing figure, or text that is not JSON', () => {
    expect(parseManifest(JSON.stringify({ ...manifest, format: 'milvus-swarm/recovery-point@2' }))).toEqual({ ok: false, problem: 'format: Invalid input: expected "milvus-swarm/recovery-point@1"' });
    const { revision: _, ...withoutRevision } = manifest.etcd;
    expect(parseManifest(JSON.stringify({ ...manifest, etcd: withoutRevision }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^etcd\.revision: /) });
    expect(parseManifest('{"format"')).toEqual({ ok: false, problem: 'not JSON (9 bytes)' });
  });

  it("never quote the file they refuse (a manifest.json that is someone's credentials), nor print its characters raw", () => {
    const credentials = 'root:$6$secret-hash-bytes:19000:0:99999:7:::';
    expect(JSON.stringify(parseManifest(credentials))).not.toContain('secret-hash');
    expect(parseManifest(JSON.stringify({ ...manifest, reason: 'scheduled\u001b[2K\rpoint 1 (manual)' }))).toEqual({ ok: false, problem: 'reason: holds a control, format or bidi character' });
    expect(parseManifest(JSON.stringify({ ...manifest, bucket: { ...manifest.bucket, name: 'milvus\u202ebucket' } }))).toEqual({ ok: false, problem: 'bucket.name: holds a control, format or bidi character' });
    const unknownKey = parseManifest(JSON.stringify({ ...manifest, 'x\u001b[31m': 1 }));
    expect(unknownKey).toEqual({ ok: false, problem: 'x\\u{1b}[31m: holds a control, format or bidi character' });
    expect(parseManifest(`{"pad":"${'x'.repeat(70_000)}"}`)).toEqual({ ok: false, problem: 'larger than 64 KiB: not a manifest' });
  });

  it('prune the oldest points beyond `keep`, never the newest one', () => {
    const points = ['20260101T000000.000Z', '20260103T000000.000Z', '20260102T000000.000Z'].map((id) => ({ id }));
    expect(pointsToPrune(points, 2)).toEqual([{ id: '20260101T000000.000Z' }]);
    expect(pointsToPrune(points, 0)).toEqual([{ id: '20260102T000000.000Z' }, { id: '20260101T000000.000Z' }]);
  });
});
