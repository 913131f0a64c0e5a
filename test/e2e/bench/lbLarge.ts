// bench:lb's large profile: PUT then GET of equal objects (16 × 64 MiB by default), throughput per path.
import type { LbArgs } from './args.ts';
import type { BenchTarget } from './benchTarget.ts';
import { assertFreeSpace, type BenchPath, out, runClientContainer } from './lbStack.ts';
import { median } from './report.ts';

interface ClientPhase {
  name: 'put' | 'get';
  objects: number;
  bytes: number;
  seconds: number;
  mibps: number;
  cpuSeconds: number;
}

export async function runLarge(client: string, target: BenchTarget, paths: BenchPath[], args: LbArgs): Promise<void> {
  const { rounds, objects, sizeMiB } = args;
  const inFlight = args.inFlight[0]!;
  await assertFreeSpace(target, rounds * paths.length * objects * sizeMiB * 2 ** 20);
  const results = new Map<string, ClientPhase[][]>(paths.map((p) => [p.key, []]));
  out(`bench:lb  ${rounds} rounds × ${paths.length} paths; each: ${objects} objects × ${sizeMiB} MiB PUT, then GET, ${inFlight} in flight (after an uncounted warm-up of ${inFlight} × 1 MiB)`);
  for (let round = 1; round <= rounds; round++) {
    // Rotate the order each round, so no path always runs right after another's disk writes.
    const order = paths.map((_, index) => paths[(index + round - 1) % paths.length]!);
    for (const benchPath of order) {
      const clientArgs = ['-objects', String(objects), '-in-flight', String(inFlight), '-size-mib', String(sizeMiB), '-warmup', String(inFlight), '-cleanup'];
      const { phases } = (await runClientContainer(client, target, benchPath, clientArgs)) as { phases: ClientPhase[] };
      results.get(benchPath.key)!.push(phases);
      out(`bench:lb  round ${round} ${benchPath.key.padEnd(9)} ${phases.map((phase) => `${phase.name.toUpperCase()} ${phase.mibps.toFixed(0).padStart(4)} MiB/s`).join('  ')}`);
    }
  }
  report(paths, results);
}

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
