// npm run bench:etcd [-- --env local|staging --rounds N --clients N --conns N --puts N --ranges N --watchers N --watch-puts N --candidate-flags="--flag=value …"…]
//
// Milvus's metadata path: puts of 256 B values, linearizable and serializable ranges of one key, and watch delivery
// (one writer, 100 watchers on one key), through the etcd gRPC proxy, straight to the members, and along Milvus's own
// path (the endpoints rendered milvus.yaml gives Milvus, used by etcd's Go client as Milvus builds it:
// etcdClientTool.ts), side by side in one run, from a container on the stack's network (where Milvus sits). The
// client of the direct and proxy paths is etcd's own benchmark tool at the stacks' version (etcdBenchmarkTool.ts says
// why); it pins each connection to one endpoint, where Milvus's client balances each request over all of them, so
// Milvus's path runs Milvus's client for puts and ranges (watch delivery: the benchmark tool on the same endpoints). Rounds rotate the order of the paths; figures are medians
// over rounds. `--candidate-flags` deploys another grpc-proxy with the rendered flags plus these, measured beside
// the others (how grpc-proxy flags are tried). Prints one table and the targets' ratio lines (met / MISSED).
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { docker } from '../../../generator/docker/cli.ts';
import { waitForConvergence } from '../../../generator/deploy/operations/convergence.ts';
import { deployStack } from '../../../generator/deploy/operations/deployStackFile.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { BENCH_STACK, convergeFailure, formatMs } from '../harness/lifecycle.ts';
import { removeStack } from '../harness/stackRemove.ts';
import { within } from '../support/clients.ts';
import { firstLines } from '../support/docker.ts';
import { type EtcdArgs, parseEtcdArgs, UsageError } from './args.ts';
import { benchTarget, type BenchTarget, targetEtcdClient } from './benchTarget.ts';
import { type BenchmarkFigures, ensureEtcdBenchmark, parseBenchmarkOutput } from './etcdBenchmarkTool.ts';
import { BENCH_DIR, loadAverage, out } from './lbStack.ts';
import { atLeast, atMost, figure, markdownTable, median, ratioVerdict, targetMet } from './report.ts';
import { ensureEtcdClient, runEtcdClient, type ClientLoadFigures } from './etcdClientTool.ts';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { REPO_ROOT } from '../harness/paths.ts';
import { servicesCpuNs } from './serviceProbe.ts';

const RANGE_KEY = 'milvus-bench/range';
const VALUE_SIZE = 256;
const CANDIDATE_SERVICE = 'etcd-proxy-candidate';

export const ETCD_OPERATIONS = ['put', 'range-l', 'range-s', 'watch'] as const;
type EtcdOperation = (typeof ETCD_OPERATIONS)[number];
const LABEL: Record<EtcdOperation, string> = {
  put: 'put (256 B values)',
  'range-l': 'range, linearizable',
  'range-s': 'range, serializable',
  watch: 'watch delivery (put acknowledged → event)',
};

/** Issue 13's targets for the gRPC proxy against the members directly. */
export const ETCD_TARGETS = { opsVsDirect: atLeast(0.8), p99VsDirect: atMost(1.3), watchP99VsDirect: atMost(2) };
/** Issue 24's: Milvus's path (rendered milvus.yaml) against the members directly, puts and linearizable ranges. */
export const MILVUS_PATH_TARGETS = { opsVsDirect: atLeast(0.9), p99VsDirect: atMost(1.3) };
const MILVUS_PATH_OPERATIONS: readonly EtcdOperation[] = ['put', 'range-l'];

interface EtcdPath {
  key: string;
  label: string;
  endpoints: string[];
  /** The proxy's swarm service (none for the direct path): its CPU per request is read on the local stack. */
  service?: string;
  /** Puts and ranges through Milvus's etcd client (etcdClientTool.ts) instead of the benchmark tool. */
  milvusClient?: boolean;
  /** Connections of the benchmark tool, when not --conns. */
  conns?: number;
}

