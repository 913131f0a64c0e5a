// bench:lb --profile milvus: Milvus-shaped object traffic (milvusProfile.ts) over every path, phase by phase — PUT,
// GET, ranged GET, LIST, DELETE — at each in-flight level. ops/s and MiB/s are medians over rounds; p50/p99 are of
// every request of every round together (more samples, a steadier p99).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LbArgs } from './args.ts';
import type { BenchTarget } from './benchTarget.ts';
import { assertFreeSpace, BENCH_DIR, type BenchPath, loadAverage, out, runClientContainer } from './lbStack.ts';
import { MAX_OBJECT, MIN_OBJECT, milvusPlan, planBytes } from './milvusProfile.ts';
import { atLeast, atMost, figure, markdownTable, median, percentile, ratioVerdict, targetMet } from './report.ts';
import { connectionCounts, type ConnectionCounts, servicesCpuNs } from './serviceProbe.ts';

export const OPERATIONS = ['put', 'get', 'range', 'list', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];
const LABEL: Record<Operation, string> = { put: 'PUT', get: 'GET', range: 'ranged GET', list: 'LIST', delete: 'DELETE' };

export interface PlanPhase {
  name: Operation;
  inFlight: number;
  ops: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  latencyMs: number[];
}

export interface OperationFigures {
  opsPerSecond: number;
  mibPerSecond: number;
  p50: number;
  p99: number;
  clientCores: number;
}

/** Targets of issue 13 for the rendered nginx.conf, per operation and in-flight level. */
export const MILVUS_TARGETS = { opsVsDirect: atLeast(0.9), p99VsDirect: atMost(1.2), opsVsMinio: atLeast(1.3) };

