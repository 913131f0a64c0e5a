// The bucket cut as values: the state at a moment, the plan that brings it back, and MinIO's listing parsed in order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketStateAt, currentState, inventoryOf, planBucketRestore, stateOf, type ObjectVersion } from '../../generator/backup/bucketCut.ts';
import { parseVersionPage, sigV4Escape } from '../../generator/backup/s3.ts';

const T = new Date('2026-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);

/** A key's history, oldest first: [ms relative to T, etag or 'DEL']; ids are key@index. The listing order is newest first. */
function history(key: string, ...entries: [number, string][]): ObjectVersion[] {
  return entries
    .map(([offset, etag], index): ObjectVersion => ({
      key,
      versionId: `${key}@${index}`,
      lastModified: at(offset),
      isLatest: index === entries.length - 1,
      deleteMarker: etag === 'DEL',
      etag: etag === 'DEL' ? '' : etag,
      size: etag === 'DEL' ? 0 : etag.length,
    }))
    .reverse();
}

const listing: ObjectVersion[] = [
  ...history('kept', [-5000, 'aaaa']),
  ...history('overwritten', [-5000, 'b1'], [-10, 'b2'], [+10, 'b3-after']),
  ...history('deleted-after', [-5000, 'cccc'], [+10, 'DEL']),
  ...history('created-after', [+10, 'dd']),
  ...history('deleted-before', [-5000, 'ee'], [-10, 'DEL']),
  ...history('recreated-after', [-5000, 'ff'], [-10, 'DEL'], [+10, 'ff-new']),
  ...history('same-millisecond', [-5000, 'g1'], [0, 'g2']),
  ...history('.milvus-swarm/cut', [-5000, 'm'], [0, 'm']),
];

describe('the bucket as of the cut', () => {
  it("takes each key's newest version at or before the cut; deleted or not yet written keys are absent", () => {
    const state = bucketStateAt(listing, T);
    expect(Object.fromEntries([...state].map(([key, entry]) => [key, entry.versionId]))).toEqual({
      kept: 'kept@0',
      overwritten: 'overwritten@1',
      'deleted-after': 'deleted-after@0',
      // Written in the cut's own millisecond: counted as before it (at worst an orphan etcd never names).
      'same-millisecond': 'same-millisecond@1',
    });
  });

  it("never counts milvus-swarm's own keys (the cut marker) as the bucket's", () => {
    expect([...currentState(listing).keys()]).not.toContain('.milvus-swarm/cut');
  });

  it('survives a round trip through the inventory a point stores', () => {
    const state = bucketStateAt(listing, T);
    expect(stateOf(JSON.parse(JSON.stringify(inventoryOf(state))))).toEqual(state);
  });
});

describe('the plan that brings it back', () => {
  it('copies the versions current at the cut, hides keys created after it, and leaves the rest', () => {
    const plan = planBucketRestore(listing, bucketStateAt(listing, T));
    expect(plan.actions).toEqual([
      { kind: 'hide', key: 'created-after', versionId: 'created-after@0', size: 2 },
      { kind: 'copy', key: 'deleted-after', versionId: 'deleted-after@0', size: 4, etag: 'cccc' },
      { kind: 'copy', key: 'overwritten', versionId: 'overwritten@1', size: 2, etag: 'b2' },
      { kind: 'hide', key: 'recreated-after', versionId: 'recreated-after@2', size: 6 },
    ]);
    expect(plan).toMatchObject({ unchanged: 2, missing: [], copied: { objects: 2, bytes: 6 }, hidden: { objects: 2, bytes: 8 } });
  });

  it('changes nothing when run again: the copies hold the same bytes as the versions they copied', () => {
    const target = bucketStateAt(listing, T);
    const afterRestore = [
      ...listing,
      { key: 'overwritten', versionId: 'overwritten@copy', lastModified: at(20), isLatest: true, deleteMarker: false, etag: 'b2', size: 2 },
    ].map((entry) => (entry.key === 'overwritten' && entry.versionId !== 'overwritten@copy' ? { ...entry, isLatest: false } : entry));
    expect(planBucketRestore(afterRestore, target).actions.map((action) => action.key)).not.toContain('overwritten');
  });

  it('names the versions the bucket no longer has instead of copying something else', () => {
    const target = bucketStateAt(listing, T);
    const expired = listing.filter((entry) => entry.versionId !== 'overwritten@1');
    expect(planBucketRestore(expired, target).missing).toEqual([{ key: 'overwritten', versionId: 'overwritten@1' }]);
  });
});

describe("MinIO's version listing", () => {
  const page = parseVersionPage(readFileSync(path.join(import.meta.dirname, 'fixtures', 'list-versions-page.xml'), 'utf8'));

  it('keeps versions and delete markers in the order MinIO wrote them, keys decoded, ETags unquoted', () => {
    expect(page.entries.map((entry) => [entry.key, entry.deleteMarker, entry.isLatest, entry.etag, entry.size, entry.lastModified.toISOString()])).toEqual([
      ['files/a b+c.bin', false, true, 'dd5c8bf51558ffcbe5007071908e9524', 5, '2026-11-30T05:11:31.212Z'],
      ['files/a b+c.bin', true, false, '', 0, '2026-11-30T05:11:31.207Z'],
      ['files/a b+c.bin', false, false, '26de793d084efdd1c4134652c5494af1', 7, '2026-11-30T05:11:31.201Z'],
      ['files/a b+c.bin', false, false, '8b04d5e3775d298e78455efc5ca404d5', 5, '2026-11-30T05:11:31.195Z'],
    ]);
  });

  it("reads the next page's markers (MinIO's own suffix included) and escapes them as SigV4 signs them", () => {
    expect(page).toMatchObject({ truncated: true, nextKeyMarker: 'files/a b+c.bin[minio_cache:v2,return:]', nextVersionIdMarker: '25eebb45-30ed-409a-b24b-20451fa79da9' });
    expect(sigV4Escape(page.nextKeyMarker!)).toBe('files%2Fa%20b%2Bc.bin%5Bminio_cache%3Av2%2Creturn%3A%5D');
    expect(sigV4Escape("it's (1)!*")).toBe('it%27s%20%281%29%21%2A');
  });
});