/** etcd.endpoints of rendered/<env>/milvus.yaml: what Milvus is given. */
async function milvusEndpoints(environment: string): Promise<string[]> {
  const text = await readFile(path.join(REPO_ROOT, 'rendered', environment, 'milvus.yaml'), 'utf8');
  const endpoints = (parse(text) as { etcd?: { endpoints?: unknown } }).etcd?.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0 || !endpoints.every((entry) => typeof entry === 'string')) throw new Error(`rendered/${environment}/milvus.yaml has no etcd.endpoints list`);
  return endpoints as string[];
}

/** CPU per request of the proxy and of the three members during one benchmark command (local stack only). */
interface CpuPerRequest {
  proxyUs: number;
  membersUs: number;
}

async function main(): Promise<void> {
  const args = parseEtcdArgs(process.argv.slice(2));
  const target = await benchTarget(args.env, 'etcd');
  const model = target.model;
  out(`bench:etcd  ${args.env}: stack ${model.stack} up (${formatMs(target.upMs)})`);
  const tool = await ensureEtcdBenchmark();
  const milvusClient = await ensureEtcdClient();
  const { proxy } = model.etcd;
  const milvus = await milvusEndpoints(args.env);
  // The benchmark tool gives each client one connection: never more connections than clients.
  const controlConns = Math.min(args.clients, args.conns * model.etcd.members.length);
  const paths: EtcdPath[] = [
    { key: 'direct', label: `direct to the members (${model.etcd.members.map((member) => member.name).join(', ')})`, endpoints: model.etcd.members.map((member) => `${member.name}:${model.etcd.clientPort}`) },
    // A control, not a target: the members directly on as many connections as Milvus's client opens (each of its
    // clients one per member). Beside the other two it says how much of Milvus's path's gap is that count alone.
    {
      key: 'direct-c',
      label: `direct, ${controlConns} connections (Milvus's client opens ${args.conns * model.etcd.members.length})`,
      endpoints: model.etcd.members.map((member) => `${member.name}:${model.etcd.clientPort}`),
      conns: controlConns,
    },
    { key: 'milvus', label: `Milvus's path (milvus.yaml: ${milvus.join(', ')}; Milvus's client)`, endpoints: milvus, milvusClient: true },
    { key: 'proxy', label: `gRPC proxy (${proxy.name})`, endpoints: [`${proxy.name}:${proxy.listenPort}`], service: `${model.stack}_${proxy.name}` },
    ...args.candidateFlags.map((flags, index) => ({
      key: `cand${index + 1}`,
      label: `candidate proxy ${flags}`,
      endpoints: [`${CANDIDATE_SERVICE}-${index + 1}:${proxy.listenPort}`],
      service: `${BENCH_STACK}_${CANDIDATE_SERVICE}-${index + 1}`,
    })),
  ];
  try {
    if (args.candidateFlags.length > 0) await deployCandidates(model, args.candidateFlags);
    await seedRangeKey(target);
    out(`bench:etcd  client: etcd's benchmark tool ${model.etcd.image.split(':')[1]} in a container of ${target.client.image} on ${model.network.name}, on ${target.client.host}; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}`);
    out(
      `bench:etcd  ${args.rounds} rounds × ${paths.length} paths; each: ${args.puts} puts and ${args.ranges} ranges of each consistency from ${args.clients} clients on ${args.conns} connections, ` +
        `${args.watchPuts} puts (100/s) to one key watched by ${args.watchers} watchers (one connection each); load average before: ${await loadAverage()}`,
    );
    const results = new Map<string, Map<EtcdOperation, BenchmarkFigures[]>>(paths.map((p) => [p.key, new Map(ETCD_OPERATIONS.map((operation) => [operation, []]))]));
    const cpu = new Map<string, Map<EtcdOperation, CpuPerRequest[]>>(paths.map((p) => [p.key, new Map(ETCD_OPERATIONS.map((operation) => [operation, []]))]));
    const memberServices = model.etcd.members.map((member) => `${model.stack}_${member.name}`);
    const cpuNow = async (etcdPath: EtcdPath) =>
      args.env === 'local' ? { proxy: etcdPath.service ? await servicesCpuNs([etcdPath.service]) : 0, members: await servicesCpuNs(memberServices) } : undefined;
    for (let round = 1; round <= args.rounds; round++) {
      const order = paths.map((_, index) => paths[(index + round - 1) % paths.length]!);
      for (const etcdPath of order) {
        const line: string[] = [];
        for (const operation of ETCD_OPERATIONS) {
          const before = await cpuNow(etcdPath);
          const figures = etcdPath.milvusClient && operation !== 'watch' ? await runMilvusClient(milvusClient, target, etcdPath, operation, args) : await runBenchmark(tool, target, etcdPath, operation, args);
          const after = await cpuNow(etcdPath);
          results.get(etcdPath.key)!.get(operation)!.push(figures);
          if (before && after) {
            const requests = operation === 'watch' ? args.watchPuts : operation === 'put' ? args.puts : args.ranges;
            const perRequest = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? Number.NaN : (b - a) / 1000 / requests);
            cpu.get(etcdPath.key)!.get(operation)!.push({ proxyUs: perRequest(before.proxy, after.proxy), membersUs: perRequest(before.members, after.members) });
          }
          line.push(`${operation} ${operation === 'watch' ? '' : `${figures.requestsPerSecond.toFixed(0)}/s `}p99 ${figures.latencyMs['99']!.toFixed(2)} ms`);
        }
        out(`bench:etcd  round ${round} ${etcdPath.key.padEnd(7)} ${line.join('  ')}`);
      }
    }
    out(`bench:etcd  load average after: ${await loadAverage()}`);
    report(paths, results, cpu);
  } finally {
    if (args.candidateFlags.length > 0) {
      const removed = await removeStack({ stack: BENCH_STACK, timeoutMs: 120_000 });
      if (!removed.ok) out(`bench:etcd  ${removed.message}`);
    }
  }
}

