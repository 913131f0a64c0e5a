// What both bench:lb profiles need: the Go client (built once per source version), the paths to measure, MinIO's
// published config (and candidates) deployed beside the stack, the client run in a container on the stack's
// network, a free-space check, and the cleanup.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import { waitForConvergence } from '../../../generator/deploy/operations/convergence.ts';
import { deployStack } from '../../../generator/deploy/operations/deployStackFile.ts';
import { removeStack } from '../harness/stackRemove.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { BENCH_STACK, convergeFailure } from '../harness/lifecycle.ts';
import { CACHE_DIR } from '../harness/paths.ts';
import { type BenchTarget, targetMinioClient } from './benchTarget.ts';
import { minioPublishedNginxConf } from './minioPublishedConfig.ts';

export const BUCKET = 'milvus-bench';
const REFERENCE_SERVICE = 'minio-lb-reference';
const CANDIDATE_SERVICE = 'minio-lb-candidate';
export const BENCH_DIR = path.join(CACHE_DIR, 'bench');
const CLIENT_SOURCE = path.join(import.meta.dirname, 'client');

export const out = (line = '') => process.stdout.write(`${line}\n`);

export interface BenchPath {
  key: string;
  label: string;
  endpoint: string;
  /** The swarm service of the proxy on this path (none for the direct path): its CPU and connections are read. */
  service?: string;
}

export interface Candidate {
  file: string;
  service: string;
  text: string;
}

export async function readCandidates(files: readonly string[]): Promise<Candidate[]> {
  return Promise.all(
    files.map(async (file, index) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new Error(`--candidate ${file}: cannot read it`);
      });
      return { file, service: `${CANDIDATE_SERVICE}-${index + 1}`, text };
    }),
  );
}

/** Direct to one MinIO node, the rendered nginx.conf, MinIO's published config, and any candidates. */
export function benchPaths(model: ClusterModel, candidates: readonly Candidate[]): BenchPath[] {
  const node = model.minio.pools[0]!.nodes[0]!.name;
  return [
    { key: 'direct', label: `direct to one MinIO node (${node})`, endpoint: `${node}:${model.minio.apiPort}` },
    { key: 'rendered', label: `rendered nginx.conf (${model.minio.proxy.name})`, endpoint: `${model.minio.proxy.name}:${model.minio.proxy.s3Port}`, service: `${model.stack}_${model.minio.proxy.name}` },
    { key: 'minio', label: "MinIO's published nginx config", endpoint: `${REFERENCE_SERVICE}:${model.minio.proxy.s3Port}`, service: `${BENCH_STACK}_${REFERENCE_SERVICE}` },
    ...candidates.map((candidate, index) => ({
      key: `cand${index + 1}`,
      label: `candidate ${candidate.file}`,
      endpoint: `${candidate.service}:${model.minio.proxy.s3Port}`,
      service: `${BENCH_STACK}_${candidate.service}`,
    })),
  ];
}

