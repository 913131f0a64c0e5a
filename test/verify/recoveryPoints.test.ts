// verify's "backup: last recovery point" row over a real directory target: the newest point's age against the
// schedule and the window, a target that cannot be listed, and no row at all without a backup: section.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatManifest, MANIFEST_FILE, MANIFEST_FORMAT, pointId, type Manifest } from '../../generator/backup/manifest.ts';
import { directoryStore, type PointStore } from '../../generator/backup/stores.ts';
import { checkRecoveryPoints } from '../../generator/verify/recoveryPoints.ts';

const root = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-verify-points-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const backup = { schedule: '17 3 * * *', windowDays: 7 };
const now = new Date('2026-11-30T12:00:00.000Z');

/** A target holding points cut at these moments (only their manifests: the row reads nothing else). */
function target(name: string, cuts: string[]): PointStore {
  const directory = path.join(root, name);
  for (const cut of cuts) {
    const id = pointId(new Date(new Date(cut).getTime() - 1_000));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      id,
      environment: 'production',
      stack: 'milvus',
      reason: 'scheduled',
      cut,
      etcd: { file: 'etcd.db', endpoint: 'http://etcd2:2379', startedAt: cut, endedAt: cut, sha256: 'a'.repeat(64), bytes: 20512, revision: 9, hash: 1, totalKey: 10, totalSize: 20480 },
      bucket: { name: 'milvus-bucket', objects: 1, bytes: 1, inventory: 'objects.ndjson.gz', inventorySha256: 'b'.repeat(64), windowDays: 7 },
    };
    mkdirSync(path.join(directory, id), { recursive: true });
    writeFileSync(path.join(directory, id, MANIFEST_FILE), formatManifest(manifest));
  }
  return directoryStore(directory);
}

describe('backup: last recovery point', () => {
  it('passes with a point within the schedule, naming it and where it is', async () => {
    const store = target('fresh', ['2026-11-27T03:17:05.000Z', '2026-11-30T03:17:05.000Z']);
    expect(await checkRecoveryPoints({ backup, stores: () => [store] }, 5_000, now)).toEqual({
      status: 'pass',
      reason: `the newest point is 8 hours 42 minutes old (20261130T031704.000Z, in ${store.where})`,
    });
  });

  it('warns past twice the schedule, fails past the window, fails without any point', async () => {
    const late = await checkRecoveryPoints({ backup, stores: () => [target('late', ['2026-11-28T03:00:00.000Z'])] }, 5_000, now);
    expect(late.status).toBe('warn');
    expect(late.reason).toMatch(/^the newest point is 2 days 9 hours old, more than twice the 1 day between scheduled points/);
    const old = await checkRecoveryPoints({ backup, stores: () => [target('old', ['2026-11-20T03:00:00.000Z'])] }, 5_000, now);
    expect(old).toMatchObject({ status: 'fail', reason: expect.stringMatching(/beyond the 7-day window/) });
    expect(await checkRecoveryPoints({ backup, stores: () => [target('none', [])] }, 5_000, now)).toMatchObject({ status: 'fail', reason: expect.stringMatching(/^no recovery point yet/) });
  });

  it('never passes while a target cannot be listed, and names it; a target that cannot even be made is a fail with its reason', async () => {
    writeFileSync(path.join(root, 'a-file'), 'not a directory');
    const broken = directoryStore(path.join(root, 'a-file'));
    const fresh = target('fresh2', ['2026-11-30T03:17:05.000Z']);
    const row = await checkRecoveryPoints({ backup, stores: () => [broken, fresh] }, 5_000, now);
    expect(row.status).toBe('warn');
    expect(row.reason).toMatch(new RegExp(`; directory ${root}/a-file not listed: ENOTDIR`));
    const missingKeys = await checkRecoveryPoints({ backup, stores: () => { throw new Error('the S3 target needs BACKUP_S3_ACCESS_KEY and BACKUP_S3_SECRET_KEY'); } }, 5_000, now);
    expect(missingKeys).toEqual({ status: 'fail', reason: 'the targets cannot be listed: the S3 target needs BACKUP_S3_ACCESS_KEY and BACKUP_S3_SECRET_KEY' });
  });
});