/** The key the ranges read: one 256 B value, written through the proxy from the host. */
async function seedRangeKey(target: BenchTarget): Promise<void> {
  const client = targetEtcdClient(target);
  try {
    await within(10_000, 'writing the range key', client.put(RANGE_KEY).value('v'.repeat(VALUE_SIZE)).exec());
  } finally {
    client.close();
  }
}

function benchmarkArgs(operation: EtcdOperation, args: EtcdArgs, conns = args.conns): string[] {
  const load = ['--clients', String(args.clients), '--conns', String(conns)];
  switch (operation) {
    case 'put':
      // Keys spread over 100k names, as Milvus writes many keys (a single key would measure one key's revisions).
      return [...load, 'put', '--key-size', '32', '--val-size', String(VALUE_SIZE), '--key-space-size', '100000', '--total', String(args.puts)];
    case 'range-l':
      return [...load, 'range', RANGE_KEY, '--consistency', 'l', '--total', String(args.ranges)];
    case 'range-s':
      return [...load, 'range', RANGE_KEY, '--consistency', 's', '--total', String(args.ranges)];
    case 'watch':
      // Each watcher its own connection (Milvus's components each have their own client); the writer one more.
      return ['--clients', String(args.watchers), '--conns', String(args.watchers), 'watch-latency', '--total', String(args.watchPuts), '--put-rate', '100', '--val-size', String(VALUE_SIZE)];
  }
}

async function runBenchmark(tool: string, target: BenchTarget, etcdPath: EtcdPath, operation: EtcdOperation, args: EtcdArgs): Promise<BenchmarkFigures> {
  const result = await docker(
    [
      'run', '--rm', '--network', target.model.network.name,
      '--volume', `${tool}:/benchmark:ro`, '--entrypoint', '/benchmark', target.client.image,
      `--endpoints=${etcdPath.endpoints.join(',')}`, '--precise', '--dial-timeout=5s',
      ...benchmarkArgs(operation, args, etcdPath.conns),
    ],
    { timeoutMs: 10 * 60_000, env: target.client.env },
  );
  if (result.code !== 0) throw new Error(`benchmark ${operation} against ${etcdPath.endpoints.join(',')} failed (exit ${result.code}): ${firstLines(result.stderr || result.stdout, 5)}`);
  const figures = parseBenchmarkOutput(result.stdout);
  if (figures.errors > 0) throw new Error(`benchmark ${operation} against ${etcdPath.endpoints.join(',')}: ${figures.errors} requests failed`);
  return figures;
}

