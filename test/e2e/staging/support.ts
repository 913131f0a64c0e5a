// What the staging tests share: the model, the nodes, the stack's endpoints where the proxies run, clients through
// them, verify as an operator runs it, and waiting on swarm's view of a node.
import { Etcd3 } from 'etcd3';
import { Client } from 'minio';
import { dockerOk } from '../support/docker.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { readLocalEnv, type MinioCredentials } from '../harness/credentials.ts';
import { envFile } from '../harness/paths.ts';
import { stackEndpoints, waitUntilReady, type Endpoints } from '../harness/readiness.ts';
import { leaderOf, managerRunner, stagingNodes, stagingReadiness, STAGING } from '../harness/staging.ts';
import type { NodeSpec } from '../harness/swarmNodes.ts';
import { loadModel } from '../harness/topology.ts';
import { verifyEnvironment, type VerifyRun } from '../support/cli.ts';
import { until } from '../support/stack.ts';

export interface Staging {
  model: ClusterModel;
  nodes: NodeSpec[];
  credentials: MinioCredentials;
}

export async function staging(): Promise<Staging> {
  const model = await loadModel(STAGING);
  const credentials = await readLocalEnv(envFile(STAGING));
  if (!credentials) throw new Error(`no credentials in ${envFile(STAGING)}: npm run e2e:up -- --env staging`);
  return { model, nodes: stagingNodes(model), credentials };
}

export const readiness = (context: Staging) => stagingReadiness(context.model, context.nodes);
export const ready = (context: Staging, timeoutMs = 180_000) => waitUntilReady(context.model, timeoutMs, readiness(context));
export const endpoints = (context: Staging): Promise<Endpoints> => stackEndpoints(context.model, managerRunner(leaderOf(context.nodes)));
export const verifyStaging = (options: { cwd?: string } = {}): Promise<VerifyRun> => verifyEnvironment(STAGING, options);

export function s3Client(context: Staging, s3: string): Client {
  const url = new URL(s3);
  return new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: context.credentials.user, secretKey: context.credentials.password, region: 'us-east-1' });
}

/** One client, per-call deadlines (etcd3's dialTimeout does nothing); callers must close() it. */
export function etcdThrough(endpoint: string): Etcd3 {
  return new Etcd3({ hosts: `http://${endpoint}`, defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 5_000 }) });
}

/** swarm's view of a node (Ready, Down, Unknown) from the first manager. */
export async function nodeStatus(hostname: string): Promise<string> {
  return (await dockerOk(['node', 'inspect', hostname, '--format', '{{.Status.State}}'], { timeoutMs: 15_000 })).trim();
}

export const untilNode = (hostname: string, status: 'ready' | 'down', timeoutMs = 60_000) =>
  until(`swarm sees ${hostname} ${status}`, timeoutMs, async () => ((await nodeStatus(hostname)) === status ? true : undefined));

/** The nodes (hostnames) running a service's tasks now. */
export async function nodesRunning(model: ClusterModel, service: string): Promise<string[]> {
  const lines = await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}', `${model.stack}_${service}`], { timeoutMs: 15_000 });
  return lines.split('\n').filter((line) => line.includes(' Running')).map((line) => line.split(' ')[0]!).sort();
}

export const notPassing = (run: VerifyRun) => run.rows.filter((entry) => entry.status !== 'pass').map((entry) => `${entry.status} ${entry.check}: ${entry.reason}`);
export const log = (line: string) => process.stdout.write(`[staging] ${line}\n`);

/** verify, again and again (bounded), until `done`. */
export async function verifyUntil(what: string, done: (run: VerifyRun) => boolean, timeoutMs = 150_000, options: { cwd?: string } = {}): Promise<VerifyRun> {
  const started = performance.now();
  let waitedOn: string[] = [];
  for (;;) {
    // From a scratch repository (cwd) verify judges the topology deployed from it.
    const run = await verifyStaging(options);
    if (done(run)) {
      // What the wait was for (the last verify before this one): where a slow wait's time went.
      log(`${what}: after ${((performance.now() - started) / 1000).toFixed(1)} s${waitedOn.length > 0 ? ` (until then: ${waitedOn.join(' || ').slice(0, 400)})` : ''}`);
      return run;
    }
    waitedOn = notPassing(run);
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s; last verify: ${waitedOn.join(' || ')}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

export const clean = (run: VerifyRun) => run.code === 0 && notPassing(run).length === 0;
