// verify's "backup: last recovery point" row over a real directory target: the newest point's age against the
// schedule and the window, a target that cannot be listed, and no row at all without a backup: section.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatManifest, MANIFEST_FILE, MANIFEST_FORMAT, pointId, type Manifest } from '../../generator/backup/manifest.ts';
import { pointKeyFrom, signatureOf } from '../../generator/backup/pointKey.ts';
import { directoryStore, type PointStore } from '../../generator/backup/stores.ts';
import { checkRecoveryPoints } from '../../generator/verify/recoveryPoints.ts';

const root = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-verify-points-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const backup = { schedule: '17 3 * * *', windowDays: 7 };
const KEY = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'verify-row-test-key-0123456789abcdef' })!;
const withKey = (stores: () => PointStore[]) => ({ backup, stores, pointKey: () => KEY });
const now = new Date('2026-11-30T12:00:00.000Z');

/**
 * A target holding points cut at these moments (only their manifests: the row reads nothing else), signed with the
 * runner's key unless `signed` says otherwise.
 */
function target(name: string, cuts: string[], signed: 'key' | 'unsigned' | 'other key' = 'key'): PointStore {
  const directory = path.join(root, name);
  for (const cut of cuts) {
    const id = pointId(new Date(new Date(cut).getTime() - 1_000));
    const unsignedManifest: Manifest = {
      format: MANIFEST_FORMAT,
      id,
      environment: 'production',
      stack: 'milvus',
      reason: 'scheduled',
      cut,
      etcd: { file: 'etcd.db', endpoint: 'http://etcd2:2379', startedAt: cut, endedAt: cut, sha256: 'a'.repeat(64), bytes: 20512, revision: 9, hash: 1, totalKey: 10, totalSize: 20480 },
      bucket: { name: 'milvus-bucket', objects: 1, bytes: 1, inventory: 'objects.ndjson.gz', inventorySha256: 'b'.repeat(64), windowDays: 7 },
    };
    const other = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'someone-elses-key-0123456789abcdef' })!;
    const manifest = signed === 'unsigned' ? unsignedManifest : { ...unsignedManifest, signature: signatureOf(unsignedManifest, signed === 'key' ? KEY : other) };
    mkdirSync(path.join(directory, id), { recursive: true });
    writeFileSync(path.join(directory, id, MANIFEST_FILE), formatManifest(manifest));
  }
  return directoryStore(directory);
}

describe('backup: last recovery point', () => {
  it('passes with a point within the schedule, naming it and where it is', async () => {
    const store = target('fresh', ['2026-11-27T03:17:05.000Z', '2026-11-30T03:17:05.000Z']);
    expect(await checkRecoveryPoints(withKey(() => [store]), 'production', 5_000, now)).toEqual({
      status: 'pass',
      reason: `the newest point is 8 hours 42 minutes old (20261130T031704.000Z, in ${store.where})`,
    });
  });

  it('warns past twice the schedule, fails past the window, fails without any point', async () => {
    const late = await checkRecoveryPoints(withKey(() => [target('late', ['2026-11-28T03:00:00.000Z'])]), 'production', 5_000, now);
    expect(late.status).toBe('warn');
    expect(late.reason).toMatch(/^the newest point is 2 days 9 hours old, more than twice the 1 day between scheduled points/);
    const old = await checkRecoveryPoints(withKey(() => [target('old', ['2026-11-20T03:00:00.000Z'])]), 'production', 5_000, now);
    expect(old).toMatchObject({ status: 'fail', reason: expect.stringMatching(/beyond the 7-day window/) });
    expect(await checkRecoveryPoints(withKey(() => [target('none', [])]), 'production', 5_000, now)).toMatchObject({ status: 'fail', reason: expect.stringMatching(/^no recovery point yet/) });
  });

  it('never passes while a target cannot be listed, and names it; a target that cannot even be made is a fail with its reason', async () => {
    writeFileSync(path.join(root, 'a-file'), 'not a directory');
    const broken = directoryStore(path.join(root, 'a-file'));
    const fresh = target('fresh2', ['2026-11-30T03:17:05.000Z']);
    const row = await checkRecoveryPoints(withKey(() => [broken, fresh]), 'production', 5_000, now);
    expect(row.status).toBe('warn');
    expect(row.reason).toMatch(new RegExp(`; directory ${root}/a-file not listed: ENOTDIR`));
    const missingKeys = await checkRecoveryPoints(withKey(() => { throw new Error('the S3 target needs BACKUP_S3_ACCESS_KEY and BACKUP_S3_SECRET_KEY'); }), 'production', 5_000, now);
    expect(missingKeys).toEqual({ status: 'fail', reason: 'the targets cannot be listed: the S3 target needs BACKUP_S3_ACCESS_KEY and BACKUP_S3_SECRET_KEY' });
  });

  it('counts only authenticated points: planted ones dated in the future, unsigned or signed with another key never keep it green', async () => {
    const planted = target('planted', ['9999-12-31T00:00:00.000Z', '2026-11-30T11:00:00.000Z'], 'unsigned');
    const forged = target('forged', ['2026-11-30T10:00:00.000Z'], 'other key');
    const future = target('future', ['9999-12-30T00:00:00.000Z']);
    const row = await checkRecoveryPoints(withKey(() => [planted, forged, future]), 'production', 5_000, now);
    expect(row).toEqual({ status: 'fail', reason: 'no recovery point yet: run npx milvus-swarm backup --env NAME; 4 more not counted (npx milvus-swarm backup list says why)' });
    // Beside a real point, the newest real one is judged, not the planted future one.
    const real = target('real', ['2026-11-29T03:17:05.000Z']);
    const beside = await checkRecoveryPoints(withKey(() => [future, real]), 'production', 5_000, now);
    expect(beside).toMatchObject({ status: 'pass', reason: expect.stringMatching(/^the newest point is 1 day 8 hours 42 minutes old \(20261129T031704\.000Z, in directory .*\/real\); 1 more not counted/) });
  });

  it('never passes without the key: it says the points are not authenticated', async () => {
    const store = target('no-key', ['2026-11-30T03:17:05.000Z']);
    const row = await checkRecoveryPoints({ backup, stores: () => [store], pointKey: () => undefined }, 'production', 5_000, now);
    expect(row).toEqual({
      status: 'warn',
      reason: `the newest point is 8 hours 42 minutes old (20261130T031704.000Z, in ${store.where}); MILVUS_SWARM_POINT_KEY is not set: no point is authenticated (verify.yml passes it)`,
    });
  });
});
