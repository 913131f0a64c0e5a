// e2e:up and e2e:down as functions: the npm scripts and the suite's global setup run exactly this code.
// Every step is idempotent: what exists and is current is left alone, so a second e2e:up changes nothing.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { renderCommand } from '../../../generator/commands/render.ts';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { describeService, waitForConvergence, type ConvergeResult, type ServiceState } from '../../../generator/deploy/operations/convergence.ts';
import { deployStack } from '../../../generator/deploy/operations/deployStackFile.ts';
import { Client } from 'minio';
import { ensureBuckets } from '../../../generator/deploy/phases/buckets.ts';
import { ensureVerifyUser, minioAdminFor } from '../../../generator/deploy/operations/verifyUserAccount.ts';
import { endpointsFromModel } from '../../../generator/cluster/endpoints.ts';
import { removeDeployedTopologyRecords, removeStack } from './stackRemove.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { readTemplates } from '../../../generator/workspace/repository.ts';
import { renderSource } from '../../../generator/workspace/pipeline.ts';
import { readTree, compareTrees, isSame } from '../../../generator/workspace/tree.ts';
import { ensureBinaries } from './binaries.ts';
import { ensureSecrets, removeLocalEnv, removeSecrets, type MinioCredentials } from './credentials.ts';
import { ensureEngine, stopStartedEngine } from './engine.ts';
import { ensureImage, imageRecipes, imageTags } from './images.ts';
import { ENVIRONMENT, REPO_ROOT } from './paths.ts';
import { waitUntilReady } from './readiness.ts';
import { loadModel, renderedDir, stackFile } from './topology.ts';

export interface Phase {
  name: string;
  ms: number;
  /** What the phase did, in a few words (never a secret). */
  detail: string;
}

export type Log = (line: string) => void;

/** Runs a phase, records its duration, and logs one line when it ends (or fails). */
export async function phase<T>(phases: Phase[], log: Log, name: string, run: () => Promise<{ value: T; detail: string }>): Promise<T> {
  const started = performance.now();
  const { value, detail } = await run().catch((error: unknown) => {
    log(`${name.padEnd(10)} ${formatMs(Math.round(performance.now() - started)).padStart(8)}  FAILED`);
    throw error;
  });
  const ms = Math.round(performance.now() - started);
  phases.push({ name, ms, detail });
  log(`${name.padEnd(10)} ${formatMs(ms).padStart(8)}  ${detail}`);
  return value;
}

export const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** bench:lb's stack (joins the local stack's network, so it must go before the network can). */
export const BENCH_STACK = 'milvus-bench';
/** The suite's throw-away stack for the converge tests. */
export const PROBE_STACK = 'milvus-e2e-probe';
/** Stacks the harness may have left behind (an interrupted run); e2e:down removes them first. */
export const SATELLITE_STACKS = [BENCH_STACK, PROBE_STACK];

export interface UpOptions {
  log?: Log;
  /** Default: the topology's swarm.deployTimeoutSeconds. */
  convergeTimeoutMs?: number;
  settleMs?: number;
  /** After convergence, until MinIO has write quorum and the etcd proxy is healthy (default 180 s). */
  readyTimeoutMs?: number;
}

export interface UpResult {
  phases: Phase[];
  model: ClusterModel;
  credentials: MinioCredentials;
  converge: Extract<ConvergeResult, { ok: true }>;
  totalMs: number;
}

