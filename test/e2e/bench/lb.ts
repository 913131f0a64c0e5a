// npm run bench:lb [-- --rounds N --objects N --in-flight N --size-mib N --candidate FILE...]
//
// PUT and GET throughput of 64 MiB objects over three paths, from one client position (a container on the stack's
// attachable network, like Milvus): straight to one MinIO node, through the rendered nginx.conf (the stack's
// minio-proxy), and through MinIO's published nginx config deployed beside it. Rounds interleave the paths so a
// slow moment of the machine hits all of them; the figures are the medians over rounds. Prints figures; the
// targets are reported, not enforced (exit 0 unless the benchmark itself fails).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import { waitForConvergence } from '../../../generator/deploy/converge.ts';
import { deployStack } from '../../../generator/deploy/stackDeploy.ts';
import { removeStack } from '../harness/stackRemove.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { BENCH_STACK, convergeFailure, e2eUp, formatMs } from '../harness/lifecycle.ts';
import { CACHE_DIR, LOCAL_ENV_FILE } from '../harness/paths.ts';
import { minioClient } from '../support/clients.ts';
import { minioPublishedNginxConf } from './minioPublishedConfig.ts';

const BUCKET = 'milvus-bench';
const REFERENCE_SERVICE = 'minio-lb-reference';
const CANDIDATE_SERVICE = 'minio-lb-candidate';
const BENCH_DIR = path.join(CACHE_DIR, 'bench');
const CLIENT_SOURCE = path.join(import.meta.dirname, 'client');

interface ClientPhase {
  name: 'put' | 'get';
  objects: number;
  bytes: number;
  seconds: number;
  mibps: number;
  cpuSeconds: number;
}

interface BenchPath {
  key: string;
  label: string;
  endpoint: string;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      objects: { type: 'string', default: '16' },
      'in-flight': { type: 'string', default: '4' },
      'size-mib': { type: 'string', default: '64' },
      // Extra nginx configs to measure beside the others (how the template was tuned; see the README).
      candidate: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const rounds = Number(values.rounds);
  const objects = Number(values.objects);
  const inFlight = Number(values['in-flight']);
  const sizeMiB = Number(values['size-mib']);

  const up = await e2eUp();
  const model = up.model;
  out(`bench:lb  stack ${model.stack} up (${formatMs(up.totalMs)})`);
  const client = await buildClient();
  const candidates = await Promise.all((values.candidate as string[]).map(async (file, index) => ({ file, service: `${CANDIDATE_SERVICE}-${index + 1}`, text: await readFile(file, 'utf8') })));

  const paths: BenchPath[] = [
    { key: 'direct', label: `direct to one MinIO node (${model.minio.pools[0]!.nodes[0]!.name})`, endpoint: `${model.minio.pools[0]!.nodes[0]!.name}:${model.minio.apiPort}` },
    { key: 'rendered', label: `rendered nginx.conf (${model.minio.proxy.name})`, endpoint: `${model.minio.proxy.name}:${model.minio.proxy.s3Port}` },
    { key: 'minio', label: "MinIO's published nginx config", endpoint: `${REFERENCE_SERVICE}:${model.minio.proxy.s3Port}` },
    ...candidates.map((candidate, index) => ({ key: `cand${index + 1}`, label: `candidate ${candidate.file}`, endpoint: `${candidate.service}:${model.minio.proxy.s3Port}` })),
  ];

  await assertFreeSpace(model, rounds * paths.length * objects * sizeMiB * 2 ** 20);

  const results = new Map<string, ClientPhase[][]>(paths.map((p) => [p.key, []]));
  try {
    await deployBenchStack(model, candidates);
    out(`bench:lb  client: lbclient (Go ${await goVersion()}, net/http, SigV4 UNSIGNED-PAYLOAD) in a container of ${model.etcd.image} on ${model.network.name}`);
    out(`bench:lb  machine: ${cpus().length} × ${cpus()[0]?.model.trim()} (client, nginx and MinIO share it)`);
    out(`bench:lb  ${rounds} rounds × ${paths.length} paths; each: ${objects} objects × ${sizeMiB} MiB PUT, then GET, ${inFlight} in flight (after an uncounted warm-up of ${inFlight} × 1 MiB)`);
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order each round, so no path always runs right after another's disk writes.
      const order = paths.map((_, index) => paths[(index + round - 1) % paths.length]!);
      for (const benchPath of order) {
        const phases = await runClient(client, model, benchPath, { objects, inFlight, sizeMiB });
        results.get(benchPath.key)!.push(phases);
        out(`bench:lb  round ${round} ${benchPath.key.padEnd(9)} ${phases.map((phase) => `${phase.name.toUpperCase()} ${phase.mibps.toFixed(0).padStart(4)} MiB/s`).join('  ')}`);
      }
    }
  } finally {
    await cleanup(model);
  }
  report(paths, results);
}

/** Builds the Go client once per source version, into the cache. */
async function buildClient(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'main.go']) hash.update(await readFile(path.join(CLIENT_SOURCE, file)));
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

async function goVersion(): Promise<string> {
  const result = await runCommand('go', ['env', 'GOVERSION'], { timeoutMs: 10_000 });
  return result.stdout.trim().replace(/^go/, '');
}

/**
 * MinIO's config (and an optional candidate) as services of a stack beside the local one, on its network. Clients
 * reach them by the short service name (an alias on the network): S3 rejects "_" in the Host header.
 */
