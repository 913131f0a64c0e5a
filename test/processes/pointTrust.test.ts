// Recovery points are not trusted because they exist (issue 23.3). Real etcd, Milvus's MinIO and a second MinIO as the
// S3 target; the attacker is whoever can write a target: folders planted in the directory and the S3 prefix, dated in
// the future, unsigned, signed with another key, under another folder's id, with a manifest.json that links to a
// credentials file, with escape sequences in their strings. None is counted, pruned or restored; a scheduled backup
// still writes and keeps its own point; `latest` is the newest authentic point.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTool } from '../../generator/backup/etcdSnapshot.ts';
import { formatManifest, MANIFEST_FILE, parseManifest, type Manifest } from '../../generator/backup/manifest.ts';
import { pointKeyFrom, signatureOf } from '../../generator/backup/pointKey.ts';
import { listRecoveryPoints, makeRecoveryPoint, type BackupInput } from '../../generator/backup/recoveryPoint.ts';
import { choosePoint, restoreRecoveryPoint, type EtcdMembersRestorer } from '../../generator/backup/restore.ts';
import { ensureRecoveryWindow } from '../../generator/backup/s3.ts';
import { directoryStore, s3Store, type PointStore } from '../../generator/backup/stores.ts';
import { binaries, POINT_KEY, removeScratch, scratchDir, startEtcd, startMinio, type LocalEtcd, type LocalMinio } from './support/processes.ts';

const BUCKET = 'milvus-bucket';
const etcdctl = localTool(binaries.etcdctl);
const etcdutl = localTool(binaries.etcdutl);
const OTHER_KEY = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: 'an-attackers-own-key-0123456789abcdef' })!;
/** What a credentials file on the manager holds: it must never reach any output. */
const SECRET_BYTES = 'MINIO_ROOT_PASSWORD=the-bytes-of-a-credentials-file-7f3a';

let directory: string;
let pointsDir: string;
let etcd: LocalEtcd;
let minio: LocalMinio;
let offCluster: LocalMinio;
let client: Client;
let stores: PointStore[];
let real: Manifest;

const trust = () => ({ key: POINT_KEY, environment: 'local', now: new Date() });
const backupInput = (reason: string, keep = 2): BackupInput => ({
  environment: 'local',
  stack: 'milvus',
  bucket: BUCKET,
  windowDays: 7,
  keep,
  reason,
  etcd: { endpoint: etcd.clientUrl, etcdctl, etcdutl },
  minio: client,
  stores,
  pointKey: POINT_KEY,
  workDir: path.join(directory, 'work'),
});

/** A folder in the directory target with this manifest text (or a link as its manifest.json). */
function plant(id: string, manifest: string | { linkTo: string }): void {
  mkdirSync(path.join(pointsDir, id), { recursive: true });
  const file = path.join(pointsDir, id, MANIFEST_FILE);
  if (typeof manifest === 'string') writeFileSync(file, manifest);
  else symlinkSync(manifest.linkTo, file);
}

/** The real point's manifest under another id, as an attacker copies it: unsigned, or signed with their key. */
const copyOf = (id: string, change: Partial<Manifest> = {}): Manifest => {
  const { signature: _dropped, ...unsigned } = real;
  return { ...unsigned, id, ...change };
};
const signed = (manifest: Manifest, key = POINT_KEY): Manifest => ({ ...manifest, signature: signatureOf(manifest, key) });

beforeAll(async () => {
  directory = scratchDir('point-trust');
  pointsDir = path.join(directory, 'points');
  [etcd, minio, offCluster] = await Promise.all([startEtcd(directory), startMinio(directory), startMinio(directory)]);
  client = minio.client();
  await client.makeBucket(BUCKET);
  await ensureRecoveryWindow(client, BUCKET, 7);
  await offCluster.client().makeBucket('recovery-points');
  stores = [directoryStore(pointsDir), s3Store(offCluster.client(), { bucket: 'recovery-points', prefix: 'local', endpoint: `http://${offCluster.endpoint}` })];
  const made = await makeRecoveryPoint(backupInput('scheduled'));
  if (!made.ok || !made.manifest) throw new Error(`the first point: ${made.problem ?? JSON.stringify(made.stores)}`);
  real = made.manifest;
  writeFileSync(path.join(directory, 'credentials'), SECRET_BYTES);
});

