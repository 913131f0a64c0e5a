// A real MinIO (RELEASE.2023-03-20, the release the stacks run) as a plain process for one test file: loopback, a
// free port, one drive in a temporary folder, random root credentials; stopped and its folder removed afterwards.
// Readiness is polled with a generous bound: no test depends on how long it takes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedBinaries } from '../e2e/harness/binaries.ts';

export interface MinioProcess {
  endpoint: string;
  host: string;
  port: number;
  root: { accessKey: string; secretKey: string };
  stop(): Promise<void>;
}

const READY_WITHIN_MS = 60_000;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startMinio(): Promise<MinioProcess> {
  const directory = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-minio-'));
  const port = await freePort();
  const root = { accessKey: `root-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(18).toString('base64url') };
  const child = spawn(cachedBinaries().minio, ['server', '--quiet', '--address', `127.0.0.1:${port}`, path.join(directory, 'drive')], {
    env: { PATH: process.env.PATH, HOME: directory, MINIO_ROOT_USER: root.accessKey, MINIO_ROOT_PASSWORD: root.secretKey, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child, exited);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitReady(endpoint, exited, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, host: '127.0.0.1', port, root, stop };
}

async function waitReady(endpoint: string, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`minio exited with ${gone}: ${stderr()}`);
    const status = await fetch(`${endpoint}/minio/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((answer) => answer.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`minio at ${endpoint} not ready within ${READY_WITHIN_MS / 1000} s: ${stderr()}`);
}

async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
