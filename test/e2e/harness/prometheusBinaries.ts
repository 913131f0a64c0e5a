// Prometheus 3.16.0 (module github.com/prometheus/prometheus v0.316.0: cmd/prometheus and cmd/promtool) and
// Alertmanager 0.35.0, built with the machine's Go and cached by version beside etcd's and MinIO's (binaries.ts).
// The Prometheus module has no `replace` directives, so `go install PACKAGE@VERSION` builds it without a throw-away
// module. `-tags remove_all_sd,enable_dns_sd` is Prometheus's own switch (plugins/plugin_*.go build constraints):
// every service-discovery plugin is left out (Kubernetes, the cloud SDKs) but DNS, which the rendered configuration
// uses for the etcd proxy's replicas (tasks.<service>); promtool gets the same tags, so it accepts the same files.
// Each binary is built in its own scratch folder and renamed into place, so an interrupted build is never "cached";
// a lock file lets a second process (a drill or a global setup run by hand while another builds) wait for the
// build instead of starting another on the same two cores.
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';
import { expectVersion, go, type BuildReport } from './binaries.ts';
import { LEAN_BUILD, leanBuildFlags } from './goBuild.ts';
import { CACHE_DIR } from './paths.ts';

export const PROMETHEUS_MODULE_VERSION = 'v0.316.0';
/** What v0.316.0 is released as (its VERSION file); stamped into the binaries as upstream's release build does. */
export const PROMETHEUS_VERSION = '3.16.0';
export const ALERTMANAGER_VERSION = 'v0.35.0';
export const PROMETHEUS_BUILD_TAGS = 'remove_all_sd,enable_dns_sd';

export interface MonitoringBinaries {
  prometheus: string;
  promtool: string;
  alertmanager: string;
}

interface BinarySpec {
  name: keyof MonitoringBinaries;
  folder: string;
  /** `go install` arguments after `install`; the last is PACKAGE@VERSION. */
  install: string[];
  version: { args: string[]; expected: string };
  /** Builds the binary into the scratch folder another way than `go install`. */
  build?: (scratch: string, log: string) => Promise<void>;
}

/** The lean build's flags (goBuild.ts), with the version stamped as upstream's release build does. */
const buildFlags = (version: string) => leanBuildFlags(`-X github.com/prometheus/common/version.Version=${version}`);

const SPECS: Record<keyof MonitoringBinaries, BinarySpec> = {
  promtool: {
    name: 'promtool',
    folder: path.join(CACHE_DIR, `promtool-${PROMETHEUS_MODULE_VERSION}-${LEAN_BUILD}`),
    install: ['-tags', PROMETHEUS_BUILD_TAGS, ...buildFlags(PROMETHEUS_VERSION), `github.com/prometheus/prometheus/cmd/promtool@${PROMETHEUS_MODULE_VERSION}`],
    version: { args: ['--version'], expected: `promtool, version ${PROMETHEUS_VERSION}` },
  },
  prometheus: {
    name: 'prometheus',
    folder: path.join(CACHE_DIR, `prometheus-${PROMETHEUS_MODULE_VERSION}-${LEAN_BUILD}`),
    install: ['-tags', PROMETHEUS_BUILD_TAGS, ...buildFlags(PROMETHEUS_VERSION), `github.com/prometheus/prometheus/cmd/prometheus@${PROMETHEUS_MODULE_VERSION}`],
    version: { args: ['--version'], expected: `prometheus, version ${PROMETHEUS_VERSION}` },
  },
  alertmanager: {
    name: 'alertmanager',
    folder: path.join(CACHE_DIR, `alertmanager-${ALERTMANAGER_VERSION}-${LEAN_BUILD}`),
    install: [...buildFlags(ALERTMANAGER_VERSION.slice(1)), `github.com/prometheus/alertmanager/cmd/alertmanager@${ALERTMANAGER_VERSION}`],
    version: { args: ['--version'], expected: `alertmanager, version ${ALERTMANAGER_VERSION.slice(1)}` },
    build: buildAlertmanager,
  },
};

const binaryPath = (spec: BinarySpec) => path.join(spec.folder, spec.name);

export const cachedMonitoringBinaries = (): MonitoringBinaries => ({
  prometheus: binaryPath(SPECS.prometheus),
  promtool: binaryPath(SPECS.promtool),
  alertmanager: binaryPath(SPECS.alertmanager),
});

/** promtool alone: what the unit tests of the rendered rules need (the smallest of the three builds). */
export async function ensurePromtool(): Promise<{ promtool: string; report: BuildReport }> {
  return { promtool: binaryPath(SPECS.promtool), report: await ensure(SPECS.promtool) };
}

