// `npm run bench`: render time and peak memory for a 1,000-host topology, in-process (what CI's check does)
// and through the CLI. Prints figures; asserts nothing (speed targets are not tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { shippedBin } from '../cliProcess.ts';
import { performance } from 'node:perf_hooks';
import { renderSource } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import { syntheticTopology } from './syntheticTopology.ts';

const RUNS = 15;
const shape = { etcdMembers: 5, pools: 62, nodesPerPool: 16, drivesPerNode: 4, spareHosts: 3 };
const { text, hosts } = syntheticTopology(shape);
const templates = await readTemplates();

const samplePeak = () => {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
};

const rssBefore = process.memoryUsage().rss;
const durations: number[] = [];
let peakRss = rssBefore;
let outputBytes = 0;
for (let run = 0; run < RUNS; run++) {
  const sampler = samplePeak();
  const start = performance.now();
  const result = renderSource({ environment: 'synthetic', file: 'synthetic.yaml', text }, templates);
  durations.push(performance.now() - start);
  peakRss = Math.max(peakRss, sampler.stop(), process.memoryUsage().rss);
  if (!result.ok) throw new Error(`synthetic topology is invalid: ${result.problems[0]?.message}`);
  outputBytes = [...result.files.values()].reduce((sum, file) => sum + file.length, 0);
}
const sorted = [...durations].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;

// The same file through the CLI: process start, tsx, validation, render and the atomic write.
const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-bench-'));
writeFileSync(path.join(scratch, 'synthetic.yaml'), text);
const cliStart = performance.now();
const cli = spawnSync('/usr/bin/time', ['-f', '%M', shippedBin(), 'render', '--topology', 'synthetic.yaml', '--out', 'out'], {
  cwd: scratch,
  encoding: 'utf8',
});
const cliSeconds = (performance.now() - cliStart) / 1000;
const cliPeakKiB = Number(cli.stderr.trim().split('\n').at(-1));
rmSync(scratch, { recursive: true, force: true });

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(
  `topology: ${hosts} hosts, ${shape.etcdMembers} etcd members, ${shape.pools} MinIO pools × ${shape.nodesPerPool} nodes × ${shape.drivesPerNode} drives ` +
    `(${shape.pools * shape.nodesPerPool} nodes, ${shape.pools * shape.nodesPerPool * shape.drivesPerNode} drives), ${(text.length / 1024).toFixed(0)} KiB of YAML`,
);
console.log(`output: ${mib(outputBytes)} MiB in 5 files`);
console.log(`in-process validate+model+render, ${RUNS} runs: first ${durations[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms, best ${sorted[0]!.toFixed(0)} ms (target < 1000 ms)`);
console.log(`in-process peak RSS ${mib(peakRss)} MiB (before rendering ${mib(rssBefore)} MiB)`);
console.log(`CLI render --topology --out: ${cliSeconds.toFixed(2)} s wall, peak RSS ${(cliPeakKiB / 1024).toFixed(1)} MiB${cli.status === 0 ? '' : ` (exit ${cli.status}: ${cli.stderr.slice(0, 200)})`}`);
