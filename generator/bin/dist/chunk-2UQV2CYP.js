import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  Client,
  S3Error,
  describeMeaning,
  fail,
  formatHostPort,
  pass,
  policyMeaning,
  sameMeaning,
  textTable,
  warn
} from "./chunk-4WRBNWSC.js";
import {
  MISSING_CREDENTIALS,
  VERIFY_PASSWORD_VARIABLE,
  VERIFY_USER_VARIABLE,
  credentialsHint,
  dockerJson,
  dockerLines,
  dockerValue
} from "./chunk-ELHFDLQQ.js";
import {
  VERIFY_PROBE_PREFIX,
  erasureLayout
} from "./chunk-IWW3HJJT.js";

// generator/verify/rows.ts
function worst(...statuses) {
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("warn")) return "warn";
  return "pass";
}
async function timed(identity, run, now = performance.now.bind(performance)) {
  const started = now();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = fail(oneLine(errorMessage(error)));
  }
  return { ...identity, ...outcome, reason: oneLine(outcome.reason), elapsedMs: Math.round(now() - started) };
}
var errorMessage = (error) => error instanceof Error ? error.message : String(error);
var oneLine = (text) => text.replace(/\s*\n\s*/g, " | ").trim();
function summarise(rows) {
  const count = (status) => rows.filter((row) => row.status === status).length;
  return { pass: count("pass"), warn: count("warn"), fail: count("fail"), status: worst(...rows.map((row) => row.status)) };
}
var formatSeconds = (ms) => `${(ms / 1e3).toFixed(2)}s`;
var STATUS_ICON = { pass: "\u2705 pass", warn: "\u26A0\uFE0F warn", fail: "\u274C fail" };
var ROW_COLUMNS = [
  { title: "status", text: (row) => row.status.toUpperCase(), markdown: (row) => STATUS_ICON[row.status] },
  { title: "time", text: (row) => formatSeconds(row.elapsedMs) },
  { title: "check", text: (row) => row.check },
  { title: "reason", text: (row) => row.reason }
];
var formatRowsText = (rows) => textTable(ROW_COLUMNS, rows);
function summaryLine(environment, summary, elapsedMs) {
  return `verify ${environment}: ${summary.status.toUpperCase()} \u2014 ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail in ${formatSeconds(elapsedMs)}`;
}

// generator/cluster/deadline.ts
var DeadlineError = class extends Error {
  constructor(what, ms) {
    super(`${what}: no answer within ${(ms / 1e3).toFixed(1)} s`);
    this.what = what;
    this.ms = ms;
    this.name = "DeadlineError";
  }
  what;
  ms;
};
function withDeadline(what, ms, work) {
  const promise = typeof work === "function" ? work() : work;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), Math.max(0, ms));
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
var Budget = class {
  constructor(totalMs, now = () => performance.now()) {
    this.totalMs = totalMs;
    this.now = now;
    this.endsAt = now() + totalMs;
  }
  totalMs;
  now;
  endsAt;
  remainingMs() {
    return Math.max(0, this.endsAt - this.now());
  }
  /** A call's deadline: `ms`, or what remains of the budget when that is less (never below `floorMs`). */
  call(ms, floorMs = 250) {
    return Math.max(floorMs, Math.floor(Math.min(ms, this.remainingMs())));
  }
  spent() {
    return this.remainingMs() <= 0;
  }
};

// generator/verify/minioChecks.ts
import { randomBytes } from "node:crypto";

