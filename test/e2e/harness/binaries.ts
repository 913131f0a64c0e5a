// etcd/etcdctl/etcdutl v3.5.5 and MinIO RELEASE.2023-03-20T20-16-18Z, built with the machine's Go and cached by version.
// Each build happens in a scratch folder and is renamed into place, so an interrupted build is never "cached".
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';
import { LEAN_BUILD, leanBuildFlags } from './goBuild.ts';
import { CACHE_DIR } from './paths.ts';

export const ETCD_VERSION = 'v3.5.5';
export const MINIO_RELEASE = 'RELEASE.2023-03-20T20-16-18Z';
/** The module proxy does not serve MinIO's RELEASE tags; it serves the release's commit as a pseudo-version. */
export const MINIO_MODULE_VERSION = 'v0.0.0-20230320201618-05444a0f6af8';

export interface Binaries {
  etcd: string;
  etcdctl: string;
  etcdutl: string;
  minio: string;
}

export interface BuildReport {
  name: string;
  built: boolean;
  ms: number;
}

const etcdDir = path.join(CACHE_DIR, `etcd-${ETCD_VERSION}-${LEAN_BUILD}`);
const minioDir = path.join(CACHE_DIR, `minio-${MINIO_RELEASE}-${LEAN_BUILD}`);

export const cachedBinaries = (): Binaries => ({
  etcd: path.join(etcdDir, 'bin', 'etcd'),
  etcdctl: path.join(etcdDir, 'bin', 'etcdctl'),
  etcdutl: path.join(etcdDir, 'bin', 'etcdutl'),
  minio: path.join(minioDir, 'minio'),
});

/** Builds what is missing; returns the paths and, per binary set, whether it was built now and how long it took. */
export async function ensureBinaries(): Promise<{ binaries: Binaries; reports: BuildReport[] }> {
  const binaries = cachedBinaries();
  // Side by side: each compiles on both cores anyway, and on a machine without the modules one downloads while the
  // other compiles (on a clean machine: etcd 100 s and MinIO 213 s one after the other, CI run of 09:31 on 2026-12-07).
  const reports = await Promise.all([ensureEtcdBinaries(), ensureMinioBinary().then(({ report }) => report)]);
  return { binaries, reports };
}

/** Only etcd, etcdctl and etcdutl. */
export async function ensureEtcdBinaries(): Promise<BuildReport> {
  const { etcd, etcdctl, etcdutl } = cachedBinaries();
  return timed(`etcd ${ETCD_VERSION}`, [etcd, etcdctl, etcdutl].every((file) => existsSync(file)), buildEtcd);
}

/** Only MinIO (the unit tests of the admin client start it as a plain process, no Docker). */
export async function ensureMinioBinary(): Promise<{ minio: string; report: BuildReport }> {
  const { minio } = cachedBinaries();
  return { minio, report: await timed(`minio ${MINIO_RELEASE}`, existsSync(minio), buildMinio) };
}

/** "etcd v3.5.5 built in 100.3 s, minio … cached": what a build step prints. */
export const buildReportLine = (reports: readonly BuildReport[]) => reports.map((report) => `${report.name} ${report.built ? `built in ${(report.ms / 1000).toFixed(1)} s` : 'cached'}`).join(', ');

export async function timed(name: string, cached: boolean, build: () => Promise<unknown>): Promise<BuildReport> {
  const started = performance.now();
  if (!cached) await build();
  return { name, built: !cached, ms: Math.round(performance.now() - started) };
}

/**
 * etcd's modules carry `replace` directives, so `go install go.etcd.io/etcd/server/v3@v3.5.5` is refused. A
 * throw-away module that requires all three (through a tools.go) lets the go command resolve them like any
 * dependency. etcdutl (snapshot status and restore) ships in the upstream image beside etcd and etcdctl.
 */
