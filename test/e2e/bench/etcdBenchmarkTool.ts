// etcd's own benchmark tool (go.etcd.io/etcd/v3/tools/benchmark) at the stacks' etcd version, and its output.
//
// Why this tool and not npm etcd3: it is a Go gRPC client built from the same module as the servers, it costs the
// two shared cores far less per request than Node (the client must not be the bottleneck of a proxy comparison),
// and it is what etcd's own performance figures are measured with (put, range with either consistency,
// watch-latency), so the figures compare with upstream's.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';
import { ETCD_VERSION } from '../harness/binaries.ts';
import { CACHE_DIR } from '../harness/paths.ts';

const TOOL_DIR = path.join(CACHE_DIR, `etcd-benchmark-${ETCD_VERSION}`);
export const ETCD_BENCHMARK = path.join(TOOL_DIR, 'benchmark');

/**
 * Builds the tool once, into the cache. etcd's root module carries `replace` directives, so `go install
 * go.etcd.io/etcd/v3/tools/benchmark@v3.5.5` is refused; a throw-away module that requires it (a tools.go) lets
 * the go command resolve it like any dependency (as harness/binaries.ts does for etcd itself). Static: the etcd
 * image it runs in has no libc.
 */
export async function ensureEtcdBenchmark(): Promise<string> {
  if (existsSync(ETCD_BENCHMARK)) return ETCD_BENCHMARK;
  const scratch = `${TOOL_DIR}.build`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  await writeFile(path.join(scratch, 'go.mod'), `module milvus-swarm-etcd-benchmark\n\ngo 1.21\n\nrequire go.etcd.io/etcd/v3 ${ETCD_VERSION}\n`);
  await writeFile(path.join(scratch, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/v3/tools/benchmark"\n`);
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim(), GOBIN: scratch };
  for (const args of [['mod', 'tidy'], ['install', 'go.etcd.io/etcd/v3/tools/benchmark']]) {
    const result = await runCommand('go', args, { cwd: scratch, env, timeoutMs: 15 * 60_000 });
    if (result.code !== 0) throw new Error(`go ${args.join(' ')} for etcd's benchmark tool failed: ${result.stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
  await rm(TOOL_DIR, { recursive: true, force: true });
  await rename(scratch, TOOL_DIR);
  return ETCD_BENCHMARK;
}

export interface BenchmarkFigures {
  seconds: number;
  requestsPerSecond: number;
  /** Latency in milliseconds by percentile ("50", "99", "99.9", …). */
  latencyMs: Record<string, number>;
  /** Failed requests, by error ("Error distribution" of the report). */
  errors: number;
}

/**
 * Reads the summary the tool prints at the end (pkg/report: "Requests/sec:", "Latency distribution:" with
 * "  99% in 0.0012 secs."). The progress bar before it is ignored.
 */
export function parseBenchmarkOutput(text: string): BenchmarkFigures {
  const summary = text.slice(text.indexOf('Summary:'));
  if (!text.includes('Summary:')) throw new Error(`no summary in the benchmark tool's output: ${text.trim().split('\n').slice(-3).join(' / ')}`);
  const number = (pattern: RegExp, what: string) => {
    const match = summary.match(pattern);
    if (!match) throw new Error(`no ${what} in the benchmark tool's summary`);
    return Number(match[1]);
  };
  const latencyMs: Record<string, number> = {};
  for (const match of summary.matchAll(/^\s*([\d.]+)% in ([\d.e+-]+) secs\./gm)) latencyMs[match[1]!] = Number(match[2]) * 1000;
  if (latencyMs['50'] === undefined || latencyMs['99'] === undefined) throw new Error('no latency distribution in the benchmark tool\'s summary');
  const errorSection = summary.includes('Error distribution:') ? summary.slice(summary.indexOf('Error distribution:')) : '';
  const errors = [...errorSection.matchAll(/^\s*\[(\d+)\]/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  return { seconds: number(/Total:\s+([\d.e+-]+) secs/, 'total'), requestsPerSecond: number(/Requests\/sec:\s+([\d.e+-]+)/, 'Requests/sec'), latencyMs, errors };
}