// generator/verify/probeSweep.ts
var PROBE_MAX_AGE_MS = 5 * 6e4;
var STAMP = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-[0-9a-f]{16}$/;
function probeTime(name) {
  const match = STAMP.exec(name);
  if (!match) return void 0;
  const [, day, hours, minutes, seconds, millis] = match;
  const time = Date.parse(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`);
  return Number.isNaN(time) ? void 0 : time;
}
function staleProbes(names, now, maxAgeMs = PROBE_MAX_AGE_MS) {
  return names.filter((name) => {
    const time = probeTime(name);
    return time !== void 0 && now - time > maxAgeMs;
  });
}
var sweptNote = (count, what) => count === 0 ? "" : `; removed ${count} ${what}${count === 1 ? "" : "s"} older than ${PROBE_MAX_AGE_MS / 6e4} min left by earlier runs`;

// generator/verify/minioChecks.ts
import http from "node:http";

// generator/cluster/minioAccess.ts
var HEALTH_PATH = "/minio/health/cluster";
function regionOf(model) {
  const environment = model.services.find((service) => service.role === "minio-node")?.environment ?? {};
  return environment.MINIO_SITE_REGION ?? environment.MINIO_REGION ?? "us-east-1";
}

// generator/cluster/http.ts
async function httpGet(url, timeoutMs, headers = {}) {
  try {
    const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) throw new DeadlineError(`GET ${url}`, timeoutMs);
    throw new Error(`GET ${url}: ${networkReason(error)}`);
  }
}
function networkReason(error) {
  const cause = error?.cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN") return "host not found";
  if (cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET") return "connection reset";
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

// generator/verify/later.ts
function later() {
  let settle = () => void 0;
  const promise = new Promise((resolve) => settle = resolve);
  return { promise, settle: (value) => settle(value) };
}

// generator/cluster/jwt.ts
import { createHmac } from "node:crypto";
var PROMETHEUS_ISSUER = "prometheus";
var TOKEN_LIFETIME_SECONDS = 300;
var base64url = (data) => Buffer.from(data).toString("base64url");
function prometheusToken(accessKey, secretKey, nowSeconds) {
  const header = base64url(JSON.stringify({ alg: "HS512", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ exp: nowSeconds + TOKEN_LIFETIME_SECONDS, sub: accessKey, iss: PROMETHEUS_ISSUER }));
  const signature = createHmac("sha512", secretKey).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

// generator/verify/minioMetrics.ts
var METRICS_PATH = "/minio/v2/metrics/cluster";
function parsePrometheusText(text) {
  const samples = /* @__PURE__ */ new Map();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    samples.set(match[1], [...samples.get(match[1]) ?? [], value]);
  }
  return samples;
}
function clusterCounts(samples) {
  const online = (name) => samples.has(name) ? Math.min(...samples.get(name)) : void 0;
  const offline = (name) => samples.has(name) ? Math.max(...samples.get(name)) : 0;
  const nodesOnline = online("minio_cluster_nodes_online_total");
  const nodesOffline = offline("minio_cluster_nodes_offline_total");
  for (const [word, generation] of [
    ["drive", "drive (2023-08 and later)"],
    ["disk", "disk (before 2023-08)"]
  ]) {
    const drivesOnline = online(`minio_cluster_${word}_online_total`);
    if (drivesOnline === void 0 || nodesOnline === void 0) continue;
    return { generation, nodesOnline, nodesOffline, drivesOnline, drivesOffline: offline(`minio_cluster_${word}_offline_total`) };
  }
  return void 0;
}
function expectedCounts(model) {
  let nodes = 0;
  let drives = 0;
  let driveLoss = Number.POSITIVE_INFINITY;
  let nodeLoss = Number.POSITIVE_INFINITY;
  for (const pool of model.minio.pools) {
    nodes += pool.nodes.length;
    drives += pool.nodes.length * pool.drivesPerNode;
    const layout = pool.layout ?? erasureLayout(pool.nodes.length, pool.drivesPerNode);
    driveLoss = Math.min(driveLoss, layout ? layout.setSize - layout.writeQuorum : 0);
    nodeLoss = Math.min(nodeLoss, layout ? layout.nodeLossForWrites : 0);
  }
  return { nodes, drives, driveLossForWrites: Number.isFinite(driveLoss) ? driveLoss : 0, nodeLossForWrites: Number.isFinite(nodeLoss) ? nodeLoss : 0 };
}
function judgeClusterCounts(counts, expected, writeQuorumNow) {
  const facts = `${counts.nodesOnline}/${expected.nodes} nodes and ${counts.drivesOnline}/${expected.drives} drives online (minio_cluster_${counts.generation.split(" ")[0]}_* metrics)`;
  const nodesDown = Math.max(0, expected.nodes - counts.nodesOnline);
  const drivesDown = Math.max(0, expected.drives - counts.drivesOnline);
  if (nodesDown === 0 && drivesDown === 0) {
    if (counts.nodesOnline > expected.nodes || counts.drivesOnline > expected.drives) {
      return warn(`${facts}: more than the topology has \u2014 is the topology out of date?`);
    }
    return pass(facts);
  }
  if (drivesDown > expected.driveLossForWrites || nodesDown > expected.nodeLossForWrites) {
    if (writeQuorumNow === true) {
      return warn(
        `${facts}, but /minio/health/cluster says write quorum holds now: these counts are up to a minute old (MinIO caches them), so nodes that came back are not counted yet \u2014 verify again in a minute`
      );
    }
    return fail(
      `${facts}: beyond what write quorum survives (${expected.nodeLossForWrites} node(s), ${expected.driveLossForWrites} drive(s)) \u2014 writes fail: bring the nodes back (docker service ps) before anything else`
    );
  }
  return warn(
    `${facts}: write quorum holds (survives ${expected.nodeLossForWrites} node(s), ${expected.driveLossForWrites} drive(s) down) \u2014 bring the missing ones back before another fails (counts up to a minute old)`
  );
}

// generator/verify/minioChecks.ts
var MINIO_CALL_DEADLINE_MS = 5e3;
var PROBE_OBJECT_PREFIX = VERIFY_PROBE_PREFIX;
var PROBE_SIZE = 256 * 1024;
var bucketRow = (bucket) => ({ id: `minio:bucket:${bucket}`, check: `minio bucket ${bucket}`, endpoint: "s3" });
async function checkMinio(check) {
  const { model, endpoints, budget } = check;
  const s3 = `http://${formatHostPort(endpoints.s3)}`;
  const writeQuorumNow = later();
  const health = timed({ id: "minio:cluster-health", check: "minio: cluster health", endpoint: "s3" }, async () => {
    try {
      const { outcome, writeQuorum } = await clusterHealth(s3, budget);
      writeQuorumNow.settle(writeQuorum);
      return outcome;
    } finally {
      writeQuorumNow.settle(void 0);
    }
  });
  const consoleRow = timed({ id: "minio:console", check: "minio: console", endpoint: "console" }, () => consoleAnswers(`http://${formatHostPort(endpoints.console)}/`, budget));
  if (!check.credentials) {
    const missing = timed({ id: "minio:credentials", check: "minio: credentials" }, async () => fail(MISSING_CREDENTIALS));
    return Promise.all([health, missing, consoleRow]);
  }
  const credentials = check.credentials;
  const asRoot = credentials.user === "root" ? timed(
    { id: "minio:credentials", check: "minio: credentials" },
    async () => warn(`signed in as MinIO's root user: give verify its own user, ${VERIFY_USER_VARIABLE} / ${VERIFY_PASSWORD_VARIABLE} (the swarm secrets ${model.minio.secrets.verifyUser} / ${model.minio.secrets.verifyPassword}; deploy creates the user)`)
  ) : void 0;
  const metrics = timed({ id: "minio:nodes-drives", check: "minio: nodes and drives", endpoint: "s3" }, () => nodesAndDrives(s3, model, credentials, budget, writeQuorumNow.promise, check.now));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const client = new Client({
    endPoint: endpoints.s3.host.replace(/^\[|\]$/g, ""),
    port: endpoints.s3.port,
    useSSL: false,
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    region: regionOf(model),
    transportAgent: agent
  });
  const call = (what, work) => withDeadline(`minio ${what}`, budget.call(MINIO_CALL_DEADLINE_MS), work).catch((error) => {
    throw new Error(s3Reason(error, model, credentials));
  });
  try {
    const bucketRows = await Promise.all(model.minio.buckets.map((bucket) => timed(bucketRow(bucket.name), () => checkBucket(call, client, bucket.name, bucket.policy, model.environment))));
    const milvusBucketReady = bucketRows.find((row) => row.id === bucketRow(model.milvus.bucketName).id)?.status !== "fail";
    const probe = await timed(
      { id: "minio:probe-object", check: `minio: probe object in ${model.milvus.bucketName}`, endpoint: "s3" },
      () => milvusBucketReady ? probeObject(call, client, model.milvus.bucketName, check.now) : Promise.resolve(fail(`not run: bucket ${model.milvus.bucketName} is not ready (see its row)`))
    );
    return [await health, ...asRoot ? [await asRoot] : [], await metrics, ...bucketRows, probe, await consoleRow];
  } finally {
    agent.destroy();
  }
}
async function clusterHealth(s3, budget) {
  const answer = await httpGet(`${s3}${HEALTH_PATH}`, budget.call(MINIO_CALL_DEADLINE_MS));
  const quorum = answer.headers.get("x-minio-write-quorum");
  if (answer.status === 200) return { outcome: pass(`200: write quorum${quorum ? ` (${quorum} drives per set)` : ""}`), writeQuorum: true };
  if (answer.status === 503) {
    return { outcome: fail(`503: MinIO has lost write quorum${quorum ? ` (needs ${quorum} drives per set)` : ""} \u2014 writes fail: bring MinIO nodes back (docker service ps)`), writeQuorum: false };
  }
  if (answer.status === 502 || answer.status === 504) return { outcome: fail(`${answer.status} from nginx: no MinIO node answers behind the load balancer \u2014 check the minio services`) };
  return { outcome: fail(`unexpected ${answer.status} from ${HEALTH_PATH}`) };
}
async function nodesAndDrives(s3, model, credentials, budget, writeQuorumNow, now) {
  const seconds = Math.floor((now ? now() : /* @__PURE__ */ new Date()).getTime() / 1e3);
  const token = prometheusToken(credentials.accessKey, credentials.secretKey, seconds);
  const answer = await httpGet(`${s3}${METRICS_PATH}`, budget.call(MINIO_CALL_DEADLINE_MS), { authorization: `Bearer ${token}` });
  if (answer.status === 403 || answer.status === 401) return fail(`${answer.status} from ${METRICS_PATH}: the token was refused \u2014 ${credentialsHint(model.minio.secrets, credentials.user)}`);
  if (answer.status !== 200) return fail(`unexpected ${answer.status} from ${METRICS_PATH}`);
  const counts = clusterCounts(parsePrometheusText(answer.body));
  if (!counts) return fail(`${METRICS_PATH} has neither minio_cluster_drive_* nor minio_cluster_disk_* with minio_cluster_nodes_online_total: is this MinIO?`);
  return judgeClusterCounts(counts, expectedCounts(model), await writeQuorumNow);
}
async function consoleAnswers(url, budget) {
  const answer = await httpGet(url, budget.call(MINIO_CALL_DEADLINE_MS));
  if (answer.status < 400) return pass(`${answer.status} from ${url}`);
  return fail(`${answer.status} from ${url}: the console does not answer behind nginx \u2014 check the minio-proxy service and MinIO's --console-address`);
}
async function checkBucket(call, client, bucket, expected, environment) {
  const deploy = `npx milvus-swarm deploy --env ${environment}`;
  const found = await call(`getBucketPolicy ${bucket}`, () => readPolicy(client, bucket));
  if (found === void 0) return fail(`does not exist: deploy creates it (${deploy}, with MinIO's root pair)`);
  const meaning = policyMeaning(bucket, found);
  if (!sameMeaning(meaning, expected)) {
    return fail(`policy is ${describeMeaning(meaning)}, the topology says ${expected}: someone changed it outside the topology; deploy sets it back (${deploy})`);
  }
  if (expected === "public") return warn(`exists, policy public: public lets anyone read and overwrite Milvus's data \u2014 use private unless that is intended`);
  return pass(`exists, policy ${expected}`);
}
async function readPolicy(client, bucket) {
  try {
    return await client.getBucketPolicy(bucket);
  } catch (error) {
    if (error instanceof S3Error && error.code === "NoSuchBucketPolicy") return "";
    if (error instanceof S3Error && error.code === "NoSuchBucket") return void 0;
    throw error;
  }
}
async function probeObject(call, client, bucket, now = () => /* @__PURE__ */ new Date()) {
  const name = `${PROBE_OBJECT_PREFIX}${now().toISOString().replace(/[:.]/g, "-")}-${randomBytes(8).toString("hex")}`;
  const body = randomBytes(PROBE_SIZE);
  let removed = false;
  try {
    await call(`putObject ${bucket}/${name}`, () => client.putObject(bucket, name, body, body.length));
    const stat = await call(`statObject ${bucket}/${name}`, () => client.statObject(bucket, name));
    if (stat.size !== body.length) return fail(`stat says ${stat.size} bytes, ${body.length} were written`);
    const read = await call(`getObject ${bucket}/${name}`, async () => {
      const stream = await client.getObject(bucket, name);
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return Buffer.concat(chunks);
    });
    if (!read.equals(body)) return fail(`read back ${read.length} bytes that differ from the ${body.length} written: the load balancer or a drive corrupts data`);
    await call(`removeObject ${bucket}/${name}`, () => client.removeObject(bucket, name));
    removed = true;
    const swept = await sweepProbeObjects(call, client, bucket, now().getTime());
    return pass(`put, stat, get (${body.length / 1024} KiB, bytes equal) and removed ${name}${sweptNote(swept, "probe object")}`);
  } finally {
    if (!removed) await withDeadline("minio cleanup", 3e3, () => client.removeObject(bucket, name)).catch(() => void 0);
  }
}
async function sweepProbeObjects(call, client, bucket, now) {
  const names = await call(`listObjects ${bucket}/${PROBE_OBJECT_PREFIX}`, async () => {
    const found = [];
    for await (const item of client.listObjects(bucket, PROBE_OBJECT_PREFIX, true)) if (item.name) found.push(item.name);
    return found;
  });
  const stale = staleProbes(names, now);
  if (stale.length > 0) await call(`removeObjects ${bucket}/${PROBE_OBJECT_PREFIX}`, () => client.removeObjects(bucket, stale));
  return stale.length;
}
function s3Reason(error, model, credentials) {
  if (error instanceof S3Error || typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    const code = error.code;
    if (code === "AccessDenied" && credentials?.user === "verify") {
      return `AccessDenied: verify's user may not do this \u2014 deploy sets its policy ${model.minio.verifyPolicy.name} from the topology's buckets (run deploy)`;
    }
    if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"].includes(code)) {
      return `${code}: ${credentialsHint(model.minio.secrets, credentials?.user)}`;
    }
    if (code === "XMinioServerNotInitialized" || code === "XMinioStorageFull" || code === "SlowDown") return `${code}: ${error.message}`;
    if (code === "ECONNREFUSED") return "connection refused";
    if (code === "ECONNRESET") return "connection reset by the load balancer";
    return `${code}: ${error.message}`;
  }
  if (error instanceof Error && error.name === "DeadlineError") return error.message;
  return networkReason(error);
}

