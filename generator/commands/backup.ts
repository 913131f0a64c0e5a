// `milvus-swarm backup --env NAME`, `backup list --env NAME` and `restore --env NAME --point ID|latest`: recovery
// points of a running environment (generator/backup). Exit 0 ok, 1 failed, 2 usage, 3 restore not confirmed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'minio';
import { milvusSessions } from '../backup/etcdSnapshot.ts';
import { backupReportLines, bucketFigures, etcdFigures, pointListText, pointRows, restoreReportLines } from '../backup/report.ts';
import { listRecoveryPoints, makeRecoveryPoint, type EtcdAccess } from '../backup/recoveryPoint.ts';
import { directoryMembers, restoreRecoveryPoint, type EtcdMembersRestorer } from '../backup/restore.ts';
import { dockerSwarm, localEtcdTools, minioClient, storesOf, type SwarmSites } from '../backup/sites.ts';
import type { SnapshotTransferTarget } from '../backup/snapshotTransfer.ts';
import { processDocker } from '../docker/runner.ts';
import type { PointStore } from '../backup/stores.ts';
import type { ClusterModel } from '../model/types.ts';
import { formatProblem } from '../topology/problems.ts';
import type { BackupSettings, Topology } from '../topology/schema.ts';
import { UsageError } from '../usageError.ts';
import { MISSING_ROOT_CREDENTIALS, rootCredentialsFrom, type MinioCredentials } from '../cluster/credentials.ts';
import { formatHostPort, parseHostPort, resolveEndpoints } from '../cluster/endpoints.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { assertRepositoryRoot, listEnvironments } from '../workspace/repository.ts';
import { dockerFor, readEnvFile } from './envFile.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface RecoveryPointOptions {
  environment?: string;
  envFile?: string;
  /** HOST:PORT of an etcd member (or the gRPC proxy) to snapshot, instead of the swarm's members. */
  etcd?: string;
  /** HOST:PORT of Milvus's MinIO (its load balancer), instead of the topology's. */
  s3?: string;
}

interface Context {
  environment: string;
  topology: Topology;
  model: ClusterModel;
  backup: BackupSettings;
  values: Record<string, string | undefined>[];
  stores: PointStore[];
}

async function context(options: RecoveryPointOptions, io: CommandIO, command: string): Promise<Context | number> {
  if (!options.environment) throw new UsageError(`${command} needs --env NAME (one of environments/*.yaml)`);
  await assertRepositoryRoot(io.cwd);
  const loaded = await loadEnvironment(io.cwd, options.environment);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.err(formatProblem(problem));
    io.err(`${loaded.source.file} is invalid: fix it first`);
    return EXIT.failed;
  }
  const backup = loaded.topology.backup;
  if (!backup) throw new UsageError(`${loaded.source.file} has no backup: section: recovery points are not set up for ${options.environment}`);
  const values = [await readEnvFile(io.cwd, options.envFile), io.env];
  return { environment: options.environment, topology: loaded.topology, model: loaded.model, backup, values, stores: storesOf(backup.targets, ...values) };
}

/**
 * Milvus's MinIO, signed in as root when root's pair is given: a point lists every version of Milvus's bucket and a
 * restore copies and hides objects, which verify's least-privilege user may not do.
 */
function minioOf(ctx: Context, options: RecoveryPointOptions): { client: Client; credentials: MinioCredentials } {
  const endpoints = resolveEndpoints(ctx.model, { s3: options.s3 });
  if (!endpoints.ok) throw new UsageError(endpoints.problems.join('; '));
  // Root's pair only: verify's user may list no versions and copy nothing, so a point made with it would fail later.
  const credentials = rootCredentialsFrom(...ctx.values);
  if (!credentials) throw new UsageError(MISSING_ROOT_CREDENTIALS);
  return { client: minioClient(endpoints.endpoints.s3, credentials), credentials };
}

/** The swarm the docker CLI reaches: DOCKER_HOST from the --credentials file, else this process's environment. */
const swarmOf = (ctx: Context, io: CommandIO): SwarmSites =>
  dockerSwarm(dockerFor(ctx.values[0] as Record<string, string>, (args, options = {}) => processDocker(args, { ...options, env: options.env ?? io.env })));

async function etcdOf(ctx: Context, options: RecoveryPointOptions, io: CommandIO, swarm: SwarmSites, workDir: string): Promise<EtcdAccess> {
  if (options.etcd === undefined) return swarm.etcdAccess(ctx.model, workDir);
  const endpoint = parseHostPort(options.etcd);
  if (!endpoint) throw new UsageError(`--etcd-endpoint ${JSON.stringify(options.etcd)}: expected HOST:PORT, e.g. 127.0.0.1:${ctx.model.etcd.clientPort}`);
  return { endpoint: `http://${formatHostPort(endpoint)}`, ...localEtcdTools(io.env) };
}

