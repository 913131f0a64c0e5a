// `npm run bench:cli`: how long an operator waits for the shipped command (bin/milvus-swarm and its bundle) to
// answer `--help`, `--version` and `schema` — process start included — against bare `node -e 0` on the same
// machine. Prints the median and the fastest of RUNS runs each and the load average; asserts nothing (speed targets
// are benchmarks, not tests). Target: `--help` and `schema` under 0.5 s.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { shippedBin } from '../cliProcess.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function time(command: string, args: readonly string[]): number[] {
  const durations: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    durations.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return durations.sort((a, b) => a - b);
}

const load = loadavg().map((value) => value.toFixed(1)).join(' ');
console.log(`${RUNS} runs each on ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${load}`);
const rows: [string, number[]][] = [
  ['node -e 0 (process start alone)', time(process.execPath, ['-e', '0'])],
  ['milvus-swarm --help', time(shippedBin(), ['--help'])],
  ['milvus-swarm --version', time(shippedBin(), ['--version'])],
  ['milvus-swarm deploy --help', time(shippedBin(), ['deploy', '--help'])],
  ['milvus-swarm schema', time(shippedBin(), ['schema'])],
];
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
console.log('| command | median | fastest | target |\n| --- | --- | --- | --- |');
for (const [name, durations] of rows) {
  const median = durations[Math.floor(durations.length / 2)]!;
  const target = /--help$|schema$/.test(name) ? (median < 500 ? '< 0.5 s: met' : '< 0.5 s: MISSED') : '';
  console.log(`| ${name} | ${seconds(median)} | ${seconds(durations[0]!)} | ${target} |`);
}