/** Puts and ranges as Milvus's client makes them: the same totals, goroutines and connections as the benchmark tool. */
async function runMilvusClient(binary: string, target: BenchTarget, etcdPath: EtcdPath, operation: Exclude<EtcdOperation, 'watch'>, args: EtcdArgs): Promise<BenchmarkFigures> {
  const total = operation === 'put' ? args.puts : args.ranges;
  const figures = await runEtcdClient<ClientLoadFigures>(
    binary,
    { network: target.model.network.name, image: target.client.image, env: target.client.env },
    ['-mode', 'load', '-endpoints', etcdPath.endpoints.join(','), '-op', operation, '-total', String(total), '-clients', String(args.clients), '-conns', String(args.conns), '-val-size', String(VALUE_SIZE), '-range-key', RANGE_KEY],
    10 * 60_000,
  );
  if (figures.errors > 0) throw new Error(`Milvus's client, ${operation} against ${etcdPath.endpoints.join(',')}: ${figures.errors} requests failed (first: ${figures.firstError})`);
  return { seconds: figures.seconds, requestsPerSecond: figures.requestsPerSecond, latencyMs: figures.latencyMs, errors: figures.errors };
}

/** Another grpc-proxy per candidate, with the rendered proxy's flags plus the candidate's, on the stack's network. */
async function deployCandidates(model: ClusterModel, candidateFlags: string[]): Promise<void> {
  const { proxy } = model.etcd;
  const directory = path.join(BENCH_DIR, 'etcd-stack');
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const services = Object.fromEntries(
    candidateFlags.map((flags, index) => {
      const name = `${CANDIDATE_SERVICE}-${index + 1}`;
      const command = [
        'grpc-proxy', 'start',
        `--endpoints=${model.etcd.members.map((member) => `${member.name}:${model.etcd.clientPort}`).join(',')}`,
        `--listen-addr=0.0.0.0:${proxy.listenPort}`,
        `--advertise-client-url=${name}:${proxy.listenPort}`,
        ...flags.trim().split(/\s+/),
      ];
      // On managers, like the stack's proxy (and on staging the etcd image is there).
      const deploy = { replicas: 1, endpoint_mode: 'dnsrr', placement: { constraints: ['node.role == manager'] } };
      return [name, { image: model.etcd.image, entrypoint: ['etcd'], command, networks: [model.network.key], deploy }];
    }),
  );
  const stack = { version: '3.8', services, networks: { [model.network.key]: { external: true, name: model.network.name } } };
  const file = path.join(directory, `stack-${createHash('sha256').update(JSON.stringify(stack)).digest('hex').slice(0, 8)}.yaml`);
  await writeFile(file, JSON.stringify(stack, null, 2)); // JSON is YAML
  const since = new Date();
  const deployed = await deployStack({ composeFile: file, stack: BENCH_STACK, timeoutMs: 60_000, resolveImage: 'never' });
  if (!deployed.ok) throw new Error(deployed.error);
  const converged = await waitForConvergence({ stack: BENCH_STACK, timeoutMs: 90_000, settleMs: 3_000, pollMs: 1_000, since });
  if (!converged.ok) throw new Error(convergeFailure(converged));
}

