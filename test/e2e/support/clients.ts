// Host-side clients of the running local stack, through its published ports: npm `minio` (v8) through the nginx
// load balancer and npm `etcd3` through the etcd gRPC proxy. Credentials come from local.env, as verify reads them.
import { Etcd3 } from 'etcd3';
import { Client } from 'minio';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { readLocalEnv, type MinioCredentials } from '../harness/credentials.ts';
import { LOCAL_ENV_FILE } from '../harness/paths.ts';
import { localEndpoints } from '../harness/readiness.ts';

export async function localCredentials(): Promise<MinioCredentials> {
  const credentials = await readLocalEnv();
  if (!credentials) throw new Error(`no credentials in ${LOCAL_ENV_FILE}: run npm run e2e:up`);
  return credentials;
}

export async function minioClient(model: ClusterModel): Promise<Client> {
  const credentials = await localCredentials();
  const url = new URL(localEndpoints(model).s3);
  return new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: credentials.user, secretKey: credentials.password, region: 'us-east-1' });
}

/** One client, per-call deadlines (etcd3's dialTimeout does nothing); callers must close() it. */
export function etcdClient(model: ClusterModel): Etcd3 {
  return new Etcd3({
    hosts: `http://${localEndpoints(model).etcdProxy}`,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 5_000 }),
  });
}

/** Rejects when the promise has not settled within `ms` (an outer bound over the client's own deadlines). */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