async function withWorkDir<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-points-'));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export interface BackupCommandOptions extends RecoveryPointOptions {
  /** Why the point is made: manual (default), scheduled, "before deploy of abc123"… */
  reason?: string;
}

export async function backupCommand(options: BackupCommandOptions, io: CommandIO, swarm?: SwarmSites): Promise<number> {
  const ctx = await context(options, io, 'backup');
  if (typeof ctx === 'number') return ctx;
  const minio = minioOf(ctx, options).client;
  return withWorkDir(async (workDir) => {
    const etcd = await etcdOf(ctx, options, io, swarm ?? swarmOf(ctx, io), workDir);
    const report = await makeRecoveryPoint({
      environment: ctx.environment,
      stack: ctx.model.stack,
      bucket: ctx.topology.milvus.bucket,
      windowDays: ctx.backup.windowDays,
      keep: ctx.backup.keep,
      reason: options.reason ?? 'manual',
      etcd,
      minio,
      stores: ctx.stores,
      workDir,
    });
    if (report.problem) io.err(`backup ${ctx.environment}: no recovery point: ${report.problem}`);
    for (const store of report.stores.filter((outcome) => outcome.error)) io.err(`backup ${ctx.environment}: ${store.where}: ${store.error}`);
    for (const line of backupReportLines(report)) io.out(line);
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}

/**
 * `backup list --env NAME`, or every environment with a backup: section when no --env is given (each with its
 * targets on a line of its own, then its points).
 */
export async function backupListCommand(options: RecoveryPointOptions & { json?: boolean }, io: CommandIO, now: () => Date = () => new Date()): Promise<number> {
  await assertRepositoryRoot(io.cwd);
  const listings: { environment: string; targets: string[]; points: ReturnType<typeof pointRows> }[] = [];
  const environments = options.environment ? [options.environment] : await listEnvironments(io.cwd);
  let code: number = EXIT.ok;
  let listed = 0;
  for (const environment of environments) {
    let ctx: Context | number;
    try {
      ctx = await context({ ...options, environment }, io, 'backup list');
    } catch (error) {
      // Listing every environment: one without points set up is skipped, one that cannot be read is reported.
      if (!options.environment && error instanceof UsageError && /has no backup: section/.test(error.message)) continue;
      if (options.environment) throw error;
      io.err(`backup list ${environment}: ${error instanceof Error ? error.message : String(error)}`);
      code = EXIT.failed;
      continue;
    }
    if (typeof ctx === 'number') {
      code = ctx;
      continue;
    }
    const { points, storeErrors } = await listRecoveryPoints(ctx.stores);
    for (const failure of storeErrors) io.err(`backup list ${environment}: ${failure.where}: ${failure.error}`);
    if (storeErrors.length > 0) code = EXIT.failed;
    if (options.json) {
      listings.push({ environment, targets: ctx.stores.map((store) => store.where), points: pointRows(points, now()) });
      continue;
    }
    if (listed++ > 0) io.out('');
    io.out(`${environment}: ${ctx.stores.map((store) => store.where).join(', ')}`);
    io.out(points.length === 0 ? 'no recovery points' : pointListText(pointRows(points, now())));
  }
  if (options.json) io.out(JSON.stringify(listings, null, 2));
  else if (listed === 0 && code === EXIT.ok) io.out('no environment has a backup: section');
  return code;
}

export interface RestoreCommandOptions extends RecoveryPointOptions {
  point?: string;
  yes?: boolean;
  /** Restore etcd into this directory (one member you run yourself) instead of the swarm's members. */
  etcdDataDir?: string;
  /** NAME=PEER_URL of that member. */
  etcdMember?: string;
  /** Skip the point of the current state made before anything changes (when etcd is lost and cannot be snapshotted). */
  withoutUndoPoint?: boolean;
}

export const MILVUS_STOPPED =
  'restore replaces all of etcd and brings Milvus\'s bucket back to the point\'s cut: Milvus must be stopped first (its sessions in etcd are checked), and started again after verify';

// ~75 lines: a command's edge: flags checked, stores and sites chosen, one library call, its report printed.
export async function restoreCommand(options: RestoreCommandOptions, io: CommandIO, givenSwarm?: SwarmSites): Promise<number> {
  if (!options.point) throw new UsageError('restore needs --point ID (as `backup list` shows it) or --point latest');
  const member = options.etcdMember === undefined ? undefined : parseMember(options.etcdMember);
  if ((options.etcdDataDir === undefined) !== (options.etcdMember === undefined)) throw new UsageError('--etcd-data-dir and --etcd-member NAME=PEER_URL go together');
  const ctx = await context(options, io, 'restore');
  if (typeof ctx === 'number') return ctx;
  io.err(MILVUS_STOPPED);

  if (!options.yes) {
    const { points } = await listRecoveryPoints(ctx.stores);
    const chosen = options.point === 'latest' ? points.find((point) => point.manifest) : points.find((point) => point.id === options.point);
    if (!chosen?.manifest) {
      // Nothing to confirm: asking for --yes would only fail the same way.
      const where = ctx.stores.map((store) => store.where).join(', ');
      io.err(
        options.point === 'latest'
          ? `no recovery point in ${where}: make one with \`npx milvus-swarm backup --env ${ctx.environment}\``
          : `no recovery point ${options.point} in ${where}: \`npx milvus-swarm backup list --env ${ctx.environment}\` lists the points there`,
      );
      return EXIT.failed;
    }
    io.err(`point ${chosen.id} (${chosen.manifest.reason}): etcd ${etcdFigures(chosen.manifest)}; bucket ${bucketFigures(chosen.manifest)}`);
    io.err(`not confirmed: nothing was changed; run again with --yes to restore point ${chosen.id}`);
    return EXIT.destructive;
  }

  const { client: minio, credentials } = minioOf(ctx, options);
  const swarm = givenSwarm ?? swarmOf(ctx, io);
  return withWorkDir(async (workDir) => {
    // A lost etcd has no member to snapshot: --without-undo-point restores with etcdutl alone.
    const etcdAccess = options.withoutUndoPoint && options.etcd === undefined ? undefined : await etcdOf(ctx, options, io, swarm, workDir);
    const etcdutl = etcdAccess?.etcdutl ?? (options.etcd === undefined ? swarm.etcdutl(ctx.model, workDir) : localEtcdTools(io.env).etcdutl);
    const transfer: SnapshotTransferTarget = {
      client: minio,
      credentials,
      bucket: ctx.topology.milvus.bucket,
      inNetwork: { host: ctx.model.milvus.minioAddress, port: ctx.model.milvus.minioPort },
    };
    const members: EtcdMembersRestorer =
      options.etcdDataDir !== undefined && member
        ? directoryMembers(etcdutl, { dataDir: path.resolve(io.cwd, options.etcdDataDir), member })
        : swarm.etcdMembers(ctx.model, workDir, transfer, (line) => io.err(`restore ${ctx.environment}: ${line}`));
    const report = await restoreRecoveryPoint({
      point: options.point!,
      environment: ctx.environment,
      bucket: ctx.topology.milvus.bucket,
      stores: ctx.stores,
      minio,
      etcdutl,
      members,
      clusterToken: ctx.topology.etcd.clusterToken,
      workDir,
      ...(etcdAccess ? { milvusSessions: () => milvusSessions(etcdAccess.etcdctl, etcdAccess.endpoint, ctx.topology.milvus.etcdRootPath) } : {}),
      ...(options.withoutUndoPoint || !etcdAccess
        ? {}
        : {
            undoPoint: (reason: string) =>
              makeRecoveryPoint({
                environment: ctx.environment,
                stack: ctx.model.stack,
                bucket: ctx.topology.milvus.bucket,
                windowDays: ctx.backup.windowDays,
                keep: ctx.backup.keep,
                reason,
                etcd: etcdAccess,
                minio,
                stores: ctx.stores,
                workDir,
              }),
          }),
    });
    for (const problem of report.problems) io.err(`restore ${ctx.environment}: ${problem}`);
    if (!report.ok && report.changed) io.err(`restore ${ctx.environment}: stopped at ${report.stage} after etcd was changed; fix the cause and run the same restore again`);
    for (const line of restoreReportLines(report, ctx.environment)) io.out(line);
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}

function parseMember(text: string): { name: string; peerUrl: string } {
  const match = /^([a-z0-9][a-z0-9-]*)=(https?:\/\/\S+)$/.exec(text);
  if (!match) throw new UsageError(`--etcd-member ${JSON.stringify(text)}: expected NAME=PEER_URL, e.g. etcd1=http://127.0.0.1:2380`);
  return { name: match[1]!, peerUrl: match[2]! };
}
