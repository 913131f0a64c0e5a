// etcd snapshots against real etcd processes: saved with etcdctl, checked with etcdutl and etcd's own sha256, a
// flipped byte refused, and a restore into a fresh data dir that a new etcd starts on with every key back.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSnapshot, localTool, restoredClusterToken, restoreSnapshot, saveSnapshot } from '../../generator/backup/etcdSnapshot.ts';
import { binaries, freePort, removeScratch, scratchDir, startEtcd, type LocalEtcd } from './support/processes.ts';

const etcdctl = localTool(binaries.etcdctl);
const etcdutl = localTool(binaries.etcdutl);

let directory: string;
let source: LocalEtcd;
let restored: LocalEtcd | undefined;
const written = new Map<string, string>();
let revision = 0;

beforeAll(async () => {
  directory = scratchDir('etcd-snapshot');
  source = await startEtcd(directory);
  const client = source.client();
  try {
    for (let index = 0; index < 300; index++) {
      const key = `by-dev/meta/root-coord/collection/${index}`;
      const value = `{"id":${index},"fields":"${'x'.repeat(index % 50)}"}`;
      await client.put(key).value(value);
      written.set(key, value);
    }
    // Deletes and overwrites: the revision runs ahead of the key count, as in Milvus's etcd.
    for (let index = 0; index < 300; index += 10) {
      await client.delete().key(`by-dev/meta/root-coord/collection/${index}`);
      written.delete(`by-dev/meta/root-coord/collection/${index}`);
    }
    await client.put('by-dev/meta/session/id').value('42');
    written.set('by-dev/meta/session/id', '42');
    revision = Number((await client.get('by-dev/meta/session/id').exec()).header.revision);
  } finally {
    client.close();
  }
});

afterAll(async () => {
  await restored?.stop();
  await source?.stop();
  removeScratch(directory);
});

async function allKeys(member: LocalEtcd): Promise<Map<string, string>> {
  const client = member.client();
  try {
    return new Map(Object.entries(await client.getAll().prefix('').strings()));
  } finally {
    client.close();
  }
}

describe('an etcd snapshot', () => {
  const file = () => path.join(directory, 'etcd.db');

  it('is saved from one member, and etcdutl reads its revision and figures', async () => {
    const saved = await saveSnapshot(etcdctl, { endpoint: source.clientUrl, file: file() });
    expect(saved.bytes % 512).toBe(32); // the db's pages, then etcd's sha256 of them
    const checked = await checkSnapshot(etcdutl, file());
    expect(checked.problems).toEqual([]);
    expect(checked.digest.trailerMatches).toBe(true);
    expect(checked.status).toMatchObject({ revision, totalSize: saved.bytes - 32 });
    // Backend entries: the keys plus etcd's own (meta, members, auth...), so more than the 271 written.
    expect(checked.status!.totalKey).toBeGreaterThan(written.size);
  });

  it('with one flipped byte is refused, by etcd sha256 and against what the point recorded', async () => {
    const original = await checkSnapshot(etcdutl, file());
    const bytes = readFileSync(file());
    // A byte inside one key's value: a byte picked by position (the middle of the file, once) can land in a branch
    // page or the freelist, which bbolt's structure check refuses, and whether it does depends on the file's layout.
    const inValue = bytes.indexOf(Buffer.from('{"id":150,'));
    expect(inValue).toBeGreaterThan(0);
    bytes[inValue + 2]! ^= 0x01;
    const damaged = path.join(directory, 'damaged.db');
    writeFileSync(damaged, bytes);
    const expected = { sha256: original.digest.sha256, bytes: original.digest.bytes, revision, hash: original.status!.hash, totalKey: original.status!.totalKey };
    const checked = await checkSnapshot(etcdutl, damaged, expected);
    expect(checked.problems).toContain("etcd's sha256 at the end of the file does not match its contents (a changed or damaged file)");
    expect(checked.problems.some((problem) => problem.startsWith('sha256 ') && problem.endsWith('the point recorded'))).toBe(true);
    // bbolt's structure check passes a changed value: etcdutl snapshot status alone would not have noticed.
    expect(checked.status).toBeDefined();

    // etcdutl restore refuses it too, but only after it has begun writing the data dir: why the check comes first.
    const dataDir = path.join(directory, 'from-damaged');
    await expect(restoreSnapshot(etcdutl, { file: damaged, dataDir, member: { name: 'etcd1', peerUrl: 'http://127.0.0.1:1' }, cluster: [{ name: 'etcd1', peerUrl: 'http://127.0.0.1:1' }], clusterToken: 't' })).rejects.toThrow(
      /expected sha256/,
    );
    expect(existsSync(path.join(dataDir, 'member', 'snap', 'db'))).toBe(true);
  });

  it('restores into a fresh data dir with a new cluster token; etcd started on it has every key', async () => {
    const peerPort = await freePort();
    const member = { name: 'etcd1', peerUrl: `http://127.0.0.1:${peerPort}` };
    const dataDir = path.join(directory, 'restored.etcd');
    const clusterToken = restoredClusterToken('milvus-etcd', new Date('2026-11-30T05:20:07.123Z'));
    expect(clusterToken).toBe('milvus-etcd-restored-20261130t052007z');
    await restoreSnapshot(etcdutl, { file: file(), dataDir, member, cluster: [member], clusterToken });

    restored = await startEtcd(directory, { dataDir, name: 'etcd1', peerPort, clusterToken: 'ignored-once-the-data-dir-exists' });
    expect(await allKeys(restored)).toEqual(written);
    const client = restored.client();
    try {
      const members = await client.cluster.memberList({});
      expect(members.members.map((entry) => [entry.name, entry.peerURLs])).toEqual([['etcd1', [member.peerUrl]]]);
      expect(Number((await client.get('by-dev/meta/session/id').exec()).header.revision)).toBeGreaterThanOrEqual(revision);
    } finally {
      client.close();
    }
  });

  it('is not restored over a data dir that holds anything', async () => {
    const dataDir = path.join(directory, 'occupied');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'something'), 'x');
    const member = { name: 'etcd1', peerUrl: 'http://127.0.0.1:2380' };
    await expect(restoreSnapshot(etcdutl, { file: file(), dataDir, member, cluster: [member], clusterToken: 't' })).rejects.toThrow(/not empty/);
    expect(readFileSync(path.join(dataDir, 'something'), 'utf8')).toBe('x');
  });
});
