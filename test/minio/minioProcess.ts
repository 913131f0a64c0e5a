// A real MinIO (RELEASE.2023-03-20, the release the stacks run) for one test file, in the shape the admin-client
// tests use: a URL endpoint and the root pair. The process itself is test/processes/support's (loopback, a free
// port, drives in a temporary folder, random root credentials); stop() also removes its folder.
// By default one drive (xl-single); `pools: N` starts N pools of 4 drives on the one process, as a pool decommission
// needs (MinIO names each pool by its server argument, e.g. DIR/pool1-drive{1...4}).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'minio';
import { removeScratch, scratchDir, startMinio as startLocalMinio } from '../processes/support/processes.ts';

export interface MinioProcess {
  endpoint: string;
  host: string;
  port: number;
  root: { accessKey: string; secretKey: string };
  /** The temporary folder with the drives and the log. */
  directory: string;
  /** The server arguments, one per pool (empty for the single drive): what MinIO's pool calls take. */
  pools: string[];
  /** MinIO's own log (stdout and stderr). */
  log: string;
  /** Stops the process and removes its folder. */
  stop(): Promise<void>;
  /** Stops the process and keeps its folder (a restart follows: restartMinio). */
  halt(): Promise<void>;
}

export const DRIVES_PER_POOL = 4;

/** Pool `index` (from 0) of a `pools: N` process: its server argument and its first drive's folder. */
export const poolArgument = (directory: string, index: number): string => path.join(directory, `pool${index + 1}-drive{1...${DRIVES_PER_POOL}}`);
export const poolDrive = (directory: string, index: number, drive = 1): string => path.join(directory, `pool${index + 1}-drive${drive}`);

export async function startMinio(options: { pools?: number } = {}): Promise<MinioProcess> {
  const directory = scratchDir('minio');
  const pools = Array.from({ length: options.pools ?? 0 }, (_, index) => poolArgument(directory, index));
  try {
    return await startOn(directory, pools);
  } catch (error) {
    removeScratch(directory);
    throw error;
  }
}

/**
 * Stops `previous` and starts MinIO again on its drives with these server arguments (a new port and root pair):
 * what a node restarted on a new command line does. Rejects with MinIO's log when MinIO refuses to start.
 */
export async function restartMinio(previous: MinioProcess, pools: string[]): Promise<MinioProcess> {
  await previous.halt();
  return startOn(previous.directory, pools);
}

async function startOn(directory: string, pools: string[]): Promise<MinioProcess> {
  const minio = await startLocalMinio(directory, pools.length > 0 ? { serverArguments: pools } : {});
  return {
    endpoint: `http://${minio.endpoint}`,
    host: '127.0.0.1',
    port: minio.port,
    root: { accessKey: minio.accessKey, secretKey: minio.secretKey },
    directory,
    pools,
    log: minio.log,
    stop: async () => {
      await minio.stop();
      removeScratch(directory);
    },
    halt: () => minio.stop(),
  };
}

/** An S3 client of the process, signed as its root user. */
export const s3ClientOf = (minio: MinioProcess): Client =>
  new Client({ endPoint: minio.host, port: minio.port, useSSL: false, accessKey: minio.root.accessKey, secretKey: minio.root.secretKey, region: 'us-east-1' });

/**
 * A bucket with `count` objects of different sizes (so a byte count that matches is not a coincidence), written
 * through S3: key → the bytes written.
 */
export async function writeObjects(minio: MinioProcess, bucket: string, count: number, keyOf: (index: number) => string, sizeOf: (index: number) => number): Promise<Map<string, Buffer>> {
  const client = s3ClientOf(minio);
  await client.makeBucket(bucket);
  const objects = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    const body = randomBytes(sizeOf(index));
    objects.set(keyOf(index), body);
    await client.putObject(bucket, keyOf(index), body);
  }
  return objects;
}
