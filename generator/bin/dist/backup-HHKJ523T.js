import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  backupReportLines,
  bucketFigures,
  etcdFigures,
  pointListText,
  pointRows,
  restoreReportLines
} from "./chunk-AV7SJ2F3.js";
import {
  INVENTORY_FILE,
  MANIFEST_FILE,
  SNAPSHOT_FILE,
  applyBucketRestore,
  checkSnapshot,
  dockerSwarm,
  formatHostPort,
  listObjectVersions,
  listRecoveryPoints,
  localEtcdTools,
  makeRecoveryPoint,
  milvusSessions,
  minioClient,
  parseHostPort,
  parseManifest,
  planBucketRestore,
  pointKeyFrom,
  resolveEndpoints,
  restoreSnapshot,
  restoredClusterToken,
  sha256File,
  stateOf,
  storesOf
} from "./chunk-FVFIHRYI.js";
import "./chunk-L6EL3X6N.js";
import {
  MISSING_ROOT_CREDENTIALS,
  dockerFor,
  loadEnvironment,
  processDocker,
  readEnvFile,
  rootCredentialsFrom
} from "./chunk-LB2O7ATV.js";
import "./chunk-C6KIAFBQ.js";
import {
  assertRepositoryRoot,
  formatProblem,
  listEnvironments
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";
import "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/backup.ts
import { mkdtemp, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import path2 from "node:path";

// generator/backup/restore.ts
import { gunzipSync } from "node:zlib";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
function directoryMembers(etcdutl, target) {
  const { dataDir, member } = target;
  return {
    where: `data dir ${dataDir} (member ${member.name}, ${member.peerUrl})`,
    async check() {
      const entries = await readdir(dataDir).catch((error) => error.code === "ENOENT" ? [] : [`(unreadable: ${error.code})`]);
      return entries.length === 0 ? [] : [`${dataDir} is not empty: etcd restores only into a new or empty directory (move the old one aside)`];
    },
    async restore({ snapshotFile, clusterToken }) {
      await restoreSnapshot(etcdutl, { file: snapshotFile, dataDir, member, cluster: [member], clusterToken });
      return {
        notes: [`start etcd on ${dataDir} with --name=${member.name} --initial-advertise-peer-urls=${member.peerUrl} (the data dir holds the membership: --initial-cluster flags are ignored)`]
      };
    }
  };
}
async function restoreRecoveryPoint(input) {
  const started = performance.now();
  const report = { ok: false, stage: "find", problems: [], notes: [], changed: false, elapsedMs: 0, timings: { checkMs: 0, undoPointMs: 0, etcdMs: 0, bucketMs: 0 } };
  let mark = started;
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const stop = (stage, ...problems) => {
    report.stage = stage;
    report.problems.push(...problems);
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  };
  const { points, storeErrors } = await listRecoveryPoints(input.stores, { key: input.pointKey, environment: input.environment, now: (input.now ?? (() => /* @__PURE__ */ new Date()))() });
  for (const failure of storeErrors) report.notes.push(`${failure.where}: not listed: ${failure.error}`);
  const chosen = choosePoint(points, input.point, input.allowUnsigned === true);
  if (!chosen.ok) return stop("find", chosen.problem);
  const listed = chosen.point;
  const manifest = listed.manifest;
  if (listed.trust !== "authentic") report.notes.push(`point ${listed.id} restored without authentication (--allow-unsigned): ${listed.reason}`);
  report.point = manifest;
  if (manifest.environment !== input.environment) return stop("find", `point ${manifest.id} is of environment ${manifest.environment}, not ${input.environment}`);
  if (manifest.bucket.name !== input.bucket) return stop("find", `point ${manifest.id} holds bucket ${manifest.bucket.name}, but Milvus's bucket is ${input.bucket}`);
  const folder = path.join(input.workDir, `restore-${manifest.id}`);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  try {
    const store = input.stores.find((candidate) => listed.where.includes(candidate.where));
    report.from = store.where;
    const snapshotFile = path.join(folder, SNAPSHOT_FILE);
    const inventoryFile = path.join(folder, INVENTORY_FILE);
    try {
      for (const [name, file] of [[SNAPSHOT_FILE, snapshotFile], [INVENTORY_FILE, inventoryFile], [MANIFEST_FILE, path.join(folder, MANIFEST_FILE)]]) await store.fetchFile(manifest.id, name, file);
    } catch (error) {
      return stop("fetch", `${store.where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const refetched = parseManifest(await readFile(path.join(folder, MANIFEST_FILE), "utf8"));
    if (!refetched.ok || JSON.stringify(refetched.manifest) !== JSON.stringify(manifest)) return stop("check", `${store.where}: manifest.json changed while it was read`);
    const checked = await checkSnapshot(input.etcdutl, snapshotFile, manifest.etcd);
    const problems = checked.problems.map((problem) => `etcd snapshot: ${problem}`);
    if (await sha256File(inventoryFile) !== manifest.bucket.inventorySha256) problems.push(`${INVENTORY_FILE}: sha256 differs from the one the point recorded`);
    problems.push(...await input.members.check().catch((error) => [`${input.members.where}: ${error.message}`]));
    if (problems.length > 0) return stop("check", ...problems.map((problem) => `${problem}: refused, nothing was changed`));
    if (input.milvusSessions) {
      const sessions = await input.milvusSessions().catch((error) => error);
      if (sessions instanceof Error) report.notes.push(`could not ask etcd for Milvus sessions (${sessions.message}): make sure Milvus is stopped`);
      else if (sessions.length > 0) {
        return stop("milvus", `Milvus is connected: ${sessions.length} live session${sessions.length === 1 ? "" : "s"} in etcd (${sessions.slice(0, 3).join(", ")}${sessions.length > 3 ? ", \u2026" : ""}); stop Milvus and wait until they expire`);
      }
    }
    const inventory = gunzipSync(await readFile(inventoryFile)).toString("utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
    const plan = planBucketRestore(await listObjectVersions(input.minio, input.bucket), stateOf(inventory));
    if (plan.missing.length > 0) {
      const ageDays = ((input.now ?? (() => /* @__PURE__ */ new Date()))().getTime() - new Date(manifest.cut).getTime()) / 864e5;
      return stop(
        "bucket-plan",
        `${plan.missing.length} object version${plan.missing.length === 1 ? "" : "s"} the point needs ${plan.missing.length === 1 ? "is" : "are"} gone from ${input.bucket} (e.g. ${plan.missing[0].key}); the point is ${ageDays.toFixed(1)} days old, its window was ${manifest.bucket.windowDays} days: refused, nothing was changed`
      );
    }
    report.timings.checkMs = lap();
    if (input.undoPoint) {
      const pointKey = input.undoPoint.pointKey ?? (input.allowUnsigned ? "unsigned" : void 0);
      const undo = await makeRecoveryPoint({ ...input.undoPoint, pointKey, keep: void 0, reason: `before restore of ${manifest.id}` });
      if (!undo.ok || !undo.manifest) {
        return stop("undo-point", `the point of the current state (to undo this restore) failed: ${undo.problem ?? undo.stores.map((store2) => `${store2.where}: ${store2.error}`).join("; ")}; nothing was changed`);
      }
      report.undoPoint = undo.manifest;
    } else {
      report.notes.push("no point of the state before the restore was made: this restore cannot be undone");
    }
    report.timings.undoPointMs = lap();
    const clusterToken = restoredClusterToken(input.clusterToken, (input.now ?? (() => /* @__PURE__ */ new Date()))());
    report.changed = true;
    try {
      const outcome = await input.members.restore({ snapshotFile, clusterToken, revision: manifest.etcd.revision, pointId: manifest.id });
      report.notes.push(...outcome.notes);
    } catch (error) {
      return stop("etcd", `etcd restore into ${input.members.where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    report.timings.etcdMs = lap();
    report.etcd = {
      revision: manifest.etcd.revision,
      ...manifest.etcd.keys === void 0 ? {} : { keys: manifest.etcd.keys },
      into: input.members.where,
      clusterToken,
      ...report.undoPoint ? { before: { revision: report.undoPoint.etcd.revision, ...report.undoPoint.etcd.keys === void 0 ? {} : { keys: report.undoPoint.etcd.keys } } } : {}
    };
    const applied = await applyBucketRestore(input.minio, input.bucket, plan);
    report.timings.bucketMs = lap();
    report.bucket = {
      copied: plan.copied,
      hidden: plan.hidden,
      unchanged: plan.unchanged,
      failed: applied.failed.map((failure) => ({ key: failure.action.key, reason: failure.reason }))
    };
    if (applied.failed.length > 0) return stop("bucket", `${applied.failed.length} of ${plan.actions.length} bucket steps failed; restore point ${manifest.id} again, by its id (it redoes only what is not done)`);
    report.ok = true;
    return stop("done");
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
function choosePoint(points, wanted, allowUnsigned) {
  const untrusted = points.filter((point2) => point2.trust !== "authentic");
  const aside = untrusted.length === 0 ? "" : `; not counted: ${untrusted.length} (${untrusted.slice(0, 3).map((point2) => `${point2.id}: ${point2.reason ?? point2.problems[0] ?? "refused"}`).join("; ")}${untrusted.length > 3 ? "; \u2026" : ""})`;
  if (wanted === "latest") {
    const newest = points.find((point2) => point2.trust === "authentic");
    if (newest) return { ok: true, point: newest };
    const hint = untrusted.some((point2) => point2.trust === "unsigned" || point2.trust === "unchecked") ? ": an unsigned point is restored only by its id, with --allow-unsigned" : "";
    return { ok: false, problem: `no authenticated recovery point in any target${aside}${hint}` };
  }
  const point = points.find((candidate) => candidate.id === wanted);
  if (!point) {
    const known = points.filter((candidate) => candidate.trust === "authentic").slice(0, 5).map((candidate) => candidate.id).join(", ");
    return { ok: false, problem: `no recovery point ${wanted}${known ? ` (newest: ${known})` : ""}` };
  }
  if (point.trust === "authentic") return { ok: true, point };
  if (point.trust === "refused" || !point.manifest) return { ok: false, problem: `point ${wanted} is refused and never restored: ${[point.reason, ...point.problems].filter(Boolean).join("; ")}` };
  if (!allowUnsigned) {
    return { ok: false, problem: `point ${wanted} is ${point.reason}: restore it with --allow-unsigned only if you trust the target it is kept in (whoever can write there decides what etcd becomes)` };
  }
  return { ok: true, point };
}

// generator/commands/backup.ts
var trustOf = (ctx, now = /* @__PURE__ */ new Date()) => ({ key: ctx.pointKey, environment: ctx.environment, now });
async function context(options, io, command) {
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
  return { environment: options.environment, topology: loaded.topology, model: loaded.model, backup, values, stores: storesOf(backup.targets, ...values), pointKey: pointKeyFrom(...values) };
}
function minioOf(ctx, options) {
  const endpoints = resolveEndpoints(ctx.model, { s3: options.s3 });
  if (!endpoints.ok) throw new UsageError(endpoints.problems.join("; "));
  const credentials = rootCredentialsFrom(...ctx.values);
  if (!credentials) throw new UsageError(MISSING_ROOT_CREDENTIALS);
  return { client: minioClient(endpoints.endpoints.s3, credentials), credentials };
}
var swarmOf = (ctx, io) => dockerSwarm(dockerFor(ctx.values[0], (args, options = {}) => processDocker(args, { ...options, env: options.env ?? io.env })));
async function etcdOf(ctx, options, io, swarm, workDir) {
  if (options.etcd === void 0) return swarm.etcdAccess(ctx.model, workDir);
  const endpoint = parseHostPort(options.etcd);
  if (!endpoint) throw new UsageError(`--etcd-endpoint ${JSON.stringify(options.etcd)}: expected HOST:PORT, e.g. 127.0.0.1:${ctx.model.etcd.clientPort}`);
  return { endpoint: `http://${formatHostPort(endpoint)}`, ...localEtcdTools(io.env) };
}
async function withWorkDir(work) {
  const directory = await mkdtemp(path2.join(tmpdir(), "milvus-swarm-points-"));
  try {
    return await work(directory);
  } finally {
    await rm2(directory, { recursive: true, force: true });
  }
}
async function backupCommand(options, io, swarm) {
  const ctx = await context(options, io, "backup");
  if (typeof ctx === "number") return ctx;
  const minio = minioOf(ctx, options).client;
  return withWorkDir(async (workDir) => {
    const etcd = await etcdOf(ctx, options, io, swarm ?? swarmOf(ctx, io), workDir);
    const report = await makeRecoveryPoint({
      environment: ctx.environment,
      stack: ctx.model.stack,
      bucket: ctx.topology.milvus.bucket,
      windowDays: ctx.backup.windowDays,
      keep: ctx.backup.keep,
      reason: options.reason ?? "manual",
      etcd,
      minio,
      stores: ctx.stores,
      pointKey: ctx.pointKey,
      workDir
    });
    if (report.problem) io.err(`backup ${ctx.environment}: no recovery point: ${report.problem}`);
    for (const store of report.stores.filter((outcome) => outcome.error)) io.err(`backup ${ctx.environment}: ${store.where}: ${store.error}`);
    for (const line of backupReportLines(report)) io.out(line);
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}
async function backupListCommand(options, io, now = () => /* @__PURE__ */ new Date()) {
  await assertRepositoryRoot(io.cwd);
  const listings = [];
  const environments = options.environment ? [options.environment] : await listEnvironments(io.cwd);
  let code = EXIT.ok;
  let listed = 0;
  for (const environment of environments) {
    let ctx;
    try {
      ctx = await context({ ...options, environment }, io, "backup list");
    } catch (error) {
      if (!options.environment && error instanceof UsageError && /has no backup: section/.test(error.message)) continue;
      if (options.environment) throw error;
      io.err(`backup list ${environment}: ${error instanceof Error ? error.message : String(error)}`);
      code = EXIT.failed;
      continue;
    }
    if (typeof ctx === "number") {
      code = ctx;
      continue;
    }
    const { points, storeErrors } = await listRecoveryPoints(ctx.stores, trustOf(ctx, now()));
    for (const failure of storeErrors) io.err(`backup list ${environment}: ${failure.where}: ${failure.error}`);
    if (storeErrors.length > 0) code = EXIT.failed;
    if (options.json) {
      listings.push({ environment, targets: ctx.stores.map((store) => store.where), points: pointRows(points, now()) });
      continue;
    }
    if (listed++ > 0) io.out("");
    io.out(`${environment}: ${ctx.stores.map((store) => store.where).join(", ")}`);
    io.out(points.length === 0 ? "no recovery points" : pointListText(pointRows(points, now())));
  }
  if (options.json) io.out(JSON.stringify(listings, null, 2));
  else if (listed === 0 && code === EXIT.ok) io.out("no environment has a backup: section");
  return code;
}
var MILVUS_STOPPED = "restore replaces all of etcd and brings Milvus's bucket back to the point's cut: Milvus must be stopped first (its sessions in etcd are checked), and started again after verify";
async function restoreCommand(options, io, givenSwarm) {
  if (!options.point) throw new UsageError("restore needs --point ID (as `backup list` shows it) or --point latest");
  const member = options.etcdMember === void 0 ? void 0 : parseMember(options.etcdMember);
  if (options.etcdDataDir === void 0 !== (options.etcdMember === void 0)) throw new UsageError("--etcd-data-dir and --etcd-member NAME=PEER_URL go together");
  const ctx = await context(options, io, "restore");
  if (typeof ctx === "number") return ctx;
  io.err(MILVUS_STOPPED);
  if (!options.yes) {
    const { points } = await listRecoveryPoints(ctx.stores, trustOf(ctx));
    const chosen = choosePoint(points, options.point, options.allowUnsigned === true);
    if (!chosen.ok || !chosen.point.manifest) {
      const where = ctx.stores.map((store) => store.where).join(", ");
      const next = options.point === "latest" ? `make one with \`npx milvus-swarm backup --env ${ctx.environment}\`` : `\`npx milvus-swarm backup list --env ${ctx.environment}\` lists the points there`;
      io.err(`${chosen.ok ? `no recovery point ${options.point}` : chosen.problem} (in ${where}): ${next}`);
      return EXIT.failed;
    }
    const { id, manifest, trust } = chosen.point;
    io.err(`point ${id} (${manifest.reason})${trust === "authentic" ? "" : `, NOT AUTHENTICATED (${chosen.point.reason})`}: etcd ${etcdFigures(manifest)}; bucket ${bucketFigures(manifest)}`);
    io.err(`not confirmed: nothing was changed; run again with --yes to restore point ${id}`);
    return EXIT.destructive;
  }
  const { client: minio, credentials } = minioOf(ctx, options);
  const swarm = givenSwarm ?? swarmOf(ctx, io);
  return withWorkDir(async (workDir) => {
    const etcdAccess = options.withoutUndoPoint && options.etcd === void 0 ? void 0 : await etcdOf(ctx, options, io, swarm, workDir);
    const etcdutl = etcdAccess?.etcdutl ?? (options.etcd === void 0 ? swarm.etcdutl(ctx.model, workDir) : localEtcdTools(io.env).etcdutl);
    const transfer = {
      client: minio,
      credentials,
      bucket: ctx.topology.milvus.bucket,
      inNetwork: { host: ctx.model.milvus.minioAddress, port: ctx.model.milvus.minioPort }
    };
    const members = options.etcdDataDir !== void 0 && member ? directoryMembers(etcdutl, { dataDir: path2.resolve(io.cwd, options.etcdDataDir), member }) : swarm.etcdMembers(ctx.model, workDir, transfer, (line) => io.err(`restore ${ctx.environment}: ${line}`));
    const report = await restoreRecoveryPoint({
      point: options.point,
      pointKey: ctx.pointKey,
      allowUnsigned: options.allowUnsigned === true,
      environment: ctx.environment,
      bucket: ctx.topology.milvus.bucket,
      stores: ctx.stores,
      minio,
      etcdutl,
      members,
      clusterToken: ctx.topology.etcd.clusterToken,
      workDir,
      ...etcdAccess ? { milvusSessions: () => milvusSessions(etcdAccess.etcdctl, etcdAccess.endpoint, ctx.topology.milvus.etcdRootPath) } : {},
      ...options.withoutUndoPoint || !etcdAccess ? {} : {
        undoPoint: {
          environment: ctx.environment,
          stack: ctx.model.stack,
          bucket: ctx.topology.milvus.bucket,
          windowDays: ctx.backup.windowDays,
          etcd: etcdAccess,
          minio,
          stores: ctx.stores,
          pointKey: ctx.pointKey,
          workDir
        }
      }
    });
    for (const problem of report.problems) io.err(`restore ${ctx.environment}: ${problem}`);
    if (!report.ok && report.changed) io.err(`restore ${ctx.environment}: stopped at ${report.stage} after etcd was changed; fix the cause and run again: ${restoreAgain(ctx.environment, report)}`);
    for (const line of restoreReportLines(report, ctx.environment)) io.out(line);
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}
function restoreAgain(environment, report) {
  return `npx milvus-swarm restore --env ${environment} --point ${report.point?.id ?? "ID"} --yes (by its id: --point latest is now this restore's undo point)`;
}
function parseMember(text) {
  const match = /^([a-z0-9][a-z0-9-]*)=(https?:\/\/\S+)$/.exec(text);
  if (!match) throw new UsageError(`--etcd-member ${JSON.stringify(text)}: expected NAME=PEER_URL, e.g. etcd1=http://127.0.0.1:2380`);
  return { name: match[1], peerUrl: match[2] };
}
export {
  MILVUS_STOPPED,
  backupCommand,
  backupListCommand,
  restoreCommand
};