export async function runMilvus(client: string, target: BenchTarget, paths: BenchPath[], args: LbArgs): Promise<void> {
  const plan = milvusPlan({ objects: args.objects, inFlight: args.inFlight, rangesPerObject: 4, listsPerObject: 1, seed: 13 });
  const planFile = path.join(BENCH_DIR, 'milvus-plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  await assertFreeSpace(target, args.rounds * paths.length * planBytes(plan));
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  out(
    `bench:lb  milvus profile: ${plan.objects.length} objects of ${MIN_OBJECT / 1024} KiB–${MAX_OBJECT / 2 ** 20} MiB (log-uniform, ${mib(planBytes(plan) / plan.inFlight.length)} MiB), ` +
      `${plan.ranges.length} ranged GETs, ${plan.lists.length} LISTs; phases PUT, GET, ranged GET, LIST, DELETE at ${plan.inFlight.join(' and ')} in flight`,
  );
  out(`bench:lb  ${args.rounds} rounds × ${paths.length} paths; load average before: ${await loadAverage()}`);
  const results = new Map<string, PlanPhase[][]>(paths.map((p) => [p.key, []]));
  const costs = new Map<string, RunCost[]>(paths.map((p) => [p.key, []]));
  const minioServices = target.model.minio.pools.flatMap((pool) => pool.nodes.map((node) => `${target.model.stack}_${node.name}`));
  for (let round = 1; round <= args.rounds; round++) {
    // Rotate the order each round, so no path always runs right after another's disk writes.
    const order = paths.map((_, index) => paths[(index + round - 1) % paths.length]!);
    for (const benchPath of order) {
      const probe = target.environment === 'local' ? await startProbe(benchPath, minioServices, target.model.minio.proxy.s3Port, target.model.minio.apiPort) : undefined;
      const { phases } = (await runClientContainer(client, target, benchPath, ['-plan', '/plan.json', '-timeout', '15m'], [[planFile, '/plan.json']], 16 * 60_000)) as {
        phases: PlanPhase[];
      };
      results.get(benchPath.key)!.push(phases);
      if (probe) costs.get(benchPath.key)!.push(await probe.stop(phases.reduce((sum, phase) => sum + phase.ops, 0)));
      const summary = phases.map((phase) => `${phase.name}@${phase.inFlight} ${(phase.ops / phase.seconds).toFixed(0)}/s`).join(' ');
      out(`bench:lb  round ${round} ${benchPath.key.padEnd(9)} ${summary}`);
    }
  }
  out(`bench:lb  load average after: ${await loadAverage()}`);
  printMilvusReport(paths, aggregate(paths, results, plan.inFlight));
  printCosts(paths, costs);
}

/** CPU per request of the proxy and of MinIO over one client run, and the most connections seen during it. */
interface RunCost {
  proxyCpuUsPerRequest: number;
  minioCpuUsPerRequest: number;
  connections?: ConnectionCounts;
}

/** Reads CPU before the run and samples the proxy's connections every 2 s until stop(). */
async function startProbe(benchPath: BenchPath, minioServices: string[], listenPort: number, upstreamPort: number) {
  const proxyBefore = benchPath.service ? await servicesCpuNs([benchPath.service]) : 0;
  const minioBefore = await servicesCpuNs(minioServices);
  let most: ConnectionCounts | undefined;
  let running = true;
  const sampler = (async () => {
    while (running && benchPath.service) {
      const counts = await connectionCounts(benchPath.service, listenPort, upstreamPort);
      if (counts) most = { upstream: Math.max(most?.upstream ?? 0, counts.upstream), clients: Math.max(most?.clients ?? 0, counts.clients), timeWait: Math.max(most?.timeWait ?? 0, counts.timeWait) };
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  })();
  return {
    async stop(requests: number): Promise<RunCost> {
      running = false;
      await sampler;
      const proxyAfter = benchPath.service ? await servicesCpuNs([benchPath.service]) : 0;
      const minioAfter = await servicesCpuNs(minioServices);
      const perRequest = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? Number.NaN : (after - before) / 1000 / requests);
      return { proxyCpuUsPerRequest: perRequest(proxyBefore, proxyAfter), minioCpuUsPerRequest: perRequest(minioBefore, minioAfter), connections: most };
    },
  };
}

function printCosts(paths: readonly BenchPath[], costs: Map<string, RunCost[]>): void {
  if ([...costs.values()].every((runs) => runs.length === 0)) return;
  const rows = paths.map((benchPath) => {
    const runs = costs.get(benchPath.key)!;
    const most = (pick: (counts: ConnectionCounts) => number) => {
      const seen = runs.flatMap((run) => (run.connections ? [pick(run.connections)] : []));
      return seen.length > 0 ? String(Math.max(...seen)) : '—';
    };
    return [
      benchPath.label,
      benchPath.service ? figure(median(runs.map((run) => run.proxyCpuUsPerRequest))) : '—',
      figure(median(runs.map((run) => run.minioCpuUsPerRequest))),
      most((counts) => counts.clients),
      most((counts) => counts.upstream),
      most((counts) => counts.timeWait),
    ];
  });
  out();
  out('Whole runs (every phase, both levels; median over rounds): CPU per request from the containers\' cgroups, connections the most seen in 2 s samples');
  out(markdownTable(['path', 'proxy CPU µs/request', 'MinIO CPU µs/request (4 nodes)', 'client connections', 'proxy→MinIO connections', 'TIME-WAIT sockets'], rows));
}

export type Aggregated = Map<string, OperationFigures>;
export const figureKey = (path: string, operation: Operation, inFlight: number) => `${path}/${operation}/${inFlight}`;

export function aggregate(paths: readonly BenchPath[], results: Map<string, PlanPhase[][]>, levels: readonly number[]): Aggregated {
  const figures: Aggregated = new Map();
  for (const benchPath of paths) {
    for (const operation of OPERATIONS) {
      for (const level of levels) {
        const runs = results.get(benchPath.key)!.map((phases) => phases.find((phase) => phase.name === operation && phase.inFlight === level)!);
        const latencies = runs.flatMap((run) => run.latencyMs);
        figures.set(figureKey(benchPath.key, operation, level), {
          opsPerSecond: median(runs.map((run) => run.ops / run.seconds)),
          mibPerSecond: median(runs.map((run) => run.bytes / 2 ** 20 / run.seconds)),
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          // The client's CPU use in cores: how close it came to being the bottleneck.
          clientCores: median(runs.map((run) => run.cpuSeconds / run.seconds)),
        });
      }
    }
  }
  return figures;
}

export function printMilvusReport(paths: readonly BenchPath[], figures: Aggregated): void {
  const levels = [...new Set([...figures.keys()].map((key) => Number(key.split('/')[2])))];
  const rows: string[][] = [];
  for (const operation of OPERATIONS) {
    for (const level of levels) {
      for (const benchPath of paths) {
        const f = figures.get(figureKey(benchPath.key, operation, level))!;
        rows.push([LABEL[operation], String(level), benchPath.label, figure(f.opsPerSecond), figure(f.mibPerSecond), figure(f.p50), figure(f.p99), f.clientCores.toFixed(2)]);
      }
    }
  }
  out();
  out(markdownTable(['operation', 'in flight', 'path', 'ops/s', 'MiB/s', 'p50 ms', 'p99 ms', 'client CPU (cores)'], rows));
  out();
  const verdicts: boolean[] = [];
  for (const operation of OPERATIONS) {
    for (const level of levels) {
      const rendered = figures.get(figureKey('rendered', operation, level))!;
      const direct = figures.get(figureKey('direct', operation, level))!;
      const minio = figures.get(figureKey('minio', operation, level))!;
      const checks = [
        { label: 'ops/s vs direct', ratio: rendered.opsPerSecond / direct.opsPerSecond, target: MILVUS_TARGETS.opsVsDirect },
        { label: 'p99 vs direct', ratio: rendered.p99 / direct.p99, target: MILVUS_TARGETS.p99VsDirect },
        { label: "ops/s vs MinIO's config", ratio: rendered.opsPerSecond / minio.opsPerSecond, target: MILVUS_TARGETS.opsVsMinio },
      ];
      verdicts.push(...checks.map((check) => targetMet(check.ratio, check.target)));
      out(`rendered ${LABEL[operation].padEnd(10)} @${String(level).padEnd(3)} ${checks.map((check) => `${check.label} ${ratioVerdict(check.ratio, check.target)}`).join('   ')}`);
    }
  }
  for (const benchPath of paths.filter((p) => p.key.startsWith('cand'))) {
    for (const level of levels) {
      const parts = OPERATIONS.map((operation) => {
        const candidate = figures.get(figureKey(benchPath.key, operation, level))!;
        const direct = figures.get(figureKey('direct', operation, level))!;
        return `${LABEL[operation]} ${(candidate.opsPerSecond / direct.opsPerSecond).toFixed(2)}×/p99 ${(candidate.p99 / direct.p99).toFixed(2)}×`;
      });
      out(`${benchPath.key} / direct @${level}: ${parts.join(', ')}  (${benchPath.label})`);
    }
  }
  out(`targets: ${verdicts.filter(Boolean).length} of ${verdicts.length} met`);
}
