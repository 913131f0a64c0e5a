// Real etcd and MinIO processes for the tests of test/processes: single-node, on loopback, on free ports, with their
// data in a temporary folder, stopped (by the pid this file started, never by name) and removed afterwards.
// The binaries are the ones the e2e harness builds and caches (test/e2e/harness/binaries.ts): the project's global
// setup calls ensureBinaries(), so a clean machine builds them first.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { Client } from 'minio';
import { pointKeyFrom } from '../../../generator/backup/pointKey.ts';
import { MinioAdmin } from '../../../generator/minio/admin.ts';
import { cachedBinaries } from '../../e2e/harness/binaries.ts';
import { CACHE_DIR } from '../../e2e/harness/paths.ts';

export const binaries = cachedBinaries();

/** MILVUS_SWARM_POINT_KEY of the tests' runner (a fixed test value: nothing it signs outlives the test). */
export const POINT_KEY_TEXT = 'test-point-key-0123456789abcdef0123456789abcdef';
export const POINT_KEY = pointKeyFrom({ MILVUS_SWARM_POINT_KEY: POINT_KEY_TEXT })!;

/** A port nobody listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A temporary folder, removed by `removeScratch` (call it in afterAll). */
export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `milvus-swarm-${prefix}-`));
}

/**
 * A folder for a topology's recovery points: not under the temporary directory, which the backup-directory-private
 * rule refuses (anyone may plant folders there). Under the harness's cache; removed by `removeScratch`.
 */
export function pointsDir(prefix: string): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  return mkdtempSync(path.join(CACHE_DIR, `points-${prefix}-`));
}

export function removeScratch(directory: string | undefined): void {
  if (directory) rmSync(directory, { recursive: true, force: true });
}

export interface RunningProcess {
  child: ChildProcess;
  log: string;
  /** SIGTERM to this process, SIGKILL if it has not exited within 15 s; resolves once it has exited. */
  stop(): Promise<void>;
}

function startProcess(binary: string, args: string[], env: NodeJS.ProcessEnv, log: string): RunningProcess {
  const fd = openSync(log, 'a');
  const child = spawn(binary, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `ready` until it resolves true, up to `ms`; a process that exited meanwhile fails at once with its log. */
async function waitUntil(what: string, running: RunningProcess, ms: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  let lastAnswer = 'no answer yet';
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`${what} exited with ${running.child.exitCode}:\n${tail(running.log)}`);
    const answered = await ready().catch((error: unknown) => {
      lastAnswer = error instanceof Error ? error.message : String(error);
      return false;
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${ms / 1000} s (last answer: ${lastAnswer}):\n${tail(running.log)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const tail = (file: string) => readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');

export interface LocalEtcd extends RunningProcess {
  name: string;
  clientUrl: string;
  /** host:port, as etcdctl --endpoints and verify's --etcd-endpoint take it. */
  endpoint: string;
  peerUrl: string;
  dataDir: string;
  client(): Etcd3;
}

export interface EtcdOptions {
  /** A data dir to start on (a restored one); default: a new folder under `directory`. */
  dataDir?: string;
  name?: string;
  /** Keep these URLs (a restored data dir names its peer URL); default: free ports. */
  clientPort?: number;
  peerPort?: number;
  clusterToken?: string;
}

/** One etcd member as a one-member cluster; `directory` holds its data dir (unless given) and its log. */
export async function startEtcd(directory: string, options: EtcdOptions = {}): Promise<LocalEtcd> {
  const name = options.name ?? 'etcd1';
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const dataDir = options.dataDir ?? path.join(directory, `${name}-${randomBytes(3).toString('hex')}.etcd`);
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const log = path.join(directory, `${path.basename(dataDir)}.log`);
  const running = startProcess(
    binaries.etcd,
    [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${name}=${peerUrl}`,
      `--initial-cluster-token=${options.clusterToken ?? 'milvus-swarm-test'}`,
      '--log-level=warn',
    ],
    { PATH: process.env.PATH },
    log,
  );
  const member: LocalEtcd = {
    ...running,
    name,
    clientUrl,
    endpoint: `127.0.0.1:${clientPort}`,
    peerUrl,
    dataDir,
    client: () => new Etcd3({ hosts: clientUrl, defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 10_000 }) }),
  };
  await waitUntil(`etcd ${name}`, running, 30_000, async () => {
    const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && ((await response.json()) as { health?: string }).health === 'true';
  });
  return member;
}

export interface LocalMinio extends RunningProcess {
  port: number;
  /** host:port, as verify's --s3-endpoint takes it. */
  endpoint: string;
  consolePort: number;
  accessKey: string;
  secretKey: string;
  client(): Client;
}

/** A single-drive MinIO (xl-single: versioning and lifecycle work as on a pool) with random root credentials. */
/** `console: true` serves MinIO's console on `consolePort` (off otherwise: it costs start-up time). */
/** `serverArguments` replaces the one drive: MinIO's own arguments, e.g. two pools `DIR/a{1...4} DIR/b{1...4}`. */
export async function startMinio(directory: string, options: { console?: boolean; serverArguments?: string[] } = {}): Promise<LocalMinio> {
  const port = await freePort();
  const consolePort = await freePort();
  const drive = path.join(directory, `minio-${port}`);
  if (!options.serverArguments) mkdirSync(drive, { recursive: true });
  const accessKey = `test-${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(16).toString('hex');
  const running = startProcess(
    binaries.minio,
    ['server', '--quiet', '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, ...(options.serverArguments ?? [drive])],
    { PATH: process.env.PATH, HOME: directory, MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: options.console ? 'on' : 'off', MINIO_UPDATE: 'off',
      // Erasure sets refuse drives on the root disk (markRootDisksAsDown) unless MINIO_CI_CD is set: the temporary folder is there.
      ...(options.serverArguments ? { MINIO_CI_CD: 'on' } : {}) },
    path.join(directory, `minio-${port}.log`),
  );
  const client = () => new Client({ endPoint: '127.0.0.1', port, useSSL: false, accessKey, secretKey, region: 'us-east-1' });
  const probe = client();
  // /minio/health/live answers while MinIO still starts; a signed call that succeeds means it serves S3. S3 comes
  // before IAM, though: an admin call that reads a policy answered 500 "Server not initialized" right after a
  // ListBuckets had succeeded (buckets.test.ts's setup, CI run of 2026-12-07 02:55), so both must answer.
  const admin = new MinioAdmin({ endpoint: `http://127.0.0.1:${port}`, credentials: { accessKey, secretKey } });
  await waitUntil(`minio :${port}`, running, 60_000, async () => {
    await probe.listBuckets();
    await admin.cannedPolicy('readwrite');
    return true;
  });
  return { ...running, port, endpoint: `127.0.0.1:${port}`, consolePort, accessKey, secretKey, client };
}

export async function readObject(client: Client, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await client.getObject(bucket, key)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
