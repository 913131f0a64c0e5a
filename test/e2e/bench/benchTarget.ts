// Where a benchmark runs: the local one-node stack, or the staging swarm (ten engines in network namespaces, the
// proxies on manager engines). On staging the clients run on an engine that hosts neither the proxy under test nor
// the node the direct path goes to, so every request crosses the overlay network between two "hosts", as in
// production; the satellite stack (MinIO's config, candidates) is deployed through the first manager.
import { Client } from 'minio';
import { Etcd3 } from 'etcd3';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { readLocalEnv } from '../harness/credentials.ts';
import { e2eUp } from '../harness/lifecycle.ts';
import { envFile, LOCAL_ENV_FILE } from '../harness/paths.ts';
import { localEndpoints, stackEndpoints, type Endpoints } from '../harness/readiness.ts';
import { leaderOf, managerRunner, STAGING, stagingUp } from '../harness/staging.ts';
import { dockerHost } from '../harness/swarmNodes.ts';
import type { BenchEnvironment } from './args.ts';

export interface BenchTarget {
  environment: BenchEnvironment;
  model: ClusterModel;
  upMs: number;
  /** The env file with the MinIO credentials (passed to client containers with --env-file). */
  envFile: string;
  /** Published endpoints reachable from this machine (cleanup, seeding). */
  endpoints: Endpoints;
  credentials: { user: string; password: string };
  /** Where client containers run: the docker CLI's environment, a name for the report, and an image present there. */
  client: { env: NodeJS.ProcessEnv; host: string; image: string };
}

/**
 * Brings the environment up (idempotent) and picks the client's engine. `clientRole` says which stack the client
 * loads: for the MinIO paths an etcd host (no MinIO, no nginx), for the etcd paths a MinIO host (no member, no proxy).
 */
export async function benchTarget(environment: BenchEnvironment, clientRole: 'minio' | 'etcd'): Promise<BenchTarget> {
  if (environment === 'local') {
    const up = await e2eUp();
    const credentials = await readLocalEnv(LOCAL_ENV_FILE);
    if (!credentials) throw new Error(`no credentials in ${LOCAL_ENV_FILE}`);
    return {
      environment,
      model: up.model,
      upMs: up.totalMs,
      envFile: LOCAL_ENV_FILE,
      endpoints: localEndpoints(up.model),
      credentials,
      client: { env: process.env, host: 'this machine (the one node)', image: up.model.etcd.image },
    };
  }
  const up = await stagingUp();
  const leader = leaderOf(up.nodes);
  // Every docker call of the harness (stack deploy, convergence, stack rm) goes to the first manager, as
  // staging.env says; only the client containers go elsewhere.
  process.env.DOCKER_HOST = dockerHost(STAGING, leader.name);
  const endpoints = await stackEndpoints(up.model, managerRunner(leader));
  const model = up.model;
  const clientHost =
    clientRole === 'minio'
      ? { host: model.etcd.members[0]!.host!, image: model.etcd.image }
      : { host: model.minio.pools[0]!.nodes[0]!.host!, image: model.minio.image };
  return {
    environment,
    model,
    upMs: up.totalMs,
    envFile: envFile(STAGING),
    endpoints,
    credentials: up.credentials,
    client: { env: { ...process.env, DOCKER_HOST: dockerHost(STAGING, clientHost.host) }, host: clientHost.host, image: clientHost.image },
  };
}

export function targetMinioClient(target: BenchTarget): Client {
  const url = new URL(target.endpoints.s3);
  return new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: target.credentials.user, secretKey: target.credentials.password, region: 'us-east-1' });
}

/** One client, per-call deadlines (etcd3's dialTimeout does nothing); callers must close() it. */
export function targetEtcdClient(target: BenchTarget): Etcd3 {
  return new Etcd3({ hosts: `http://${target.endpoints.etcdProxy}`, defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 5_000 }) });
}