async function deployBenchStack(model: ClusterModel, candidates: { service: string; text: string }[]): Promise<void> {
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
    deploy: { replicas: 1, endpoint_mode: 'dnsrr', restart_policy: { condition: 'any', delay: '2s' } },
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

async function runClient(binary: string, model: ClusterModel, benchPath: BenchPath, options: { objects: number; inFlight: number; sizeMiB: number }): Promise<ClientPhase[]> {
  const args = [
    'run', '--rm', '--network', model.network.name,
    // The credentials reach the client as environment variables from local.env, never as arguments.
    '--env-file', LOCAL_ENV_FILE,
    '--volume', `${binary}:/lbclient:ro`,
    '--entrypoint', '/lbclient',
    model.etcd.image,
    '-endpoint', benchPath.endpoint, '-bucket', BUCKET, '-prefix', `bench/${benchPath.key}`,
    '-objects', String(options.objects), '-in-flight', String(options.inFlight), '-size-mib', String(options.sizeMiB), '-warmup', String(options.inFlight),
    '-cleanup',
  ];
  const result = await docker(args, { timeoutMs: 10 * 60_000 });
  if (result.code !== 0) throw new Error(`lbclient against ${benchPath.endpoint} failed: ${firstLines(result.stderr || result.stdout, 5)}`);
  return (JSON.parse(result.stdout.trim().split('\n').pop()!) as { phases: ClientPhase[] }).phases;
}

/**
 * MinIO moves overwritten and deleted objects to .minio.sys/tmp/.trash and empties it only every 5 minutes
 * (MINIO_API_DELETE_CLEANUP_INTERVAL), so everything a run writes stays on disk until then: its logical bytes twice
 * over (EC:4 of 8 drives doubles them). Refuse to start rather than fill the machine's disk.
 */
async function assertFreeSpace(model: ClusterModel, logicalBytes: number): Promise<void> {
  const drive = model.minio.pools[0]!.nodes[0]!.drives[0]!.source;
  const stats = await statfs(drive);
  const free = stats.bavail * stats.bsize;
  const needed = logicalBytes * 2 + 4 * 2 ** 30;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (free < needed) {
    throw new Error(`the drives' file system has ${gib(free)} free; this run needs about ${gib(needed)} (fewer --rounds, or wait 5 minutes for MinIO to empty its trash)`);
  }
  out(`bench:lb  disk: ${gib(free)} free on the drives' file system, this run needs about ${gib(needed)} until MinIO empties its trash`);
}

async function cleanup(model: ClusterModel): Promise<void> {
  try {
    const minio = await minioClient(model);
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function report(paths: BenchPath[], results: Map<string, ClientPhase[][]>): void {
  const figure = (key: string, phase: 'put' | 'get') => {
    const runs = results.get(key)!.map((phases) => phases.find((p) => p.name === phase)!);
    const mibps = runs.map((run) => run.mibps);
    // The client's CPU use while moving the data, in cores: how close it came to being the bottleneck.
    const cores = runs.map((run) => run.cpuSeconds / run.seconds);
    return { median: median(mibps), min: Math.min(...mibps), max: Math.max(...mibps), cores: median(cores) };
  };
  out();
  out('| path | PUT MiB/s (median, min–max) | GET MiB/s (median, min–max) | client CPU PUT / GET (cores) |');
  out('| --- | --- | --- | --- |');
  for (const benchPath of paths) {
    const put = figure(benchPath.key, 'put');
    const get = figure(benchPath.key, 'get');
    out(
      `| ${benchPath.label} | ${put.median.toFixed(0)} (${put.min.toFixed(0)}–${put.max.toFixed(0)}) | ${get.median.toFixed(0)} (${get.min.toFixed(0)}–${get.max.toFixed(0)}) | ${put.cores.toFixed(2)} / ${get.cores.toFixed(2)} |`,
    );
  }
  const ratio = (a: string, b: string, phase: 'put' | 'get') => figure(a, phase).median / figure(b, phase).median;
  const check = (value: number, target: number) => `${value.toFixed(2)}× (target ≥ ${target}×: ${value >= target ? 'met' : 'MISSED'})`;
  out();
  out(`rendered / direct       PUT ${check(ratio('rendered', 'direct', 'put'), 0.95)}`);
  out(`rendered / direct       GET ${check(ratio('rendered', 'direct', 'get'), 0.85)}`);
  out(`rendered / MinIO config GET ${check(ratio('rendered', 'minio', 'get'), 1.3)}`);
  out(`rendered / MinIO config PUT ${ratio('rendered', 'minio', 'put').toFixed(2)}×`);
  out(`MinIO config / direct   PUT ${ratio('minio', 'direct', 'put').toFixed(2)}×, GET ${ratio('minio', 'direct', 'get').toFixed(2)}×`);
  for (const benchPath of paths.filter((p) => p.key.startsWith('cand'))) {
    out(`${benchPath.key} / direct   PUT ${ratio(benchPath.key, 'direct', 'put').toFixed(2)}×, GET ${ratio(benchPath.key, 'direct', 'get').toFixed(2)}×  (${benchPath.label})`);
  }
}

const started = performance.now();
try {
  await main();
  out(`bench:lb  done in ${formatMs(Math.round(performance.now() - started))}`);
} catch (error) {
  process.stderr.write(`bench:lb  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
