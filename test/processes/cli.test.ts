// `milvus-swarm backup`, `backup list` and `restore` end to end against real processes: an environment whose etcd
// member and MinIO are given with --etcd-endpoint / --s3-endpoint (as verify takes them), a directory target and a
// second MinIO as the S3 target, credentials from the environment as an operator or a runner gives them.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedBin } from '../cliProcess.ts';
import { isReserved } from '../../generator/backup/bucketCut.ts';
import { ensureRecoveryWindow } from '../../generator/backup/s3.ts';
import { main } from '../../generator/cli.ts';
import { MILVUS_STOPPED } from '../../generator/commands/backup.ts';
import { EXIT, type CommandIO } from '../../generator/commands/io.ts';
import { frozenText } from '../frozen.ts';
import { binaries, freePort, readObject, removeScratch, scratchDir, startEtcd, startMinio, type LocalEtcd, type LocalMinio } from './support/processes.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const BUCKET = 'milvus-bucket';
let directory: string;
let repository: string;
let etcd: LocalEtcd;
let minio: LocalMinio;
let offCluster: LocalMinio;
let client: Client;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  directory = scratchDir('backup-cli');
  [etcd, minio, offCluster] = await Promise.all([startEtcd(directory), startMinio(directory), startMinio(directory)]);
  client = minio.client();
  await client.makeBucket(BUCKET);
  await offCluster.client().makeBucket('recovery-points');
  // A repository with one environment: the frozen local topology with recovery points set up.
  repository = path.join(directory, 'repository');
  mkdirSync(path.join(repository, 'environments'), { recursive: true });
  const backup = [
    'backup:',
    '  schedule: "17 3 * * *"',
    '  keep: 3',
    '  windowDays: 7',
    '  targets:',
    `    directory: ${path.join(directory, 'points')}`,
    `    s3: { endpoint: "http://${offCluster.endpoint}", bucket: recovery-points, prefix: drill, accessKeyVariable: DRILL_S3_KEY, secretKeyVariable: DRILL_S3_SECRET }`,
  ];
  writeFileSync(path.join(repository, 'environments', 'drill.yaml'), `${frozenText('local')}\n${backup.join('\n')}\n`);
  env = {
    PATH: process.env.PATH,
    MINIO_ROOT_USER: minio.accessKey,
    MINIO_ROOT_PASSWORD: minio.secretKey,
    DRILL_S3_KEY: offCluster.accessKey,
    DRILL_S3_SECRET: offCluster.secretKey,
    MILVUS_SWARM_ETCDCTL: binaries.etcdctl,
    MILVUS_SWARM_ETCDUTL: binaries.etcdutl,
  };
});

afterAll(async () => {
  await Promise.all([etcd?.stop(), minio?.stop(), offCluster?.stop()]);
  removeScratch(directory);
});

const run = (...argv: string[]) => runIn(env, ...argv);

async function runIn(environment: NodeJS.ProcessEnv, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { cwd: repository, out: (line) => out.push(...line.split('\n')), err: (line) => err.push(...line.split('\n')), env: environment };
  const code = await main(argv, io);
  return { code, out, err };
}

const endpoints = () => ['--etcd-endpoint', etcd.endpoint, '--s3-endpoint', minio.endpoint];

async function state(): Promise<{ keys: Record<string, string>; objects: Record<string, string> }> {
  const etcdClient = etcd.client();
  try {
    const keys = await etcdClient.getAll().prefix('by-dev/').strings();
    const objects: Record<string, string> = {};
    for await (const item of client.listObjectsV2(BUCKET, '', true)) {
      if (item.name && !isReserved(item.name)) objects[item.name] = createHash('sha256').update(await readObject(client, BUCKET, item.name)).digest('hex');
    }
    return { keys, objects };
  } finally {
    etcdClient.close();
  }
}

