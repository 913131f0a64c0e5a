import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  dockerJson,
  dockerLines,
  dockerValue
} from "./chunk-UGJPAMOH.js";

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

// generator/cluster/minioAccess.ts
var HEALTH_PATH = "/minio/health/cluster";
function regionOf(model) {
  const environment = model.services.find((service) => service.role === "minio-node")?.environment ?? {};
  return environment.MINIO_SITE_REGION ?? environment.MINIO_REGION ?? "us-east-1";
}

export {
  minioProxyAddresses,
  DeadlineError,
  withDeadline,
  Budget,
  httpGet,
  networkReason,
  HEALTH_PATH,
  regionOf,
  locateProxies
};