/** Builds the Go client once per source version, into the cache. */
export async function buildClient(): Promise<string> {
  const hash = createHash('sha256');
  const sources = (await readdir(CLIENT_SOURCE)).filter((file) => file === 'go.mod' || file.endsWith('.go')).sort();
  for (const file of sources) hash.update(file).update(await readFile(path.join(CLIENT_SOURCE, file)));
  const binary = path.join(BENCH_DIR, `lbclient-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  await mkdir(BENCH_DIR, { recursive: true });
  const temporary = `${binary}.tmp`;
  const result = await runCommand('go', ['build', '-trimpath', '-o', temporary, '.'], {
    cwd: CLIENT_SOURCE,
    timeoutMs: 5 * 60_000,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.code !== 0) throw new Error(`go build of the bench client failed: ${firstLines(result.stderr, 10)}`);
  await rename(temporary, binary);
  return binary;
}

export async function goVersion(): Promise<string> {
  const result = await runCommand('go', ['env', 'GOVERSION'], { timeoutMs: 10_000 });
  return result.stdout.trim().replace(/^go/, '');
}

/**
 * MinIO's config (and optional candidates) as services of a stack beside the local one, on its network. Clients
 * reach them by the short service name (an alias on the network): S3 rejects "_" in the Host header.
 */
export async function deployBenchStack(model: ClusterModel, candidates: readonly Candidate[]): Promise<void> {
  const directory = path.join(BENCH_DIR, 'stack');
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const reference = minioPublishedNginxConf(model, model.minio.proxy.s3Port);
  await writeFile(path.join(directory, 'reference.conf'), reference);
  for (const candidate of candidates) await writeFile(path.join(directory, `${candidate.service}.conf`), candidate.text);
  const configName = (name: string, text: string) => `${BENCH_STACK}_${name}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  const service = (config: string) => ({
    image: model.minio.proxy.image,
    entrypoint: ['nginx'],
    command: ['-g', 'daemon off;', '-c', '/etc/nginx/nginx.conf'],
    configs: [{ source: config, target: '/etc/nginx/nginx.conf' }],
    networks: [model.network.key],
    // Where the stack's own nginx runs (on staging, the nginx image exists only on the managers).
    deploy: { replicas: 1, endpoint_mode: 'dnsrr', restart_policy: { condition: 'any', delay: '2s' }, placement: { constraints: ['node.role == manager'] } },
  });
  const stack = {
    version: '3.8',
    services: {
      [REFERENCE_SERVICE]: service('reference'),
      ...Object.fromEntries(candidates.map((candidate) => [candidate.service, service(candidate.service)])),
    },
    networks: { [model.network.key]: { external: true, name: model.network.name } },
    configs: {
      reference: { name: configName('reference', reference), file: './reference.conf' },
      ...Object.fromEntries(
        candidates.map((candidate) => [candidate.service, { name: configName(candidate.service, candidate.text), file: `./${candidate.service}.conf` }]),
      ),
    },
  };
  const file = path.join(directory, 'stack.yaml');
  await writeFile(file, JSON.stringify(stack, null, 2)); // JSON is YAML
  const since = new Date();
  const deployed = await deployStack({ composeFile: file, stack: BENCH_STACK, timeoutMs: 60_000, resolveImage: 'never' });
  if (!deployed.ok) throw new Error(deployed.error);
  const converged = await waitForConvergence({ stack: BENCH_STACK, timeoutMs: 90_000, settleMs: 3_000, pollMs: 1_000, since });
  if (!converged.ok) throw new Error(convergeFailure(converged));
}

/**
 * Runs the client in a container on the stack's network (where Milvus sits), on the target's client engine, and
 * returns its JSON. `mounts` are host files the client reads (the plan), as [host path, container path].
 */
export async function runClientContainer(binary: string, target: BenchTarget, benchPath: BenchPath, clientArgs: string[], mounts: [string, string][] = [], timeoutMs = 10 * 60_000): Promise<unknown> {
  const args = [
    'run', '--rm', '--network', target.model.network.name,
    // The credentials reach the client as environment variables from the env file, never as arguments.
    '--env-file', target.envFile,
    '--volume', `${binary}:/lbclient:ro`,
    ...mounts.flatMap(([host, container]) => ['--volume', `${host}:${container}:ro`]),
    '--entrypoint', '/lbclient',
    target.client.image,
    '-endpoint', benchPath.endpoint, '-bucket', BUCKET, '-prefix', `bench/${benchPath.key}`,
    ...clientArgs,
  ];
  const result = await docker(args, { timeoutMs, env: target.client.env });
  if (result.code !== 0) throw new Error(`lbclient against ${benchPath.endpoint} failed: ${firstLines(result.stderr || result.stdout, 5)}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/**
 * MinIO moves overwritten and deleted objects to .minio.sys/tmp/.trash and empties it only every 5 minutes
 * (MINIO_API_DELETE_CLEANUP_INTERVAL), so everything a run writes stays on disk until then: its logical bytes twice
 * over (EC:4 of 8 drives doubles them). Refuse to start rather than fill the machine's disk.
 */
export async function assertFreeSpace(target: BenchTarget, logicalBytes: number): Promise<void> {
  // Local drives are host paths; staging's are each engine's /mnt/data, folders under /var/lib/milvus-swarm.
  const drive = target.environment === 'local' ? target.model.minio.pools[0]!.nodes[0]!.drives[0]!.source : '/var/lib/milvus-swarm';
  const stats = await statfs(drive);
  const free = stats.bavail * stats.bsize;
  const needed = logicalBytes * 2 + 4 * 2 ** 30;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (free < needed) {
    throw new Error(`the drives' file system has ${gib(free)} free; this run needs about ${gib(needed)} (fewer --rounds, or wait 5 minutes for MinIO to empty its trash)`);
  }
  out(`bench:lb  disk: ${gib(free)} free on the drives' file system, this run needs about ${gib(needed)} until MinIO empties its trash`);
}

export async function cleanup(target: BenchTarget): Promise<void> {
  try {
    const minio = targetMinioClient(target);
    if (await minio.bucketExists(BUCKET)) {
      const names: string[] = [];
      // The bucket is the benchmark's own: empty it whole, then remove it.
      for await (const item of minio.listObjectsV2(BUCKET, '', true)) if (item.name) names.push(item.name);
      if (names.length > 0) await minio.removeObjects(BUCKET, names);
      await minio.removeBucket(BUCKET);
    }
  } catch (error) {
    out(`bench:lb  cleanup of bucket ${BUCKET} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const removed = await removeStack({ stack: BENCH_STACK, timeoutMs: 120_000 });
  if (!removed.ok) out(`bench:lb  ${removed.message}`);
}

/** /proc/loadavg's three averages: the figures depend on what else the two cores were doing. */
export async function loadAverage(): Promise<string> {
  const text = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  return text.split(' ').slice(0, 3).join(' ') || 'unknown';
}
