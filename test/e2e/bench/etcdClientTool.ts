// Milvus's etcd client (etcdclient/main.go: clientv3 built as Milvus builds it), compiled once per source version
// into the cache and run in a container on the stack's network, where Milvus sits: bench:etcd's "Milvus's path" row and
// the staging failover drill.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import { LEAN_BUILD, leanBuildFlags } from '../harness/goBuild.ts';
import { BENCH_DIR } from './lbStack.ts';

const SOURCE = path.join(import.meta.dirname, 'etcdclient');

/** Where the client built from the current source is cached (named by the source's hash). */
export async function etcdClientPath(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await readdir(SOURCE)).filter((name) => /^go\.(mod|sum)$|\.go$/.test(name)).sort()) hash.update(file).update(await readFile(path.join(SOURCE, file)));
  return path.join(BENCH_DIR, `etcdclient-${hash.digest('hex').slice(0, 12)}-${LEAN_BUILD}`);
}

/**
 * Static (the etcd image it may run in has no libc); the modules come from the Go module proxy, as etcd's do.
 *
 * Built after etcd (`npm test`'s binaries step, test/buildBinaries.ts) and with the same flags, it costs next to
 * nothing: its go.mod pins the versions etcd 3.5.5's own build resolves (grpc, protobuf, golang.org/x/…), so every
 * package it needs is already in Go's build cache. Built alone it took 49 core-seconds (with `-trimpath`, which gave
 * every package a cache key of its own), after etcd 0.7.
 */
export async function ensureEtcdClient(): Promise<string> {
  const binary = await etcdClientPath();
  if (existsSync(binary)) return binary;
  await mkdir(BENCH_DIR, { recursive: true });
  // Its own scratch name: two processes may ask for it at once (the binaries step and a drill run by hand).
  const temporary = `${binary}.tmp-${process.pid}`;
  const result = await runCommand('go', ['build', ...leanBuildFlags(), '-o', temporary, '.'], {
    cwd: SOURCE,
    timeoutMs: 15 * 60_000,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim() },
  });
  if (result.code !== 0) throw new Error(`go build of Milvus's etcd client (${SOURCE}) failed: ${firstLines(result.stderr, 10)}`);
  await rename(temporary, binary);
  return binary;
}

export interface ClientSite {
  network: string;
  /** An image to run the static binary in (any: it needs nothing from it). */
  image: string;
  /** DOCKER_HOST and the like: which engine runs the container. */
  env?: NodeJS.ProcessEnv;
}

/** Runs the client in a one-off container on the network; its JSON answer, or a thrown error with its own words. */
export async function runEtcdClient<T>(binary: string, site: ClientSite, args: readonly string[], timeoutMs: number, runFlags: readonly string[] = []): Promise<T> {
  const result = await docker(['run', '--rm', ...runFlags, '--network', site.network, '--volume', `${binary}:/etcdclient:ro`, '--entrypoint', '/etcdclient', site.image, ...args], {
    timeoutMs,
    ...(site.env ? { env: site.env } : {}),
  });
  if (result.code !== 0) throw new Error(`etcdclient ${args.slice(0, 2).join(' ')} failed (exit ${result.code}): ${firstLines(result.stderr || result.stdout, 5)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as T;
}

export interface ClientLoadFigures {
  seconds: number;
  requestsPerSecond: number;
  latencyMs: Record<string, number>;
  errors: number;
  firstError?: string;
}

export interface WriterFigures {
  attempts: number;
  acknowledged: number;
  failed: number;
  failures?: string[];
  longestGapMs: number;
  longestGapAtMs: number;
  lost: number;
  lostKeys?: string[];
  readBackError?: string;
}