// generator/cluster/proxyLocations.ts
async function runningTaskAddresses(runner, service, timeoutMs) {
  const listed = await dockerValue(runner, ["service", "ps", "--filter", "desired-state=running", "--format", "{{.Node}}	{{.CurrentState}}", service], runningNodes, { timeoutMs });
  if (!listed.ok) return { ...listed, error: `docker service ps ${service}: ${listed.reason}` };
  if (listed.value.length === 0) return { ok: true, value: [] };
  const inspected = await dockerLines(runner, ["node", "inspect", "--format", "{{.Status.Addr}}", ...listed.value], { timeoutMs });
  if (!inspected.ok) return inspected;
  return { ok: true, value: inspected.value.filter((address) => address !== "0.0.0.0") };
}
var runningNodes = (stdout) => [
  ...new Set(
    stdout.split("\n").map((line) => line.split("	")).filter(([node, state]) => node && state?.startsWith("Running")).map(([node]) => node)
  )
].sort();
async function locateProxies(runner, model, endpoints, overridden, timeoutMs) {
  if (model.swarm.publishMode !== "host" || model.managers.length === 0) return { endpoints, notes: [] };
  const services = { etcd: model.etcd.proxy.name, s3: model.minio.proxy.name, console: model.minio.proxy.name };
  const located = { ...endpoints };
  const notes = [];
  const lookups = /* @__PURE__ */ new Map();
  for (const key of Object.keys(services)) {
    if (overridden.includes(key)) continue;
    const service = `${model.stack}_${services[key]}`;
    if (!lookups.has(service)) lookups.set(service, runningTaskAddresses(runner, service, timeoutMs));
    const addresses = await lookups.get(service);
    if (!addresses.ok) notes.push(`cannot ask swarm where ${service} runs (${addresses.error}): trying ${endpoints[key].host}`);
    else if (addresses.value.length === 0) notes.push(`${service} runs no task: trying ${endpoints[key].host}`);
    else located[key] = { ...endpoints[key], host: addresses.value.includes(endpoints[key].host) ? endpoints[key].host : addresses.value[0] };
  }
  return { endpoints: located, notes };
}