afterAll(async () => {
  await Promise.all([etcd?.stop(), minio?.stop(), offCluster?.stop()]);
  removeScratch(directory);
});

describe('planted points', () => {
  it('are listed with the reason each is refused, and only the point this runner signed is authentic', async () => {
    // Dated 9999: signed with the right key even (a copied manifest re-signed is still dated in the future).
    plant('99991231T000000.000Z', formatManifest(signed(copyOf('99991231T000000.000Z', { cut: '9999-12-31T00:00:01.000Z' }))));
    plant('99991230T000000.000Z', formatManifest(copyOf('99991230T000000.000Z')));
    plant('20200101T000000.000Z', formatManifest(copyOf('20200101T000000.000Z')));
    plant('20200102T000000.000Z', formatManifest(signed(copyOf('20200102T000000.000Z'), OTHER_KEY)));
    plant('20200103T000000.000Z', formatManifest(signed(copyOf('20200104T000000.000Z'))));
    plant('20200105T000000.000Z', { linkTo: path.join(directory, 'credentials') });
    plant('20200106T000000.000Z', formatManifest(copyOf('20200106T000000.000Z', { reason: 'scheduled\u001b[2K\u001b[1Gpoint 20200106 (manual): looks fine' })));
    plant('20200107T000000.000Z', SECRET_BYTES);
    plant('20201399T000000.000Z', formatManifest(copyOf('20201399T000000.000Z')));
    // The S3 target gets one too.
    await offCluster.client().putObject('recovery-points', 'local/99991229T000000.000Z/manifest.json', Buffer.from(formatManifest(copyOf('99991229T000000.000Z'))));

    const { points, storeErrors } = await listRecoveryPoints(stores, trust());
    expect(storeErrors).toEqual([]);
    const byId = Object.fromEntries(points.map((point) => [point.id, [point.trust, point.reason ?? point.problems.join('; ')]]));
    const clock = /\(this machine's clock says \S+\)/;
    expect(byId).toEqual({
      '99991231T000000.000Z': ['refused', expect.stringMatching(new RegExp(`^dated in the future ${clock.source}$`))],
      '99991230T000000.000Z': ['refused', expect.stringMatching(/^dated in the future/)],
      '99991229T000000.000Z': ['refused', expect.stringMatching(/^dated in the future/)],
      '20201399T000000.000Z': ['refused', '20201399T000000.000Z is not a moment'],
      '20200107T000000.000Z': ['refused', `manifest.json not JSON (${SECRET_BYTES.length} bytes)`],
      '20200106T000000.000Z': ['refused', 'manifest.json reason: holds a control, format or bidi character'],
      '20200105T000000.000Z': ['refused', 'manifest.json unreadable: manifest.json is a symbolic link'],
      '20200103T000000.000Z': ['refused', 'its manifest names point 20200104T000000.000Z, not its folder 20200103T000000.000Z'],
      '20200102T000000.000Z': ['refused', 'its signature does not match MILVUS_SWARM_POINT_KEY (changed since it was made, or made with another key)'],
      '20200101T000000.000Z': ['unsigned', 'not signed (made before points were signed, or by hand)'],
      [real.id]: ['authentic', ''],
    });
    expect(points.find((point) => point.id === real.id)?.where).toEqual(stores.map((store) => store.where));
    // Nothing the listing says holds the linked file's bytes or the escape sequence.
    const said = JSON.stringify(points);
    expect(said).not.toContain('the-bytes-of-a-credentials-file');
    expect(said).not.toContain('\u001b');
  });

  it('make no scheduled backup prune itself: it writes, keeps its own point, and prunes only authentic points', async () => {
    const second = await makeRecoveryPoint(backupInput('scheduled'));
    expect(second.ok).toBe(true);
    expect(second.stores.map((store) => store.pruned)).toEqual([[], []]);
    const third = await makeRecoveryPoint(backupInput('scheduled'));
    expect(third.ok).toBe(true);
    // keep 2: the first real point goes, no planted folder is touched (they were never counted).
    expect(third.stores.map((store) => store.pruned)).toEqual([[real.id], [real.id]]);
    const { points } = await listRecoveryPoints(stores, trust());
    expect(points.filter((point) => point.trust === 'authentic').map((point) => point.id)).toEqual([third.manifest!.id, second.manifest!.id]);
    expect(points.filter((point) => point.trust !== 'authentic')).toHaveLength(10);
  });

  it('are never what --point latest picks, and a refused one is never restored, --allow-unsigned or not', async () => {
    const { points } = await listRecoveryPoints(stores, trust());
    const newest = points.find((point) => point.trust === 'authentic')!;
    expect(choosePoint(points, 'latest', true)).toMatchObject({ ok: true, point: { id: newest.id } });
    for (const id of ['99991231T000000.000Z', '20200102T000000.000Z', '20200103T000000.000Z', '20200105T000000.000Z']) {
      expect(choosePoint(points, id, true)).toEqual({ ok: false, problem: expect.stringMatching(new RegExp(`^point ${id.replace('.', '\\.')} is refused and never restored: `)) });
    }
    expect(choosePoint(points, '20200101T000000.000Z', false)).toEqual({
      ok: false,
      problem: 'point 20200101T000000.000Z is not signed (made before points were signed, or by hand): restore it with --allow-unsigned only if you trust the target it is kept in (whoever can write there decides what etcd becomes)',
    });
    expect(choosePoint(points, '20200101T000000.000Z', true)).toMatchObject({ ok: true, point: { trust: 'unsigned' } });
  });

  it('a point whose manifest was changed after it was made is refused before anything changes', async () => {
    const newest = (await listRecoveryPoints(stores, trust())).points.find((point) => point.trust === 'authentic')!;
    const file = path.join(pointsDir, newest.id, MANIFEST_FILE);
    const original = readFileSync(file, 'utf8');
    const parsed = parseManifest(original);
    if (!parsed.ok) throw new Error(parsed.problem);
    // One figure changed, the signature kept: what an attacker who swapped etcd.db would have to do.
    writeFileSync(file, formatManifest({ ...parsed.manifest, etcd: { ...parsed.manifest.etcd, sha256: 'f'.repeat(64) } }));
    let touched = false;
    const members: EtcdMembersRestorer = { where: 'nowhere', check: async () => [], restore: async () => ((touched = true), { notes: [] }) };
    try {
      const report = await restoreRecoveryPoint({
        point: newest.id,
        pointKey: POINT_KEY,
        allowUnsigned: true,
        environment: 'local',
        bucket: BUCKET,
        stores: [stores[0]!],
        minio: client,
        etcdutl,
        members,
        clusterToken: 'milvus-etcd-local',
        workDir: path.join(directory, 'work'),
      });
      expect(report).toMatchObject({ ok: false, stage: 'find', changed: false });
      expect(report.problems).toEqual([`point ${newest.id} is refused and never restored: its signature does not match MILVUS_SWARM_POINT_KEY (changed since it was made, or made with another key)`]);
      expect(touched).toBe(false);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('without the key: nothing is made, nothing is authentic, and an unsigned point restores only by id with --allow-unsigned', async () => {
    expect(await makeRecoveryPoint({ ...backupInput('scheduled'), pointKey: undefined })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^MILVUS_SWARM_POINT_KEY is not set: recovery points are signed with it/),
    });
    const { points } = await listRecoveryPoints(stores, { ...trust(), key: undefined });
    expect(points.filter((point) => point.trust === 'authentic')).toEqual([]);
    const unchecked = points.find((point) => point.trust === 'unchecked')!;
    expect(unchecked.reason).toBe('signed, but MILVUS_SWARM_POINT_KEY is not set here to check it');
    expect(choosePoint(points, 'latest', true)).toMatchObject({ ok: false, problem: expect.stringMatching(/^no authenticated recovery point in any target; not counted: \d+ \(/) });
    expect(choosePoint(points, unchecked.id, true)).toMatchObject({ ok: true, point: { id: unchecked.id } });
  });
});