describe('backup, backup list and restore', () => {
  let pointId: string;
  let atPoint: Awaited<ReturnType<typeof state>>;

  it('refuse what they cannot do: no point given, an unknown subcommand (exit 2); no swarm to snapshot from (exit 1, one line)', async () => {
    expect(await run('restore', '--env', 'drill')).toMatchObject({ code: EXIT.usage, err: ['milvus-swarm: restore needs --point ID (as `backup list` shows it) or --point latest'] });
    expect(await run('backup', 'frobnicate', '--env', 'drill')).toMatchObject({ code: EXIT.usage, err: ['milvus-swarm: backup: unknown subcommand "frobnicate" (expected list)'] });
    // Without --etcd-endpoint the swarm's members are asked through docker: an engine that is not there is one line.
    const swarm = await runIn({ ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, 'backup', '--env', 'drill', '--s3-endpoint', minio.endpoint);
    expect(swarm.code).toBe(EXIT.failed);
    expect(swarm.err).toHaveLength(1);
    expect(swarm.err[0]).toMatch(/^milvus-swarm: no etcd member of milvus answers on milvus_milvus-cluster-net \(etcd1, etcd2, etcd3\): .*docker/i);
  });

  it('backup refuses a bucket that is not versioned, and lists no points', async () => {
    const refused = await run('backup', '--env', 'drill', ...endpoints());
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.err).toEqual([`backup drill: no recovery point: bucket ${BUCKET} is not versioned (Off): deploy turns versioning on from the topology's backup: section before the first point`]);
    expect(refused.out).toEqual([]);
    expect(await run('backup', 'list', '--env', 'drill')).toMatchObject({ code: EXIT.ok, out: [`drill: directory ${path.join(directory, 'points')}, s3 http://${offCluster.endpoint}/recovery-points/drill`, 'no recovery points'] });
  });

  it('backup makes a point; its id is the last line; backup list shows its figures from both targets', async () => {
    await ensureRecoveryWindow(client, BUCKET, 7); // what deploy sets from the topology
    const etcdClient = etcd.client();
    try {
      for (let index = 0; index < 50; index++) await etcdClient.put(`by-dev/meta/segment/${index}`).value(`{"id":${index}}`);
    } finally {
      etcdClient.close();
    }
    for (let index = 0; index < 12; index++) await client.putObject(BUCKET, `files/insert_log/${index}`, randomBytes(1000));
    atPoint = await state();

    const made = await run('backup', '--env', 'drill', ...endpoints(), '--reason', 'before the drill');
    expect(made.err).toEqual([]);
    expect(made.code).toBe(EXIT.ok);
    pointId = made.out.at(-1)!;
    expect(pointId).toMatch(/^\d{8}T\d{6}\.\d{3}Z$/);
    expect(made.out[0]).toBe(`recovery point ${pointId} (before the drill) of drill`);
    expect(made.out[1]).toMatch(/^ {2}etcd {4}revision \d+, 50 keys, snapshot [\d.]+ KiB \(sha256 [0-9a-f]{12}…\), from http:\/\/127\.0\.0\.1:\d+ in [\d.]+ s$/);
    expect(made.out[2]).toMatch(new RegExp(`^  bucket  ${BUCKET} as of \\S+: 12 objects, 11\\.7 KiB; window 7 days; listed in`));

    // Without --env: every environment with a backup: section (here the one).
    const listed = await run('backup', 'list');
    expect(listed.code).toBe(EXIT.ok);
    expect(listed.out[0]).toMatch(/^drill: directory /);
    expect(listed.out[1]).toMatch(/^POINT +REASON +CUT +ETCD REV +KEYS +SNAPSHOT +OBJECTS +BYTES +RESTORES +WHERE$/);
    expect(listed.out[2]).toMatch(new RegExp(`^${pointId.replace('.', '\\.')} +before the drill +\\S+ \\S+ +\\d+ +50 +[\\d.]+ KiB +12 +11\\.7 KiB +etcd \\+ bucket +directory, s3$`));
  });

  it('restore without --yes says first that Milvus must be stopped, names the point, changes nothing and exits 3', async () => {
    const before = await state();
    const asked = await run('restore', '--env', 'drill', '--point', 'latest', ...endpoints());
    expect(asked.code).toBe(EXIT.destructive);
    expect(asked.err[0]).toBe(MILVUS_STOPPED);
    expect(asked.err[1]).toMatch(new RegExp(`^point ${pointId.replace('.', '\\.')} \\(before the drill\\): etcd revision`));
    // The point by its id: `--point latest` run again could name another point by then.
    expect(asked.err.at(-1)).toBe(`not confirmed: nothing was changed; run again with --yes to restore point ${pointId}`);
    expect(await state()).toEqual(before);
  });

  it('restore --yes brings etcd (into a data dir for the member) and the bucket back, and says how to undo it', async () => {
    const etcdClient = etcd.client();
    try {
      await etcdClient.delete().prefix('by-dev/meta/segment/1');
    } finally {
      etcdClient.close();
    }
    await client.removeObject(BUCKET, 'files/insert_log/3');
    await client.putObject(BUCKET, 'files/insert_log/4', Buffer.from('overwritten'));
    await client.putObject(BUCKET, 'files/insert_log/new', Buffer.from('new'));
    const damaged = await state();
    expect(damaged).not.toEqual(atPoint);

    const peerPort = await freePort();
    const dataDir = path.join(directory, 'restored.etcd');
    const restored = await run('restore', '--env', 'drill', '--point', pointId, '--yes', ...endpoints(), '--etcd-data-dir', dataDir, '--etcd-member', `etcd1=http://127.0.0.1:${peerPort}`);
    expect(restored.err).toEqual([MILVUS_STOPPED]);
    expect(restored.code).toBe(EXIT.ok);
    expect(restored.out.find((line) => line.startsWith('  bucket  '))).toBe(
      '  bucket  2 objects (1.95 KiB) brought back to their version at the cut, 1 object (3 B) written after it hidden under delete markers, 10 unchanged',
    );
    expect(restored.out.find((line) => line.startsWith('  etcd    '))).toMatch(/^ {2}etcd {4}revision \d+, 39 keys → revision \d+, 50 keys; restored into data dir /);
    const undo = /^to undo: npx milvus-swarm restore --env drill --point (\S+) --yes$/.exec(restored.out.at(-1)!);
    expect(undo).not.toBeNull();

    // The operator starts etcd on the restored data dir (same client URL), as the note says.
    const clientPort = Number(etcd.endpoint.split(':')[1]);
    await etcd.stop();
    etcd = await startEtcd(directory, { dataDir, name: 'etcd1', clientPort, peerPort });
    expect(await state()).toEqual(atPoint);

    // The undo point is a point like any other: listed, restorable.
    const listed = await run('backup', 'list', '--env', 'drill');
    expect(listed.out.filter((line) => line.startsWith(undo![1]!))).toHaveLength(1);
    expect(listed.out.find((line) => line.startsWith(undo![1]!))).toContain(`before restore of ${pointId}`);
  });

  it('works as a process: npx milvus-swarm backup prints the id last and exits 0', async () => {
    const child = spawn(shippedBin(), ['backup', '--env', 'drill', ...endpoints()], { cwd: repository, env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(Buffer.concat(stderr).toString()).toBe('');
    expect(code).toBe(0);
    const lines = Buffer.concat(stdout).toString().trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^\d{8}T\d{6}\.\d{3}Z$/);
    expect(readFileSync(path.join(directory, 'points', lines.at(-1)!, 'manifest.json'), 'utf8')).toContain('"reason": "manual"');
  });
});