export async function e2eUp(options: UpOptions = {}): Promise<UpResult> {
  const log = options.log ?? (() => undefined);
  const phases: Phase[] = [];
  const started = performance.now();
  const model = await loadModel();

  await phase(phases, log, 'engine', async () => {
    const report = await ensureEngine();
    const parts = [
      report.installed.length > 0 ? `installed ${report.installed.join(' ')}` : '',
      report.startedDaemon ? 'started dockerd' : 'dockerd running',
      report.initialisedSwarm ? 'swarm initialised' : 'swarm manager',
      `engine ${report.serverVersion}`,
    ];
    return { value: report, detail: parts.filter(Boolean).join(', ') };
  });

  const binaries = await phase(phases, log, 'binaries', async () => {
    const { binaries, reports } = await ensureBinaries();
    return { value: binaries, detail: reports.map((report) => `${report.name} ${report.built ? `built in ${formatMs(report.ms)}` : 'cached'}`).join(', ') };
  });

  await phase(phases, log, 'images', async () => {
    const recipes = await imageRecipes(imageTags(model), binaries);
    const reports = [];
    for (const recipe of recipes) reports.push(await ensureImage(recipe));
    return {
      value: reports,
      detail: reports.map((report) => `${report.tag} ${report.importedInto.length > 0 ? `imported in ${formatMs(report.ms)}` : 'current'} (${(report.sizeBytes / 2 ** 20).toFixed(0)} MiB)`).join(', '),
    };
  });

  const credentials = await phase(phases, log, 'secrets', async () => {
    const { credentials, report } = await ensureSecrets(model);
    const detail = `${report.created.length > 0 ? `created ${report.created.join(', ')}` : 'all exist'}; credentials ${report.reusedCredentials ? 'reused from' : 'generated into'} local.env`;
    return { value: credentials, detail };
  });

  await phase(phases, log, 'render', async () => ({ value: undefined, detail: await renderIfStale(ENVIRONMENT) }));

  await phase(phases, log, 'host dirs', async () => {
    const result = await runCommand('bash', [`${renderedDir()}/prepare-hosts.sh`], { timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`prepare-hosts.sh failed: ${result.stderr.trim()}`);
    const lines = result.stdout.split('\n').filter(Boolean);
    const changed = lines.filter((line) => !line.startsWith('ok ')).length;
    return { value: undefined, detail: `${lines.length} directories, ${changed} created or fixed` };
  });

  const deployedAt = new Date();
  await phase(phases, log, 'deploy', async () => {
    const deployed = await deployStack({ composeFile: stackFile(), stack: model.stack, timeoutMs: 120_000, resolveImage: model.swarm.resolveImage });
    if (!deployed.ok) throw new Error(deployed.error);
    return { value: deployed, detail: `docker stack deploy ${model.stack} accepted (${formatMs(deployed.result.elapsedMs)})` };
  });

  const converge = await phase(phases, log, 'converge', async () => {
    const result = await waitForConvergence({
      stack: model.stack,
      timeoutMs: options.convergeTimeoutMs ?? model.swarm.deployTimeoutSeconds * 1000,
      settleMs: options.settleMs ?? 10_000,
      since: deployedAt,
    });
    if (!result.ok) throw new Error(convergeFailure(result));
    return { value: result, detail: `${result.services.length} services converged: ${summarise(result.services)}` };
  });

  await phase(phases, log, 'ready', async () => {
    const ready = await waitUntilReady(model, options.readyTimeoutMs ?? 180_000);
    return { value: ready, detail: `${ready.probes.length} probes answer: ${ready.probes.join(', ')}` };
  });

  // What deploy does after convergence (deploy/verifyUser.ts): verify's own MinIO user, which verify --env-file
  // local.env signs in as.
  await phase(phases, log, 'verify user', async () => {
    const admin = minioAdminFor(model, endpointsFromModel(model).s3, { accessKey: credentials.user, secretKey: credentials.password });
    const result = await ensureVerifyUser(admin, model, { accessKey: credentials.verifyUser, secretKey: credentials.verifyPassword });
    if (!result.ok) throw new Error(`verify's MinIO user: ${result.problem}`);
    return { value: result, detail: result.changes.length > 0 ? result.changes.join('; ') : 'as the topology says' };
  });

  // And its buckets phase (deploy/phases/buckets.ts): verify only reads them.
  await phase(phases, log, 'buckets', async () => {
    const s3 = endpointsFromModel(model).s3;
    const client = new Client({ endPoint: s3.host, port: s3.port, useSSL: false, accessKey: credentials.user, secretKey: credentials.password, region: 'us-east-1' });
    const changes = await ensureBuckets(client, model.minio.buckets);
    return { value: changes, detail: changes.length > 0 ? changes.join('; ') : 'as the topology says' };
  });

  return { phases, model, credentials, converge, totalMs: Math.round(performance.now() - started) };
}

export function convergeFailure(result: Extract<ConvergeResult, { ok: false }>): string {
  const failures = result.failures.map((failure) => `  ${failure.service} ${failure.task.slice(0, 12)} (${failure.currentState}): ${failure.error}`);
  return [`stack did not converge (${result.reason}): ${result.message}`, ...failures].join('\n');
}

const summarise = (services: ServiceState[]) => services.map(describeService).join(', ').replaceAll(' running', '');

/** Renders rendered/<env>/ only when it differs from what the generator renders now (so a re-run writes nothing). */
export async function renderIfStale(environment: string): Promise<string> {
  const file = `environments/${environment}.yaml`;
  const text = await readFile(path.join(REPO_ROOT, file), 'utf8');
  const rendered = renderSource({ environment, file, text }, await readTemplates());
  if (!rendered.ok) throw new Error(`${file} does not render: run npx milvus-swarm render --env ${environment} to see why`);
  const difference = compareTrees(rendered.files, await readTree(renderedDir(environment)));
  if (isSame(difference)) return `rendered/${environment}/ is current`;
  const lines: string[] = [];
  const code = await renderCommand({ environments: [environment] }, { cwd: REPO_ROOT, out: (line) => lines.push(line), err: (line) => lines.push(line), env: process.env });
  if (code !== 0) throw new Error(`milvus-swarm render --env ${environment} failed:\n${lines.join('\n')}`);
  return `re-rendered rendered/${environment}/ (${[...difference.changed.map((c) => c.file), ...difference.missing].join(', ')} changed)`;
}

export interface DownOptions {
  log?: Log;
  /** Also delete the data directories (the next e2e:up starts from empty drives). */
  purge?: boolean;
}

/**
 * Deletes the stack's data directories and what restores and joins set aside beside them (`.etcd1.before-restore-…`,
 * kept for the operator to remove once verify passes: 36 GB of them had piled up here over a day of runs).
 */
export async function purgeDataDirectories(model: ClusterModel): Promise<{ directories: number; setAside: number }> {
  const directories = model.hostPreparation.flatMap((host) => host.directories.map((directory) => directory.path));
  let setAside = 0;
  for (const directory of directories) {
    const parent = path.dirname(directory);
    const prefix = `.${path.basename(directory)}.before-`;
    for (const name of (await readdir(parent).catch(() => [] as string[])).filter((entry) => entry.startsWith(prefix))) {
      await rm(path.join(parent, name), { recursive: true, force: true });
      setAside++;
    }
    await rm(directory, { recursive: true, force: true });
  }
  return { directories: directories.filter((directory) => !existsSync(directory)).length, setAside };
}

export async function e2eDown(options: DownOptions = {}): Promise<{ phases: Phase[]; totalMs: number }> {
  const log = options.log ?? (() => undefined);
  const phases: Phase[] = [];
  const started = performance.now();
  const model = await loadModel();
  const engineUp = await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'], { timeoutMs: 10_000 });

  if (engineUp.code === 0 && engineUp.stdout.trim() === 'active') {
    await phase(phases, log, 'satellites', async () => {
      const removed: string[] = [];
      for (const stack of SATELLITE_STACKS) {
        const result = await removeStack({ stack, timeoutMs: 120_000 });
        if (!result.ok) throw new Error(result.message);
        if (result.removed) removed.push(stack);
      }
      return { value: undefined, detail: removed.length > 0 ? `removed ${removed.join(', ')}` : 'none deployed' };
    });
    await phase(phases, log, 'stack rm', async () => {
      const result = await removeStack({ stack: model.stack, timeoutMs: 180_000 });
      if (!result.ok) throw new Error(result.message);
      // deploy's record of the deployed topology outlives `docker stack rm` by design; down means gone for good.
      const records = await removeDeployedTopologyRecords(docker, model.stack);
      if (records.problem) throw new Error(records.problem);
      const removed = `${result.removed ? `stack ${model.stack}: services, configs and network ${model.network.name} gone` : `stack ${model.stack} was not deployed`}`;
      return { value: undefined, detail: `${removed}${records.removed.length > 0 ? `; removed the topology record ${records.removed.join(', ')}` : ''}` };
    });
    await phase(phases, log, 'secrets', async () => {
      const removed = await removeSecrets(model);
      // The credentials go with their secrets: the next e2e:up generates new ones (MinIO accepts new root
      // credentials on existing drives, tried).
      const removedEnv = await removeLocalEnv();
      return { value: undefined, detail: `${removed.length > 0 ? `removed ${removed.join(', ')}` : 'none left'}${removedEnv ? ' and local.env' : ''}` };
    });
  } else {
    log(`engine     not running or not a swarm manager: nothing of the stack to remove`);
  }

  if (options.purge) {
    await phase(phases, log, 'purge', async () => {
      const purged = await purgeDataDirectories(model);
      return { value: undefined, detail: `deleted ${purged.directories} data directories and ${purged.setAside} set aside beside them` };
    });
  }

  await phase(phases, log, 'engine', async () => {
    const stopped = await stopStartedEngine();
    const parts = [stopped.leftSwarm ? 'left the swarm e2e:up initialised' : '', stopped.stoppedDaemon ? 'stopped the dockerd e2e:up started' : ''].filter(Boolean);
    return { value: undefined, detail: parts.length > 0 ? parts.join(', ') : 'left running (not started by e2e:up)' };
  });
  return { phases, totalMs: Math.round(performance.now() - started) };
}