// generator/cluster/proxyAddresses.ts
function staleBackends(proxyStarts, backendTasks) {
  if (proxyStarts.length === 0) return [];
  const oldestLookup = Math.min(...proxyStarts);
  return [...new Set(backendTasks.filter((task) => task.createdAt > oldestLookup).map((task) => task.service))].sort();
}
async function runningTaskTimes(runner, stack, services, timeoutMs) {
  const names = services.map((service) => `${stack}_${service}`);
  const listed = await dockerValue(
    runner,
    ["service", "ps", "--no-trunc", "--filter", "desired-state=running", "--format", "{{.ID}} {{.Name}}", ...names],
    (stdout) => stdout.split("\n").filter((line) => line.trim() !== "").map((line) => {
      const [id, name] = line.trim().split(/\s+/);
      return { id, service: name.slice(0, name.lastIndexOf(".")).slice(stack.length + 1) };
    }),
    { timeoutMs }
  );
  if (!listed.ok) return listed;
  const tasks = listed.value;
  if (tasks.length === 0) return { ok: true, value: [] };
  const inspected = await dockerJson(runner, ["inspect", ...tasks.map((task) => task.id)], { timeoutMs });
  if (!inspected.ok) return { ...inspected, error: `docker inspect (tasks): ${inspected.reason}` };
  const details = new Map(inspected.value.map((detail) => [detail.ID, detail]));
  const times = tasks.flatMap((task) => {
    const detail = details.get(task.id);
    if (!detail) return [];
    return [
      {
        service: task.service,
        createdAt: Date.parse(detail.CreatedAt),
        runningSince: detail.Status.State === "running" ? Date.parse(detail.Status.Timestamp) : Number.NaN,
        containerId: detail.Status.ContainerStatus?.ContainerID ?? ""
      }
    ];
  });
  return { ok: true, value: times };
}
async function containerStarts(runner, tasks, timeoutMs) {
  return Promise.all(
    tasks.map(async (task) => {
      if (task.containerId === "") return task.createdAt;
      const inspected = await dockerValue(runner, ["container", "inspect", "--format", "{{.State.StartedAt}}", task.containerId], (stdout) => Date.parse(stdout.trim()), { timeoutMs });
      const started = inspected.ok ? inspected.value : Number.NaN;
      return Number.isNaN(started) ? task.createdAt : started;
    })
  );
}
async function minioProxyAddresses(runner, model, timeoutMs) {
  if (model.swarm.endpointMode !== "dnsrr") return { ok: true, value: { kind: "not-applicable" } };
  const proxy = model.minio.proxy.name;
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
  const times = await runningTaskTimes(runner, model.stack, [proxy, ...nodes], timeoutMs);
  if (!times.ok) return times;
  const proxyStarts = await containerStarts(runner, times.value.filter((task) => task.service === proxy), timeoutMs);
  const backendTasks = times.value.filter((task) => task.service !== proxy && !Number.isNaN(task.runningSince));
  const stale = staleBackends(proxyStarts, backendTasks);
  return { ok: true, value: stale.length > 0 ? { kind: "stale", proxy, stale } : { kind: "fresh", proxy, backends: backendTasks.length } };
}

export {
  staleProbes,
  sweptNote,
  HEALTH_PATH,
  regionOf,
  DeadlineError,
  withDeadline,
  Budget,
  httpGet,
  networkReason,
  later,
  timed,
  errorMessage,
  summarise,
  formatRowsText,
  summaryLine,
  checkMinio,
  readPolicy,
  locateProxies,
  minioProxyAddresses
};