function report(paths: EtcdPath[], results: Map<string, Map<EtcdOperation, BenchmarkFigures[]>>, cpu: Map<string, Map<EtcdOperation, CpuPerRequest[]>>): void {
  const summary = (key: string, operation: EtcdOperation) => {
    const runs = results.get(key)!.get(operation)!;
    return {
      ops: median(runs.map((run) => run.requestsPerSecond)),
      p50: median(runs.map((run) => run.latencyMs['50']!)),
      p99: median(runs.map((run) => run.latencyMs['99']!)),
      p999: median(runs.map((run) => run.latencyMs['99.9'] ?? Number.NaN)),
    };
  };
  const cpuCell = (key: string, operation: EtcdOperation, pick: (value: CpuPerRequest) => number) => {
    const runs = cpu.get(key)!.get(operation)!;
    return runs.length === 0 ? 'n/a' : figure(median(runs.map(pick)));
  };
  const rows = ETCD_OPERATIONS.flatMap((operation) =>
    paths.map((etcdPath) => {
      const s = summary(etcdPath.key, operation);
      // watch-latency's Requests/sec counts events over the run, paced by --put-rate: not a throughput.
      return [
        LABEL[operation],
        etcdPath.label,
        operation === 'watch' ? '—' : figure(s.ops),
        figure(s.p50),
        figure(s.p99),
        figure(s.p999),
        etcdPath.service ? cpuCell(etcdPath.key, operation, (value) => value.proxyUs) : '—',
        cpuCell(etcdPath.key, operation, (value) => value.membersUs),
      ];
    }),
  );
  out();
  out(markdownTable(['operation', 'path', 'ops/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'proxy CPU µs/request', 'members CPU µs/request'], rows));
  out();
  const verdicts: boolean[] = [];
  for (const operation of ETCD_OPERATIONS) {
    const proxy = summary('proxy', operation);
    const direct = summary('direct', operation);
    const checks =
      operation === 'watch'
        ? [{ label: 'p99 vs direct', ratio: proxy.p99 / direct.p99, target: ETCD_TARGETS.watchP99VsDirect }]
        : [
            { label: 'ops/s vs direct', ratio: proxy.ops / direct.ops, target: ETCD_TARGETS.opsVsDirect },
            { label: 'p99 vs direct', ratio: proxy.p99 / direct.p99, target: ETCD_TARGETS.p99VsDirect },
          ];
    verdicts.push(...checks.map((check) => targetMet(check.ratio, check.target)));
    out(`proxy ${operation.padEnd(8)} ${checks.map((check) => `${check.label} ${ratioVerdict(check.ratio, check.target)}`).join('   ')}`);
  }
  for (const operation of MILVUS_PATH_OPERATIONS) {
    const milvusPath = summary('milvus', operation);
    const direct = summary('direct', operation);
    const checks = [
      { label: 'ops/s vs direct', ratio: milvusPath.ops / direct.ops, target: MILVUS_PATH_TARGETS.opsVsDirect },
      { label: 'p99 vs direct', ratio: milvusPath.p99 / direct.p99, target: MILVUS_PATH_TARGETS.p99VsDirect },
    ];
    verdicts.push(...checks.map((check) => targetMet(check.ratio, check.target)));
    out(`Milvus's path ${operation.padEnd(8)} ${checks.map((check) => `${check.label} ${ratioVerdict(check.ratio, check.target)}`).join('   ')}`);
  }
  for (const operation of ETCD_OPERATIONS.filter((entry) => entry !== 'watch')) {
    const control = summary('direct-c', operation);
    const direct = summary('direct', operation);
    const milvusPath = summary('milvus', operation);
    out(
      `control ${operation.padEnd(8)} direct on Milvus's connection count / direct: ops/s ${(control.ops / direct.ops).toFixed(2)}×, p99 ${(control.p99 / direct.p99).toFixed(2)}×; ` +
        `Milvus's path / that control: ops/s ${(milvusPath.ops / control.ops).toFixed(2)}×, p99 ${(milvusPath.p99 / control.p99).toFixed(2)}×`,
    );
  }
  for (const etcdPath of paths.filter((p) => p.key.startsWith('cand'))) {
    const parts = ETCD_OPERATIONS.map((operation) => {
      const candidate = summary(etcdPath.key, operation);
      const direct = summary('direct', operation);
      return `${operation} ${operation === 'watch' ? '' : `${(candidate.ops / direct.ops).toFixed(2)}×/`}p99 ${(candidate.p99 / direct.p99).toFixed(2)}×`;
    });
    out(`${etcdPath.key} / direct: ${parts.join(', ')}  (${etcdPath.label})`);
  }
  out(`targets: ${verdicts.filter(Boolean).length} of ${verdicts.length} met`);
}

const started = performance.now();
try {
  await main();
  out(`bench:etcd  done in ${formatMs(Math.round(performance.now() - started))}`);
} catch (error) {
  process.stderr.write(`bench:etcd  ${error instanceof UsageError ? '' : 'failed: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