async function buildEtcd(): Promise<void> {
  const scratch = `${etcdDir}.build-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  const moduleDir = path.join(scratch, 'module');
  await mkdir(moduleDir, { recursive: true });
  await writeFile(
    path.join(moduleDir, 'go.mod'),
    `module milvus-swarm-etcd-build\n\ngo 1.21\n\nrequire (\n\tgo.etcd.io/etcd/etcdctl/v3 ${ETCD_VERSION}\n\tgo.etcd.io/etcd/etcdutl/v3 ${ETCD_VERSION}\n\tgo.etcd.io/etcd/server/v3 ${ETCD_VERSION}\n)\n`,
  );
  await writeFile(path.join(moduleDir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport (\n\t_ "go.etcd.io/etcd/etcdctl/v3"\n\t_ "go.etcd.io/etcd/etcdutl/v3"\n\t_ "go.etcd.io/etcd/server/v3"\n)\n`);
  const log = path.join(scratch, 'build.log');
  const bin = path.join(scratch, 'bin');
  await go(['mod', 'tidy'], moduleDir, {}, log, 10 * 60_000);
  await go(['install', ...leanBuildFlags(), 'go.etcd.io/etcd/server/v3', 'go.etcd.io/etcd/etcdctl/v3', 'go.etcd.io/etcd/etcdutl/v3'], moduleDir, { GOBIN: bin }, log, 15 * 60_000);
  // The server's main package is go.etcd.io/etcd/server/v3, so its binary is named `server`.
  await rename(path.join(bin, 'server'), path.join(bin, 'etcd'));
  await expectVersion(path.join(bin, 'etcd'), ['--version'], `etcd Version: ${ETCD_VERSION.slice(1)}`);
  await expectVersion(path.join(bin, 'etcdctl'), ['version'], `etcdctl version: ${ETCD_VERSION.slice(1)}`);
  await expectVersion(path.join(bin, 'etcdutl'), ['version'], `etcdutl version: ${ETCD_VERSION.slice(1)}`);
  await moveIntoPlace(scratch, etcdDir);
}

async function buildMinio(): Promise<void> {
  const scratch = `${minioDir}.build-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const log = path.join(scratch, 'build.log');
  await go(['install', ...leanBuildFlags(), `github.com/minio/minio@${MINIO_MODULE_VERSION}`], scratch, { GOBIN: scratch }, log, 20 * 60_000);
  await expectVersion(path.join(scratch, 'minio'), ['--version'], 'minio version');
  await moveIntoPlace(scratch, minioDir);
}

/**
 * The scratch folder (one per process: two test runs on one machine may build at once) renamed into place; when
 * another process put a build there first, theirs is kept and ours removed.
 */
async function moveIntoPlace(scratch: string, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  try {
    await rename(scratch, target);
  } catch (error) {
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function go(args: string[], cwd: string, env: Record<string, string>, log: string, timeoutMs: number): Promise<void> {
  const result = await runCommand('go', args, {
    cwd,
    timeoutMs,
    // Static binaries: the images have no libc. -mod=mod lets `go mod tidy` write go.sum in the scratch module.
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim(), ...env },
  });
  await appendLog(log, `$ go ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  if (result.code !== 0) {
    const reason = result.code === -1 && result.stderr.includes('ENOENT') ? 'the go command is missing (install Go ≥ 1.21)' : `exit ${result.code}`;
    throw new Error(`go ${args.join(' ')} (in ${cwd}): ${reason}; log: ${log}\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  }
}

export async function expectVersion(binary: string, args: string[], expected: string): Promise<void> {
  const result = await runCommand(binary, args, { timeoutMs: 30_000 });
  if (result.code !== 0 || !result.stdout.includes(expected)) {
    throw new Error(`${binary} ${args.join(' ')} printed ${JSON.stringify(result.stdout.trim())}, expected "${expected}"`);
  }
}

async function appendLog(file: string, text: string): Promise<void> {
  const previous = await readFile(file, 'utf8').catch(() => '');
  await writeFile(file, previous + text);
}