/** All three (or the ones named), one after another (each build is CPU-bound; two cores). */
export async function ensureMonitoringBinaries(
  names: readonly (keyof MonitoringBinaries)[] = ['promtool', 'prometheus', 'alertmanager'],
): Promise<{ binaries: MonitoringBinaries; reports: BuildReport[] }> {
  const reports: BuildReport[] = [];
  for (const name of names) reports.push(await ensure(SPECS[name]));
  return { binaries: cachedMonitoringBinaries(), reports };
}

async function ensure(spec: BinarySpec): Promise<BuildReport> {
  const started = performance.now();
  const report = (built: boolean): BuildReport => ({ name: `${spec.name} ${spec.install.at(-1)!.split('@')[1]}`, built, ms: Math.round(performance.now() - started) });
  if (existsSync(binaryPath(spec))) return report(false);
  const release = await lock(spec);
  try {
    // Another process may have built it while this one waited for the lock.
    if (existsSync(binaryPath(spec))) return report(false);
    await build(spec);
    return report(true);
  } finally {
    await release();
  }
}

async function build(spec: BinarySpec): Promise<void> {
  const scratch = `${spec.folder}.build`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const log = path.join(scratch, 'build.log');
  if (spec.build) await spec.build(scratch, log);
  else await go(['install', ...spec.install], scratch, { GOBIN: scratch }, log, 30 * 60_000);
  await expectVersion(path.join(scratch, spec.name), spec.version.args, spec.version.expected);
  await rm(spec.folder, { recursive: true, force: true });
  await rename(scratch, spec.folder);
}

/**
 * `go install …/cmd/alertmanager@v0.35.0` fails: its ui package embeds app/dist (`//go:embed app/dist`), the web UI
 * its release process builds with npm, which the module zip does not hold ("pattern app/dist: no matching files
 * found"). So the module's source is copied out of the module cache, a page saying the UI is not built stands in for
 * the assets, and the command is built inside that copy with the module's own go.mod and go.sum. The API, the
 * webhook receiver and everything the tests use are unchanged.
 */
async function buildAlertmanager(scratch: string, log: string): Promise<void> {
  const module = `github.com/prometheus/alertmanager@${ALERTMANAGER_VERSION}`;
  const download = await runCommand('go', ['mod', 'download', '-json', module], { cwd: scratch, timeoutMs: 10 * 60_000, env: { ...process.env, GOFLAGS: '' } });
  const dir = download.code === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`go mod download ${module}: exit ${download.code}\n${download.stderr.trim().split('\n').slice(-10).join('\n')}`);
  const source = path.join(scratch, 'source');
  await cp(dir, source, { recursive: true });
  await makeWritable(source);
  for (const ui of ['elm', 'mantine']) {
    await mkdir(path.join(source, 'ui', 'app', 'dist', ui), { recursive: true });
    await writeFile(path.join(source, 'ui', 'app', 'dist', ui, 'index.html'), '<!doctype html><title>Alertmanager</title><p>This build has no web UI (milvus-swarm test harness); the API is at /api/v2/.\n');
  }
  await go(['build', '-o', path.join(scratch, 'alertmanager'), ...SPECS.alertmanager.install.slice(0, -1), './cmd/alertmanager'], source, {}, log, 30 * 60_000);
  await rm(source, { recursive: true, force: true });
}

/** The module cache's files are read-only: the copy must be writable to be extended and removed. */
async function makeWritable(directory: string): Promise<void> {
  await chmod(directory, 0o755);
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const child = path.join(directory, entry.name);
    if (entry.isDirectory()) await makeWritable(child);
    else if (entry.isFile()) await chmod(child, 0o644);
  }
}

const LOCK_POLL_MS = 2_000;
const LOCK_WAIT_MS = 40 * 60_000;

/**
 * `<folder>.lock` holds the pid of the process building; created with O_EXCL, so one process wins. A lock whose
 * process is gone (killed mid-build) is taken over; its scratch folder is removed by the next build.
 */
async function lock(spec: BinarySpec): Promise<() => Promise<void>> {
  const file = `${spec.folder}.lock`;
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being written this instant (open, then write): give its writer a moment.
    const justCreated = (await stat(file).then((info) => Date.now() - info.mtimeMs < 10_000).catch(() => false)) && holder === 0;
    if (!justCreated && (!Number.isInteger(holder) || holder <= 0 || !alive(holder))) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${spec.name}: process ${holder} has been building it for over ${LOCK_WAIT_MS / 60_000} minutes (lock ${file})`);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
