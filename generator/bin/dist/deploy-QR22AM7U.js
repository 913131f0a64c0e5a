import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  bucketFigures,
  etcdFigures,
  formatBytes
} from "./chunk-AV7SJ2F3.js";
import {
  compareTrees,
  contentHash,
  isStackFileConfigName,
  monitoringConfigName,
  readTree,
  renderSource
} from "./chunk-TL6JWHVR.js";
import {
  blocks,
  care,
  describeStep,
  planEnvironment,
  planEnvironmentSteps,
  quorum
} from "./chunk-5OOBUWUU.js";
import "./chunk-VGCQJTHM.js";
import "./chunk-BGKEIBXC.js";
import {
  buildDiff,
  compareShapes,
  readLiveStack,
  shapeFromInspect,
  shapesFromCompose
} from "./chunk-LFOPRDZN.js";
import {
  DeadlineError,
  HEALTH_PATH,
  MinioAdmin,
  MinioAdminError,
  failureBudgetLine,
  httpGet,
  locateProxies,
  minioProxyAddresses,
  readPolicy,
  regionOf
} from "./chunk-76DH6G6V.js";
import {
  cannedPolicyDocument,
  containerProblem,
  describeMeaning,
  dockerSwarm,
  endpointsFromModel,
  ensureRecoveryWindow,
  etcdctlArguments,
  etcdctlRun,
  formatHostPort,
  hostJobArgs,
  judgeEndpointStatus,
  makeRecoveryPoint,
  minioClient,
  parseEndpointFailures,
  parseEndpointStatus,
  parseMemberList,
  pointKeyFrom,
  policyMeaning,
  readRecoveryWindow,
  retriedNotes,
  runJob,
  runJobs,
  runOnStackNetwork,
  sameMeaning,
  stackNetworkContainer,
  storesOf,
  textTable
} from "./chunk-FVFIHRYI.js";
import "./chunk-L6EL3X6N.js";
import {
  nodeList,
  nodeOfHost,
  parseNodeList,
  secretNames,
  swarmInfo
} from "./chunk-PPBAKJUH.js";
import {
  PASSWORD_VARIABLE,
  USER_VARIABLE,
  VERIFY_PASSWORD_VARIABLE,
  VERIFY_USER_VARIABLE,
  dockerDo,
  dockerFailure,
  dockerFor,
  dockerJson,
  dockerLines,
  dockerValue,
  loadEnvironment,
  parseJsonLines,
  processDocker,
  readEnvFile,
  redact,
  rootCredentialsFrom,
  verifyUserCredentialsFrom
} from "./chunk-LB2O7ATV.js";
import {
  ROLE_LABEL,
  SPEC_LABEL,
  UPDATE_MONITOR_SECONDS
} from "./chunk-7RFT6GXS.js";
import {
  swarmConstraints
} from "./chunk-C6KIAFBQ.js";
import "./chunk-MQ2ZPAUY.js";
import {
  ALERTMANAGER_CONTAINER_PORT,
  MONITORING_CONFIG_FOLDER,
  MONITORING_FILES,
  NETWORK_ANCHOR,
  NGINX_CONFIG_KEY,
  PROMETHEUS_CONTAINER_PORT,
  RENDERED_DIR,
  assertEnvironmentName,
  assertRepositoryRoot,
  digestJobName,
  formatProblem,
  hashedConfigName,
  pinnedHost,
  prepareJobName,
  readFromDirectory,
  readTemplates,
  require_dist,
  validateTopology
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";
import {
  hostPathProblem
} from "./chunk-JODZXVQZ.js";
import {
  EXIT,
  RESOLVE_IMAGE,
  __toESM,
  isResolveImage
} from "./chunk-F2OZ5ZEY.js";

// generator/deploy/deploy.ts
import path11 from "node:path";

// generator/minio/initializing.ts
var NOT_INITIALIZED = /Server not initialized|XMinioServerNotInitialized/i;
var isStillInitializing = (text) => NOT_INITIALIZED.test(text);
var INITIALIZING_PATIENCE_MS = 6e4;
var POLL_MS = 1e3;
async function whileMinioInitializes(attempt, initializing, timeoutMs = INITIALIZING_PATIENCE_MS, pollMs = POLL_MS) {
  const started = performance.now();
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt();
    const waitedMs = Math.round(performance.now() - started);
    if (!initializing(outcome) || waitedMs + pollMs > timeoutMs) return { outcome, waitedMs: attempts === 1 ? 0 : waitedMs, attempts };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// generator/deploy/runner/contract.ts
var passed = (result = {}) => ({ ok: true, ...result });
var stopped = (problems, result = {}) => ({ ok: false, problems, ...result });

// generator/deploy/moves/stopPoints.ts
var resumeDeploy = (environment) => `npx milvus-swarm deploy --env ${environment}`;
var rollbackServices = (services) => services.length === 0 ? void 0 : services.map((service) => `docker service rollback ${service}`).join(" && ");
function stepStopped(context, problem, state, revert) {
  return stopped([problem], { stopped: { state, resume: resumeDeploy(context.environment), ...revert ? { revert } : {} } });
}

// generator/deploy/phases/buckets.ts
var LOCATE_MS = 5e3;
var alreadyOurs = (error) => error?.code === "BucketAlreadyOwnedByYou";
async function ensureBuckets(client, buckets2) {
  const changes = [];
  for (const { name, policy } of buckets2) {
    const found = await readPolicy(client, name);
    if (found === void 0) {
      await client.makeBucket(name).catch((error) => {
        if (!alreadyOurs(error)) throw error;
      });
      changes.push(`${name}: created`);
    }
    const meaning = policyMeaning(name, found ?? "");
    if (sameMeaning(meaning, policy)) continue;
    await client.setBucketPolicy(name, cannedPolicyDocument(name, policy));
    const after = policyMeaning(name, await readPolicy(client, name) ?? "");
    if (!sameMeaning(after, policy)) throw new Error(`${name}: set the policy to ${policy}, but MinIO now reports ${describeMeaning(after)}`);
    changes.push(found === void 0 || found.trim() === "" ? `${name}: policy set to ${policy}` : `${name}: policy was ${describeMeaning(meaning)} (changed outside the topology), set back to ${policy}`);
  }
  return changes;
}
var buckets = {
  name: "buckets",
  stage: "converge",
  async run(context) {
    const { model } = context;
    const wanted = model.minio.buckets;
    if (wanted.length === 0) return passed();
    const names = wanted.map((bucket) => bucket.name).join(", ");
    const root = context.options.minio?.root;
    if (!root) {
      return passed({ notes: [`buckets ${names} left as they are: ${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (deploy.yml sets them; --env-file FILE by hand); verify reports a missing bucket or another policy`] });
    }
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS);
    const client = minioClient(located.endpoints.s3, root);
    const changes = [];
    const { outcome, waitedMs } = await whileMinioInitializes(
      async () => {
        try {
          changes.push(...await ensureBuckets(client, wanted));
          return void 0;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
      (problem) => problem !== void 0 && isStillInitializing(problem)
    );
    const waited = waitedMs > 0 ? [`buckets: waited ${(waitedMs / 1e3).toFixed(1)} s for MinIO to finish initializing (it answered "Server not initialized")`] : [];
    if (outcome !== void 0) {
      return stopped([redact(`buckets (through ${formatHostPort(located.endpoints.s3)}): ${outcome}`, [root.secretKey])], {
        notes: [...located.notes, ...waited, ...changes.map((change) => `bucket ${change}`)],
        stopped: { state: `the stack converged; the buckets ${names} are not all what the topology says (verify names which)`, resume: resumeDeploy(context.environment) }
      });
    }
    return passed({ notes: [...located.notes, ...waited, ...changes.length > 0 ? changes.map((change) => `bucket ${change}`) : [`buckets ${names}: as the topology says`]] });
  }
};

// generator/deploy/operations/convergence.ts
var FAILED_UPDATE_STATES = {
  paused: "paused",
  rollback_started: "rolled-back",
  rollback_paused: "rolled-back",
  rollback_completed: "rolled-back"
};
var CLOCK_SLACK_MS = 5e3;
async function waitForConvergence(options) {
  const settleMs = options.settleMs ?? 5e3;
  const pollMs = options.pollMs ?? 1e3;
  const started = Date.now();
  const since = (options.since ?? new Date(started)).getTime() - CLOCK_SLACK_MS;
  const runner = options.runner ?? processDocker;
  const deadline = started + options.timeoutMs;
  let services = [];
  let lastError = "";
  for (; ; ) {
    const remaining = deadline - Date.now();
    const looked = await lookAtStack(runner, options.stack, since, settleMs, Math.max(1e3, Math.min(remaining, 2e4)));
    if (looked.ok) services = looked.value;
    lastError = looked.ok ? "" : looked.error;
    const elapsedMs = Date.now() - started;
    options.onProgress?.(services, elapsedMs);
    const failedUpdate = services.find((service) => service.updateState !== void 0 && FAILED_UPDATE_STATES[service.updateState]);
    if (failedUpdate) {
      const reason = FAILED_UPDATE_STATES[failedUpdate.updateState];
      const message = `${failedUpdate.name}: update ${failedUpdate.updateState}${failedUpdate.updateMessage ? `: ${failedUpdate.updateMessage}` : ""}`;
      return { ok: false, reason, message, elapsedMs, services, failures: await taskFailures(services, runner, since) };
    }
    if (lastError === "" && services.length > 0 && services.every(isConverged)) return { ok: true, elapsedMs, services };
    if (Date.now() + pollMs > deadline) {
      if (lastError === "" && services.length === 0) {
        return { ok: false, reason: "no-services", message: `stack ${options.stack} has no services`, elapsedMs, services, failures: [] };
      }
      const waiting = services.filter((service) => !isConverged(service));
      const message = lastError !== "" ? `not converged after ${Math.round(elapsedMs / 1e3)} s; the last look at the swarm failed: ${lastError}` : `not converged after ${Math.round(elapsedMs / 1e3)} s: ${waiting.map(describeService).join(", ")}`;
      return { ok: false, reason: "timeout", message, elapsedMs, services, failures: await taskFailures(waiting.length > 0 ? waiting : services, runner, since) };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
var isConverged = (service) => service.mode === "job" || // Global: swarm stops counting a node that is down in "desired" while its task still reports running (10/9 with
// one of ten engines stopped), so at least as many as desired.
(service.mode === "global" ? service.running >= service.desired && service.settled >= service.desired : service.running === service.desired && service.settled === service.desired) && (service.updateState === void 0 || service.updateState === "completed");
var describeService = (service) => `${service.name} ${service.running}/${service.desired} running${service.settled < service.running ? ` (${service.settled} settled)` : ""}${service.updateState && service.updateState !== "completed" ? `, update ${service.updateState}` : ""}`;
var stackServiceIds = (stack, timeoutMs, runner = processDocker) => dockerLines(runner, ["service", "ls", "--quiet", "--filter", `label=com.docker.stack.namespace=${stack}`], { timeoutMs });
async function lookAtStack(runner, stack, since, settleMs, timeoutMs) {
  const ids = await stackServiceIds(stack, timeoutMs, runner);
  if (!ids.ok) return ids;
  if (ids.value.length === 0) return { ok: true, value: [] };
  const [inspected, listed, taskIds] = await Promise.all([
    dockerJson(runner, ["service", "inspect", ...ids.value], { timeoutMs }),
    dockerLines(runner, ["service", "ls", "--format", "{{json .}}", "--filter", `label=com.docker.stack.namespace=${stack}`], { timeoutMs }),
    dockerLines(runner, ["service", "ps", "--quiet", "--no-trunc", "--filter", "desired-state=running", ...ids.value], { timeoutMs })
  ]);
  if (!inspected.ok) return inspected;
  if (!listed.ok) return listed;
  if (!taskIds.ok) return taskIds;
  const replicasById = new Map(parseJsonLines(listed.value.join("\n")).map((entry) => [entry.ID, entry.Replicas]));
  const tasks = taskIds.value.length > 0 ? await dockerJson(runner, ["inspect", ...taskIds.value], { timeoutMs }) : { ok: true, value: [] };
  if (!tasks.ok) return tasks;
  const now = Date.now();
  const states = inspected.value.map((service) => {
    const mode = service.Spec.Mode.Replicated ? "replicated" : service.Spec.Mode.Global ? "global" : "job";
    const desired = mode === "replicated" ? service.Spec.Mode.Replicated?.Replicas ?? 1 : (
      // Global: as many as swarm says (one per eligible node), from `service ls`'s "running/desired".
      Number((replicasById.get(service.ID.slice(0, 12)) ?? replicasById.get(service.ID) ?? "0/0").split("/")[1]?.replace(/\D.*$/, "") ?? 0)
    );
    const own = tasks.value.filter((task) => task.ServiceID === service.ID && task.DesiredState === "running" && task.Status.State === "running");
    const settled = own.filter((task) => now - Date.parse(task.Status.Timestamp) >= settleMs).length;
    const update = service.UpdateStatus;
    const recentUpdate = update?.State !== void 0 && (update.StartedAt === void 0 || Date.parse(update.StartedAt) >= since);
    return {
      name: service.Spec.Name,
      id: service.ID,
      image: (service.Spec.TaskTemplate.ContainerSpec?.Image ?? "").replace(/@sha256:[0-9a-f]+$/, ""),
      mode,
      desired,
      running: own.length,
      settled,
      ...recentUpdate ? { updateState: update.State, ...update.Message ? { updateMessage: update.Message } : {} } : {},
      constraints: service.Spec.TaskTemplate.Placement?.Constraints ?? []
    };
  }).sort((a, b) => a.name.localeCompare(b.name));
  return { ok: true, value: states };
}
async function taskFailures(services, runner = processDocker, since) {
  const failures = [];
  for (const service of services) {
    const listed = await dockerValue(runner, ["service", "ps", "--no-trunc", "--format", "{{json .}}", service.id], parseJsonLines, { timeoutMs: 15e3 });
    if (!listed.ok) {
      failures.push({ service: service.name, task: "", node: "", desiredState: "", currentState: "", error: `docker service ps failed: ${listed.reason}` });
      continue;
    }
    const withErrors = listed.value.filter((entry) => entry.Error.trim() !== "");
    const changedAt = since === void 0 ? /* @__PURE__ */ new Map() : await taskTimes(withErrors.map((entry) => entry.ID), runner);
    const entries = withErrors.filter((entry) => since === void 0 || !changedAt.has(entry.ID) || changedAt.get(entry.ID) >= since);
    for (const [index, entry] of entries.slice(0, 3).entries()) {
      const words = index === 0 ? await lastWords(entry.ID, runner) : "";
      failures.push({
        service: service.name,
        task: entry.ID,
        node: entry.Node,
        desiredState: entry.DesiredState,
        currentState: entry.CurrentState,
        error: `${unquote(entry.Error.trim())}${words ? `; its last lines: ${words}` : ""}`
      });
    }
  }
  return failures;
}
async function lastWords(task, runner) {
  const logs = await runner(["service", "logs", "--raw", "--no-task-ids", "--tail", "3", task], { timeoutMs: 1e4 });
  if (logs.code !== 0 || logs.timedOut) return "";
  return `${logs.stdout}
${logs.stderr}`.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => line.length > 300 ? `${line.slice(0, 300)}\u2026` : line).join(" | ");
}
async function taskTimes(ids, runner) {
  if (ids.length === 0) return /* @__PURE__ */ new Map();
  const result = await runner(["inspect", "--format", '{{.ID}} {{.Status.Timestamp.Format "2006-01-02T15:04:05.000Z07:00"}}', ...ids], { timeoutMs: 15e3 });
  const times = /* @__PURE__ */ new Map();
  for (const line of result.stdout.split("\n")) {
    const [id, at] = line.trim().split(" ");
    if (id && at && !Number.isNaN(Date.parse(at))) times.set(id, Date.parse(at));
  }
  return times;
}
function unquote(text) {
  if (!(text.startsWith('"') && text.endsWith('"'))) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(1, -1);
  }
}

// generator/deploy/operations/serviceRows.ts
var constraintsKey = (constraints) => [...constraints].sort().join(" && ");
function placementWords(placement) {
  switch (placement.kind) {
    case "host":
      return `host ${placement.host}`;
    case "managers":
      return "managers";
    case "any":
      return void 0;
  }
}
function placementNames(model) {
  const names = /* @__PURE__ */ new Map();
  for (const service of model.services) {
    const words = placementWords(service.placement);
    if (words !== void 0) names.set(constraintsKey(swarmConstraints(service.placement)), words);
  }
  return names;
}
function reportRows(services, placements = /* @__PURE__ */ new Map()) {
  return services.map((service) => ({
    service: service.name,
    image: service.image,
    replicas: service.mode === "job" ? "job" : `${service.running}/${service.desired}`,
    placement: service.mode === "global" && service.constraints.length === 0 ? "every node" : service.constraints.length === 0 ? "any node" : placements.get(constraintsKey(service.constraints)) ?? service.constraints.map((constraint) => constraint.replace(/\s*==\s*/g, "==")).join(", "),
    state: isConverged(service) ? "converged" : describeService(service).replace(`${service.name} `, "")
  }));
}

// generator/deploy/moves/stackWait.ts
function waitForStack(context, since, settleMs, onLook) {
  const { model, runner, log, progress } = context;
  return waitForConvergence({
    stack: model.stack,
    timeoutMs: model.swarm.deployTimeoutSeconds * 1e3,
    since,
    ...settleMs === void 0 ? {} : { settleMs },
    runner,
    onProgress: (services, elapsedMs) => {
      onLook?.(services);
      if (elapsedMs - progress.lastMs < 1e4) return;
      progress.lastMs = elapsedMs;
      log(`  ${Math.round(elapsedMs / 1e3)} s: ${services.map(describeService).join(", ")}`);
    }
  });
}
var rowsOf = (context, converged) => reportRows(converged.services, placementNames(context.model));
function convergeFailed(context, converged, state) {
  const { stack } = context.model;
  const failing = [...new Set(converged.failures.map((failure) => failure.service))].sort();
  return stopped(
    [
      `${stack} did not converge: ${converged.message} \u2014 ${convergeNextStep(stack, converged)}`,
      ...converged.failures.map((failure) => `${failure.service} task ${failure.task.slice(0, 12)} on ${failure.node || "?"}: ${failure.error}`)
    ],
    {
      rows: rowsOf(context, converged),
      failures: converged.failures,
      stopped: { state, resume: resumeDeploy(context.environment), ...failing.length > 0 ? { revert: rollbackServices(failing) } : {} }
    }
  );
}
function convergeNextStep(stack, converged) {
  const failing = [...new Set(converged.failures.map((failure) => failure.service))].sort();
  const look = failing.length > 0 ? `the task errors follow; \`docker service logs --tail 50 ${failing[0]}\`${failing.length > 1 ? ` (and ${failing.slice(1).join(", ")})` : ""} shows why` : `\`docker stack ps --no-trunc ${stack}\` shows the tasks`;
  return `${look}; fix the topology or the image and deploy again (a rolled-back service keeps running its previous spec)`;
}

// generator/deploy/phases/converge.ts
var converge = {
  name: "converge",
  stage: "converge",
  async run(context) {
    const converged = await waitForStack(context, context.stackDeployedAt ?? /* @__PURE__ */ new Date());
    if (!converged.ok) return convergeFailed(context, converged, `the rendered stack file is deployed, but not every service runs it: ${converged.message}`);
    return passed({ rows: rowsOf(context, converged) });
  }
};

// generator/cluster/etcdctlProbe.ts
import { randomBytes } from "node:crypto";
var START_MS = 3e4;
var REMOVE_MS = 15e3;
var PROBE_GONE = /^(Error response from daemon: .*(No such container|is not running|is paused|is restarting)|Error: No such container)/im;
function probeRunArgs(target, name) {
  const here = "http://127.0.0.1";
  return [
    "run",
    "--detach",
    ...stackNetworkContainer(target, name, "etcd"),
    `--name=${name}`,
    "--data-dir=/tmp/milvus-swarm-etcdctl",
    `--listen-client-urls=${here}:32379`,
    `--advertise-client-urls=${here}:32379`,
    `--listen-peer-urls=${here}:32380`,
    `--initial-advertise-peer-urls=${here}:32380`,
    `--initial-cluster=${name}=${here}:32380`,
    "--log-level=error"
  ];
}
function probeExecArgs(name, endpoints, command) {
  return ["exec", name, "etcdctl", ...etcdctlArguments(endpoints, command)];
}
function oneOffCalls(runner, target, prefix) {
  return (endpoints, command, timeoutMs) => runOnStackNetwork(runner, { network: target.network, args: etcdctlRun(target, `${prefix}-${randomBytes(4).toString("hex")}`, endpoints, command).args, timeoutMs: () => timeoutMs });
}
function etcdctlProbe(runner, target, prefix = "milvus-swarm-step") {
  const oneOff = oneOffCalls(runner, target, prefix);
  const name = `${prefix}-probe-${randomBytes(4).toString("hex")}`;
  let started;
  let usable = true;
  let created = false;
  const start = async (timeoutMs) => {
    created = true;
    const run = await runOnStackNetwork(runner, { network: target.network, args: probeRunArgs(target, name), timeoutMs: () => Math.min(START_MS, timeoutMs) });
    if (run.code === 0 && !run.timedOut) return true;
    await runner(["rm", "--force", name], { timeoutMs: REMOVE_MS }).catch(() => void 0);
    return false;
  };
  return {
    async call(endpoints, command, timeoutMs) {
      if (usable) {
        started ??= start(timeoutMs);
        if (await started) {
          const result = await runner(probeExecArgs(name, endpoints, command), { timeoutMs });
          if (result.code === 0 || !PROBE_GONE.test(result.stderr)) return { ...result, tries: 1 };
        }
        usable = false;
      }
      return oneOff(endpoints, command, timeoutMs);
    },
    async close() {
      usable = false;
      if (started) await started.catch(() => false);
      if (created) await runner(["rm", "--force", name], { timeoutMs: REMOVE_MS }).catch(() => void 0);
    }
  };
}

// generator/cluster/etcdCluster.ts
var CALL_MS = 3e4;
function etcdCluster(runner, model, call) {
  const endpoint = (member) => `${member}:${model.etcd.clientPort}`;
  const run = call ?? oneOffCalls(runner, etcdTarget(model), "milvus-swarm-step");
  const etcdctl = async (members, args) => {
    const result = await run(members.map(endpoint), args, CALL_MS);
    if (result.timedOut) return { ok: false, reason: `etcdctl ${args.slice(0, 2).join(" ")}: no answer within ${CALL_MS / 1e3} s`, stdout: result.stdout, stderr: result.stderr };
    const notRun = containerProblem(result.code, result.stderr);
    if (result.code !== 0) return { ok: false, reason: `etcdctl ${args.slice(0, 2).join(" ")}: ${notRun ?? (lastLine(result.stderr) || dockerFailure(result))}`, stdout: result.stdout, stderr: result.stderr };
    return { ok: true, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    etcdctl,
    endpoint,
    async members(askMembers) {
      const listed = await etcdctl(askMembers, ["member", "list"]);
      if (!listed.ok) return listed;
      try {
        return { ok: true, value: parseMemberList(listed.stdout) };
      } catch (error) {
        return { ok: false, reason: `etcdctl member list: unreadable output (${error instanceof Error ? error.message : String(error)})` };
      }
    },
    async statuses(askMembers) {
      const status = await etcdctl(askMembers, ["endpoint", "status"]);
      try {
        return parseEndpointStatus(status.stdout);
      } catch {
        return [];
      }
    }
  };
}
function lastLine(stderr) {
  const said = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const last = said.at(-1) ?? "";
  if (!last.startsWith("{")) return last;
  try {
    const entry = JSON.parse(last);
    return [entry.msg, entry.error].filter(Boolean).join(": ");
  } catch {
    return last;
  }
}
var etcdTarget = (model) => ({ network: model.network.name, image: model.etcd.image, stack: model.stack });
var hexId = (decimal) => BigInt(decimal).toString(16);
var byPeerUrl = (members, peerUrl) => members.find((member) => member.peerUrls.includes(peerUrl));
function leaderOf(statuses) {
  const leaders = new Set(statuses.map((status) => status.leader).filter((leader2) => leader2 !== "" && leader2 !== "0"));
  if (leaders.size !== 1) return void 0;
  const [leader] = leaders;
  return statuses.find((status) => status.memberId === leader);
}

// generator/deploy/operations/failureBudget.ts
var LOCATE_MS2 = 5e3;
async function readFailureBudget(runner, model, root, call) {
  const located = await locateProxies(runner, model, endpointsFromModel(model), [], LOCATE_MS2);
  return failureBudgetLine(model, etcdCluster(runner, model, call), located.endpoints.s3, root);
}

// generator/deploy/phases/failureBudgetAfter.ts
var failureBudgetAfter = {
  name: "failure budget after",
  stage: "converge",
  async run(context) {
    return passed({ failureBudget: { after: await readFailureBudget(context.runner, context.model, context.options.minio?.root, context.etcdctl) } });
  }
};

// generator/deploy/phases/failureBudgetBefore.ts
var failureBudgetBefore = {
  name: "failure budget before",
  stage: "preflight",
  async run(context) {
    const running = context.live?.services.some((service) => service.state !== "missing") ?? false;
    if (!running) return passed({ failureBudget: { before: "none: the stack does not run yet" } });
    return passed({ failureBudget: { before: await readFailureBudget(context.runner, context.model, context.options.minio?.root, context.etcdctl) } });
  }
};

// generator/deploy/phases/minioNodesFirst.ts
import { readFile } from "node:fs/promises";

// generator/deploy/moves/minioApart.ts
import path3 from "node:path";

// generator/deploy/operations/deployStackFile.ts
import path from "node:path";
function stackDeployArgs(options) {
  return [
    "stack",
    "deploy",
    "--compose-file",
    options.composeFile,
    "--with-registry-auth",
    "--detach=true",
    ...options.resolveImage ? ["--resolve-image", options.resolveImage] : [],
    options.stack
  ];
}
async function deployStack(options) {
  const composeFile = path.resolve(options.composeFile);
  const args = stackDeployArgs({ ...options, composeFile });
  const result = await (options.runner ?? processDocker)(args, { timeoutMs: options.timeoutMs, cwd: path.dirname(composeFile) });
  if (result.code === 0) return { ok: true, args, result };
  const error = result.timedOut ? `docker stack deploy ${options.stack} did not return within ${Math.round(options.timeoutMs / 1e3)} s` : `docker stack deploy ${options.stack} exited ${result.code}: ${dockerFailure(result)}`;
  return { ok: false, args, result, error };
}

// generator/deploy/operations/stackFiles.ts
var import_yaml = __toESM(require_dist(), 1);
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path2 from "node:path";
function renderedMembers(stackText) {
  const compose = (0, import_yaml.parse)(stackText);
  return Object.entries(compose.services).filter(([, service]) => service.deploy?.labels?.[ROLE_LABEL] === "etcd-member").map(([name, service]) => ({ name, spec: service.deploy?.labels?.[SPEC_LABEL] ?? "" }));
}
function stackWithout(stackText, heldBack, renderedDir) {
  const compose = (0, import_yaml.parse)(stackText);
  for (const name of heldBack) delete compose.services[name];
  for (const config of Object.values(compose.configs ?? {})) {
    if (config.file) config.file = path2.resolve(renderedDir, config.file);
  }
  return (0, import_yaml.stringify)(compose, { lineWidth: 0 });
}
function renderedSpecs(stackText, services) {
  const compose = (0, import_yaml.parse)(stackText);
  return new Map(services.map((service) => [service, compose.services[service]?.deploy?.labels?.[SPEC_LABEL]]));
}
function togetherUpdate(stackText, nodes) {
  const compose = (0, import_yaml.parse)(stackText);
  for (const node of nodes) {
    const service = compose.services[node];
    if (!service) continue;
    service.deploy = { ...service.deploy, update_config: { ...service.deploy?.update_config, failure_action: "continue" } };
  }
  return (0, import_yaml.stringify)(compose, { lineWidth: 0 });
}
async function writeStepFile(text) {
  const folder = await mkdtemp(path2.join(tmpdir(), "milvus-swarm-step-"));
  const file = path2.join(folder, "stack.yaml");
  await writeFile(file, text);
  return { file, remove: () => rm(folder, { recursive: true, force: true }) };
}

// generator/deploy/moves/stackDeploys.ts
var STACK_DEPLOY_TIMEOUT_MS = 12e4;
var stackDeployOptions = (context) => ({
  stack: context.model.stack,
  timeoutMs: context.options.stackDeployTimeoutMs ?? STACK_DEPLOY_TIMEOUT_MS,
  resolveImage: context.options.resolveImage ?? context.model.swarm.resolveImage,
  runner: context.runner
});

// generator/deploy/moves/minioApart.ts
async function deployMinioApart(context, stackText, heldBack, nodes, state, settleMs) {
  const since = /* @__PURE__ */ new Date();
  const file = await writeStepFile(togetherUpdate(stackWithout(stackText, heldBack, path3.dirname(context.composeFile)), nodes));
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    if (!deployed.ok) return stopped([deployed.error ?? "docker stack deploy failed"], { stopped: { state, resume: resumeDeploy(context.environment) } });
    const converged = await waitForStack(context, since, settleMs);
    return converged.ok ? void 0 : convergeFailed(context, converged, state);
  } finally {
    await file.remove();
  }
}

// generator/deploy/operations/runningSpecs.ts
async function runningSpecs(runner, stack, timeoutMs) {
  const ids = await stackServiceIds(stack, timeoutMs, runner);
  if (!ids.ok) return ids;
  if (ids.value.length === 0) return { ok: true, value: /* @__PURE__ */ new Map() };
  return dockerValue(runner, ["service", "inspect", "--format", `{{.Spec.Name}} {{index .Spec.Labels "${SPEC_LABEL}"}}`, ...ids.value], (stdout) => parseSpecs(stack, stdout), { timeoutMs });
}
function parseSpecs(stack, stdout) {
  const specs = /* @__PURE__ */ new Map();
  for (const line of stdout.split("\n")) {
    const [name, ...rest] = line.trim().split(" ");
    const spec = rest.join(" ");
    if (name?.startsWith(`${stack}_`)) specs.set(name.slice(stack.length + 1), /^[0-9a-f]+$/.test(spec) ? spec : void 0);
  }
  return specs;
}

// generator/deploy/operations/proxyRestart.ts
async function refreshStaleProxy(runner, model, timeoutMs) {
  const looked = await minioProxyAddresses(runner, model, 2e4);
  if (!looked.ok) return { notes: [`could not check whether ${model.minio.proxy.name} has the MinIO nodes' current addresses: ${looked.error}`] };
  const addresses = looked.value;
  if (addresses.kind !== "stale") return { notes: [] };
  const service = `${model.stack}_${addresses.proxy}`;
  const since = /* @__PURE__ */ new Date();
  const updated = await dockerDo(runner, ["service", "update", "--force", "--detach", "--quiet", service], { timeoutMs: 6e4 });
  if (!updated.ok) {
    return {
      notes: [],
      problem: `${addresses.stale.join(", ")} started after ${addresses.proxy} looked up the MinIO names (dnsrr), and restarting it failed: ${updated.reason}: run \`docker service update --force ${service}\``
    };
  }
  const converged = await waitForConvergence({ stack: model.stack, timeoutMs, since, runner });
  return {
    notes: [`restarted ${addresses.proxy}: ${addresses.stale.join(", ")} started after it looked up the MinIO names (dnsrr: nginx had their old addresses)`],
    converged
  };
}

// generator/deploy/phases/minioNodesFirst.ts
var import_yaml2 = __toESM(require_dist(), 1);
var NODES_SETTLE_MS = 3e3;
var minioNodesFirst = {
  name: "minio nodes before their load balancer",
  stage: "deploy",
  async run(context) {
    const { model, runner } = context;
    const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
    const proxy = model.minio.proxy.name;
    const stackText = await readFile(context.composeFile, "utf8");
    const running = await runningSpecs(runner, model.stack, 2e4);
    if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
    const wanted = renderedSpecs(stackText, nodes);
    const restarting2 = nodes.filter((node) => !running.value.has(node) || running.value.get(node) !== wanted.get(node));
    if (restarting2.length === 0) return passed();
    if (running.value.size === 0 && model.swarm.endpointMode === "dnsrr") return nodesBeforeNewProxy(context, stackText, nodes, restarting2);
    if (!running.value.has(proxy)) return passed();
    const anchored = await anchorFirst(context, stackText, running.value, restarting2);
    if (!anchored.ok) return anchored.failed;
    const started = performance.now();
    const heldBack = [proxy, NETWORK_ANCHOR, ...renderedMembers(stackText).map((member) => member.name)];
    const state = `MinIO nodes ${restarting2.join(", ")} may be restarting on their rendered spec; the load balancer still runs its previous config`;
    const failed = await deployMinioApart(context, stackText, heldBack, nodes, state, NODES_SETTLE_MS);
    if (failed) return { ...failed, notes: [...anchored.notes, ...failed.notes ?? []] };
    const notes = [...anchored.notes, `MinIO nodes ${restarting2.join(", ")} (re)started together before the load balancer's new config (${((performance.now() - started) / 1e3).toFixed(1)} s)`];
    const proxyChanges = running.value.get(proxy) !== renderedSpecs(stackText, [proxy]).get(proxy) || await nginxConfigChanges(runner, `${model.stack}_${proxy}`, stackText);
    if (proxyChanges) return passed({ notes: [...notes, `${proxy} restarts on its new spec with the stack deploy, next`] });
    const refreshed = await refreshStaleProxy(runner, model, model.swarm.deployTimeoutSeconds * 1e3);
    if (refreshed.problem) return stopped([refreshed.problem], { notes: [...notes, ...refreshed.notes], stopped: { state: `MinIO nodes ${restarting2.join(", ")} restarted; ${proxy} still has their old addresses`, resume: resumeDeploy(context.environment) } });
    if (refreshed.converged && !refreshed.converged.ok) return { ...convergeFailed(context, refreshed.converged, `MinIO nodes ${restarting2.join(", ")} restarted, then ${proxy} was restarted and did not converge`), notes: [...notes, ...refreshed.notes] };
    return passed({ notes: [...notes, ...refreshed.notes.map((note) => `${note} (${((performance.now() - started) / 1e3).toFixed(1)} s after the nodes' restart began)`)] });
  }
};
async function nodesBeforeNewProxy(context, stackText, nodes, starting) {
  const proxy = context.model.minio.proxy.name;
  const started = performance.now();
  const state = `this first deploy's services but ${proxy} may be starting (the MinIO nodes ${starting.join(", ")} go before it); ${proxy} is not deployed yet`;
  const failed = await deployMinioApart(context, stackText, [proxy], nodes, state, NODES_SETTLE_MS);
  if (failed) return failed;
  return passed({ notes: [`MinIO nodes ${starting.join(", ")} started before ${proxy}, which finds them in swarm's DNS when it starts (${((performance.now() - started) / 1e3).toFixed(1)} s)`] });
}
async function anchorFirst(context, stackText, running, restarting2) {
  const wanted = renderedSpecs(stackText, [NETWORK_ANCHOR]).get(NETWORK_ANCHOR);
  if (wanted === void 0 || running.get(NETWORK_ANCHOR) === wanted) return { ok: true, notes: [] };
  const started = performance.now();
  const others = Object.keys((0, import_yaml2.parse)(stackText).services).filter((name) => name !== NETWORK_ANCHOR);
  const state = `the network anchor may be starting on every node; MinIO nodes ${restarting2.join(", ")} have not restarted yet`;
  const failed = await deployMinioApart(context, stackText, others, [], state, NODES_SETTLE_MS);
  if (failed) return { ok: false, failed };
  return { ok: true, notes: [`${NETWORK_ANCHOR} runs on every node before the MinIO nodes restart (${((performance.now() - started) / 1e3).toFixed(1)} s)`] };
}
async function nginxConfigChanges(runner, service, stackText) {
  const rendered = (0, import_yaml2.parse)(stackText).configs?.[NGINX_CONFIG_KEY]?.name;
  const running = await dockerLines(runner, ["service", "inspect", "--format", "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{println .ConfigName}}{{end}}", service], { timeoutMs: 2e4 });
  return !running.ok || rendered === void 0 || !running.value.includes(rendered);
}

// generator/deploy/phases/monitoringFiles.ts
import { readFile as readFile2 } from "node:fs/promises";
import path5 from "node:path";

// generator/deploy/operations/monitoringFiles.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// generator/deploy/operations/hostDirectories.ts
import path4 from "node:path";
var PREPARE_LABEL = "io.milvus-swarm.prepare";
var MOUNT_TARGET = "/milvus-swarm-host";
function commonParent(paths) {
  const split = paths.map((entry) => path4.posix.dirname(entry).split("/").filter(Boolean));
  const first = split[0] ?? [];
  let depth = 0;
  while (depth < first.length && split.every((parts) => parts[depth] === first[depth])) depth++;
  return `/${first.slice(0, depth).join("/")}`;
}
function prepareJobs(model, runId) {
  const modes = new Map(model.hostPreparation.flatMap((preparation) => preparation.directories.map((directory) => [directory.path, directory.mode])));
  const groups = /* @__PURE__ */ new Map();
  for (const service of model.services.filter((candidate) => candidate.stateful)) {
    for (const mount of service.mounts) {
      const mode = modes.get(mount.source) ?? "0755";
      const constraints = swarmConstraints(service.placement);
      const key = JSON.stringify([constraints, mode]);
      const group = groups.get(key) ?? { host: pinnedHost(service.placement), constraints, image: model.swarm.helperImage, mode, directories: [] };
      if (!group.directories.includes(mount.source)) group.directories.push(mount.source);
      groups.set(key, group);
    }
  }
  const problems = [];
  const jobs = [];
  [...groups.values()].forEach((group, index) => {
    const parent = commonParent(group.directories);
    const where = group.host ?? "any node";
    const unsafe = [parent, ...group.directories].map((directory) => [directory, hostPathProblem(directory)]).find(([, problem]) => problem);
    if (unsafe) {
      problems.push(`${where}: ${JSON.stringify(unsafe[0])}: ${unsafe[1]}`);
      return;
    }
    if (parent === "/") {
      problems.push(`${where}: ${group.directories.join(", ")} share no parent below /: deploy will not bind-mount the root; give them a common data directory in ${model.source}`);
      return;
    }
    const name = prepareJobName(model.stack, runId, index + 1);
    const inside = group.directories.map((directory) => path4.posix.join(MOUNT_TARGET, path4.posix.relative(parent, directory)));
    jobs.push({
      ...group,
      name,
      parent,
      args: [
        ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: group.constraints, registryAuth: true, resolveImage: model.swarm.resolveImage }),
        "--mount",
        `type=bind,source=${parent},target=${MOUNT_TARGET}`,
        "--entrypoint",
        "mkdir",
        group.image,
        "-p",
        "-m",
        group.mode,
        ...inside
      ]
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, jobs };
}
function explainJobFailure(job, error) {
  const where = job.host ?? "any node";
  if (/bind source path does not exist|invalid mount config/i.test(error)) {
    return `${where}: ${job.parent} does not exist: mount the data volume there (or create it), then deploy again (${error})`;
  }
  if (/executable file not found|no such file or directory.*mkdir|"mkdir"/i.test(error)) {
    return `${where}: helper image ${job.image} has no mkdir: set swarm.helperImage to a busybox image (busybox:1.36.1), or run rendered/<env>/prepare-hosts.sh on the host (${error})`;
  }
  if (/No such image|pull access denied|manifest unknown/i.test(error)) return `${where}: image ${job.image} cannot be pulled on that node (${error})`;
  return `${where}: creating ${job.directories.join(", ")} failed: ${error}`;
}
async function runPrepareJobs(runner, jobs, timeoutMs, pollMs = 1e3) {
  const problems = [];
  const done = [];
  const notes = [];
  const runs = await runJobs(runner, jobs, timeoutMs, pollMs);
  for (const job of jobs) {
    const run = runs.get(job.name);
    const where = job.host ?? "any node";
    notes.push(...retriedNotes(`${where}: host preparation`, run));
    if (run.state.kind === "complete") done.push(`${where}: ${job.directories.length} directories under ${job.parent} (mode ${job.mode})`);
    else if (run.timedOut) problems.push(`${where}: host preparation did not finish within ${Math.round(timeoutMs / 1e3)} s (pulling ${job.image}?): see \`docker service ps ${job.name}\``);
    else if (run.state.kind === "failed") problems.push(explainJobFailure(job, run.state.error));
  }
  return { problems, done, notes };
}
async function removeLeftoverJobs(runner, stack) {
  const listed = await dockerLines(runner, ["service", "ls", "--quiet", "--filter", `label=${PREPARE_LABEL}=${stack}`], { timeoutMs: 15e3 });
  if (listed.ok && listed.value.length > 0) await dockerDo(runner, ["service", "rm", ...listed.value], { timeoutMs: 3e4 });
}

// generator/deploy/operations/monitoringFiles.ts
var FILES_TARGET = "/milvus-swarm-files";
var DATA_TARGET = "/milvus-swarm-data";
var JOB_TIMEOUT_MS = 12e4;
var RELOAD_TRIES = 30;
var CONFIG_KIND = { "prometheus.yml": "prom_conf", "alerts.yml": "prom_rules", "alertmanager.yml": "am_conf" };
var PORT = { prometheus: PROMETHEUS_CONTAINER_PORT, alertmanager: ALERTMANAGER_CONTAINER_PORT };
function monitoringServicesOf(model) {
  return Object.keys(MONITORING_FILES).flatMap((name) => {
    const service = model.services.find((candidate) => candidate.role === name);
    const dataDir = service?.mounts[0]?.source;
    return service && dataDir ? [{ name, service, dataDir, files: MONITORING_FILES[name] }] : [];
  });
}
function writeScript(files) {
  const config = `${DATA_TARGET}/${MONITORING_CONFIG_FOLDER}`;
  const lines = [`set -e`, `mkdir -p ${config}`];
  for (const file of files) {
    lines.push(`if ! cmp -s ${FILES_TARGET}/${file} ${config}/${file}; then cp ${FILES_TARGET}/${file} ${config}/.${file}.new && mv -f ${config}/.${file}.new ${config}/${file} && echo "changed ${file}"; fi`);
  }
  return lines.join("\n");
}
async function writeMonitoringFiles(runner, model, texts) {
  const targets = monitoringServicesOf(model);
  const missing = [...new Set(targets.flatMap((target) => target.files))].filter((file) => !texts.has(file));
  if (missing.length > 0) return { ok: false, written: [], problem: `rendered/${model.environment}/monitoring/ lacks ${missing.join(", ")}: run npx milvus-swarm render` };
  const results = await Promise.all(targets.map((target) => writeServiceFiles(runner, model, target, texts)));
  const written = results.flatMap((result) => "changed" in result ? [result] : []);
  const problem = results.find((result) => "problem" in result);
  return problem ? { ok: false, written, problem: problem.problem } : { ok: true, written };
}
async function writeServiceFiles(runner, model, target, texts) {
  const host = pinnedHost(target.service.placement) ?? "any node";
  const configs = target.files.map((file) => ({ file, name: monitoringConfigName(model.stack, CONFIG_KIND[file], texts.get(file) ?? "") }));
  for (const config of configs) {
    const created = await dockerDo(runner, ["config", "create", "--label", `com.docker.stack.namespace=${model.stack}`, config.name, "-"], { timeoutMs: 3e4, input: texts.get(config.file) ?? "" });
    if (!created.ok && !/already exists/i.test(created.reason)) return { problem: `swarm config ${config.name}: ${created.reason}` };
  }
  const name = `${model.stack}-monitoring-files-${randomBytes2(4).toString("hex")}`;
  const args = [
    ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: swarmConstraints(target.service.placement), registryAuth: true, resolveImage: model.swarm.resolveImage }),
    ...configs.flatMap((config) => ["--config", `source=${config.name},target=${FILES_TARGET}/${config.file},mode=0444`]),
    "--mount",
    `type=bind,source=${target.dataDir},target=${DATA_TARGET}`,
    "--entrypoint",
    "sh",
    model.swarm.helperImage,
    "-c",
    writeScript(target.files)
  ];
  const run = await runJob(runner, name, args, JOB_TIMEOUT_MS);
  await dockerDo(runner, ["config", "rm", ...configs.map((config) => config.name)], { timeoutMs: 3e4 });
  if (run.state.kind !== "complete") {
    return { problem: `${target.name}'s files on ${host} (${target.dataDir}/${MONITORING_CONFIG_FOLDER}): the job failed: ${run.state.kind === "failed" ? run.state.error : "no end"} (is ${target.dataDir} there? host preparation makes it)` };
  }
  return { service: target.name, host, changed: [...run.output.matchAll(/^changed (\S+)$/gm)].map((match) => match[1]) };
}
function reloadScript(service) {
  const url = `http://${service}:${PORT[service]}/-/reload`;
  return [
    `i=0`,
    `while [ $i -lt ${RELOAD_TRIES} ]; do`,
    `  if out=$(wget -q -O - --post-data= ${url} 2>&1); then echo "reloaded ${service}"; exit 0; fi`,
    `  i=$((i + 1)); sleep 2`,
    `done`,
    // Exit 0 on purpose: the job's output (read only on completion) carries the reason.
    `echo "reload failed: $out"`
  ].join("\n");
}
async function reloadMonitoringService(runner, model, service) {
  const name = `${model.stack}-monitoring-reload-${randomBytes2(4).toString("hex")}`;
  const args = [
    ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: [], registryAuth: true, resolveImage: model.swarm.resolveImage }),
    "--network",
    model.network.name,
    "--entrypoint",
    "sh",
    model.swarm.helperImage,
    "-c",
    reloadScript(service)
  ];
  const run = await runJob(runner, name, args, JOB_TIMEOUT_MS);
  if (run.state.kind !== "complete") return { ok: false, problem: `the reload job failed: ${run.state.kind === "failed" ? run.state.error : "no end"}` };
  if (new RegExp(`^reloaded ${service}$`, "m").test(run.output)) return { ok: true };
  const said = /^reload failed: (.*)$/m.exec(run.output)?.[1]?.trim() || "no answer";
  return { ok: false, problem: `POST /-/reload was refused ${RELOAD_TRIES} times: ${said}` };
}

// generator/deploy/phases/monitoringFiles.ts
var monitoringFiles = {
  name: "monitoring files",
  stage: "prepare",
  async run(context) {
    const services = monitoringServicesOf(context.model);
    if (services.length === 0) return passed();
    const folder = path5.join(context.options.root, RENDERED_DIR, context.environment, "monitoring");
    const files = [...new Set(services.flatMap((service) => service.files))];
    const texts = new Map(await Promise.all(files.map(async (file) => [file, await readFile2(path5.join(folder, file), "utf8").catch(() => void 0)])));
    const present = new Map([...texts].filter((entry) => entry[1] !== void 0));
    const result = await writeMonitoringFiles(context.runner, context.model, present);
    const notes = result.written.map((entry) => `${entry.service}'s files on ${entry.host}: ${entry.changed.length > 0 ? `${entry.changed.join(", ")} written` : "as rendered"}`);
    context.monitoringFilesChanged = result.written.filter((entry) => entry.changed.length > 0).map((entry) => entry.service);
    if (!result.ok) {
      return stopped([result.problem], {
        notes,
        stopped: { state: "no service changed; the monitoring files listed as written are in their data dirs, not yet reloaded", resume: resumeDeploy(context.environment) }
      });
    }
    return passed({ notes });
  }
};

// generator/deploy/phases/monitoringReload.ts
var monitoringReload = {
  name: "monitoring reload",
  stage: "converge",
  async run(context) {
    const changed = context.monitoringFilesChanged ?? [];
    const results = await Promise.all(changed.map(async (service) => ({ service, reloaded: await reloadMonitoringService(context.runner, context.model, service) })));
    const notes = results.filter((result) => result.reloaded.ok).map((result) => `${result.service} reloaded its files (no restart)`);
    const refused = results.find((result) => !result.reloaded.ok);
    if (refused && !refused.reloaded.ok) {
      const { service } = refused;
      return stopped([`${service} did not reload its new files: ${refused.reloaded.problem} \u2014 it keeps running the previous ones; read \`docker service logs ${context.model.stack}_${service} --since 10m\``], {
        notes,
        stopped: { state: `the stack converged; ${service}'s new files are in its data dir but not loaded`, resume: resumeDeploy(context.environment) }
      });
    }
    return passed({ notes });
  }
};

// generator/deploy/operations/minioReadiness.ts
var CALL_MS2 = 3e3;
var POLL_MS2 = 1e3;
async function waitUntilMinioServes(endpoints, timeoutMs, now = () => performance.now()) {
  const started = now();
  const s3 = `http://${formatHostPort(endpoints.s3)}${HEALTH_PATH}`;
  const console = `http://${formatHostPort(endpoints.console)}/`;
  const last = { s3: "not asked", console: "not asked" };
  for (; ; ) {
    const [s3Answer, consoleAnswer] = await Promise.all([answerOf(s3), answerOf(console)]);
    last.s3 = `${s3}: ${s3Answer.text}`;
    last.console = `${console}: ${consoleAnswer.text}`;
    if (s3Answer.status === 200 && consoleAnswer.status !== void 0 && consoleAnswer.status < 400) return { ok: true, ms: Math.round(now() - started), last };
    if (now() - started + POLL_MS2 > timeoutMs) return { ok: false, ms: Math.round(now() - started), last };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS2));
  }
}
async function answerOf(url) {
  try {
    const answer = await httpGet(url, CALL_MS2);
    return { status: answer.status, text: String(answer.status) };
  } catch (error) {
    return { text: error instanceof Error ? error.message.replace(`GET ${url}: `, "") : String(error) };
  }
}

// generator/deploy/phases/minioServing.ts
var SERVING_TIMEOUT_MS = 12e4;
var minioServing = {
  name: "minio serving",
  stage: "converge",
  async run(context) {
    const { model } = context;
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], 5e3);
    const served = await waitUntilMinioServes(located.endpoints, context.options.servingTimeoutMs ?? SERVING_TIMEOUT_MS);
    if (!served.ok) {
      return stopped(
        [
          `MinIO does not serve through ${model.minio.proxy.name} ${Math.round(served.ms / 1e3)} s after the stack converged: ${served.last.s3}; ${served.last.console} \u2014 read \`docker service logs ${model.stack}_${model.minio.pools[0]?.nodes[0]?.name ?? "minio1"}\` (peers it cannot reach, drives it cannot use)`
        ],
        { notes: located.notes, stopped: { state: "the stack converged; MinIO did not serve through its load balancer", resume: resumeDeploy(context.environment) } }
      );
    }
    return passed({ notes: [...located.notes, `MinIO serves through ${model.minio.proxy.name} (S3 with write quorum, console) ${(served.ms / 1e3).toFixed(1)} s after convergence`] });
  }
};

// generator/deploy/operations/orphanServices.ts
function orphans(stack, labelled2, model) {
  const rendered = new Set(model.services.map((service) => `${stack}_${service.name}`));
  return labelled2.filter((name) => name.startsWith(`${stack}_`) && !rendered.has(name)).sort();
}
async function removeOrphans(runner, model, guard, keep = /* @__PURE__ */ new Set()) {
  const listed = await dockerLines(runner, ["service", "ls", "--filter", `label=com.docker.stack.namespace=${model.stack}`, "--filter", `label=${ROLE_LABEL}`, "--format", "{{.Name}}"]);
  if (!listed.ok) return { removed: [], problems: [`could not list the stack's services: ${listed.reason}: run deploy on a manager`] };
  const names = orphans(model.stack, listed.value, model).filter((name) => !keep.has(name));
  if (names.length === 0) return { removed: [], problems: [] };
  const refused = guard ? await guard(names) : [];
  if (refused.length > 0) return { removed: [], problems: refused };
  const removed = await dockerDo(runner, ["service", "rm", ...names], { timeoutMs: 6e4 });
  if (!removed.ok) return { removed: [], problems: [`could not remove ${names.join(", ")}, which the topology no longer has: ${removed.reason}`] };
  return { removed: names, problems: [] };
}

// generator/deploy/moves/etcdDataDir.ts
import path6 from "node:path";
async function emptyDataDir(context, member, dataDir, why, host) {
  const { model } = context;
  const owner = model.etcd.members.find((candidate) => candidate.name === member) ?? model.etcd.members.find((candidate) => candidate.dataDir === dataDir && candidate.host === host);
  const service = model.services.find((candidate) => candidate.name === owner?.name);
  const constraints = service ? swarmConstraints(service.placement) : [];
  if (constraints.length === 0) return { problems: [`cannot tell which node holds ${member}'s data dir (no placement in the topology)`], notes: [] };
  const parent = path6.posix.dirname(dataDir);
  const base = path6.posix.basename(dataDir);
  const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const aside = `.${base}.${why}-${stamp}`;
  const runId = Date.now().toString(36).slice(-8);
  const name = prepareJobName(model.stack, runId, 1);
  const script = 'set -e; if [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; then mv "$1" "$2"; fi; mkdir -p -m 0700 "$1"';
  const job = {
    name,
    host: host ?? member,
    constraints,
    image: model.swarm.helperImage,
    mode: "0700",
    parent,
    directories: [dataDir],
    args: [
      ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints, registryAuth: true, resolveImage: model.swarm.resolveImage }),
      "--mount",
      `type=bind,source=${parent},target=${MOUNT_TARGET}`,
      "--entrypoint",
      "sh",
      model.swarm.helperImage,
      "-c",
      script,
      "sh",
      `${MOUNT_TARGET}/${base}`,
      `${MOUNT_TARGET}/${aside}`
    ]
  };
  const result = await runPrepareJobs(context.runner, [job], context.options.prepareTimeoutMs ?? 12e4);
  return { problems: result.problems, notes: result.problems.length === 0 ? [`${member}'s data dir ${dataDir} is empty (what it held, if anything, is kept as ${path6.posix.join(parent, aside)})`] : [] };
}

// generator/deploy/steps/etcdDataDirEmpty.ts
var runDataDirEmpty = async (step, context) => {
  const aside = await emptyDataDir(context, step.member, step.dataDir, "before-reuse", step.host);
  if (aside.problems.length > 0) return stepStopped(context, `${step.dataDir}: ${aside.problems.join("; ")}`, `${step.member} is removed from the cluster; its data dir is as it was`);
  return passed({ notes: aside.notes });
};

// generator/deploy/moves/etcdMembership.ts
var POLL_MS3 = 2e3;
function knownMembers(context) {
  const names = [...context.deployed?.etcd.members ?? [], ...context.topology.etcd.members].map((member) => member.name);
  return [...new Set(names)];
}
var stepWait = (context) => context.model.swarm.deployTimeoutSeconds * 1e3;
async function pollFor(timeoutMs, check, pollMs = POLL_MS3) {
  const started = performance.now();
  for (; ; ) {
    const result = await check();
    if ("value" in result) return { ok: true, value: result.value, ms: Math.round(performance.now() - started) };
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason: `${result.reason} (after ${Math.round((performance.now() - started) / 1e3)} s)` };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
async function clusterSettled(cluster, context) {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { reason: listed.reason };
  const unnamed = listed.value.filter((member) => member.name === "");
  if (unnamed.length > 0) return { reason: `member ${unnamed.map((member) => member.peerUrls.join(" ")).join(", ")} is listed but has not started` };
  const statuses = await cluster.statuses(listed.value.map((member) => member.name));
  const silent = listed.value.filter((member) => !statuses.some((status) => status.endpoint === cluster.endpoint(member.name)));
  if (silent.length > 0) return { reason: `${silent.map((member) => member.name).join(", ")} did not answer endpoint status` };
  if (!leaderOf(statuses)) return { reason: `the members do not agree on one leader yet` };
  return { value: listed.value };
}
var waitSettled = (cluster, context) => pollFor(stepWait(context), () => clusterSettled(cluster, context));
async function voteAndStatus(cluster, context) {
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return { reason: `cannot list etcd's members (${listed.reason})` };
  const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== "");
  return { voting, statuses: await cluster.statuses(voting.map((entry) => entry.name)) };
}
async function moveLeaderAway(cluster, context, member, seen) {
  const read = seen ?? await voteAndStatus(cluster, context);
  if ("reason" in read) return { ok: false, reason: read.reason };
  const { voting, statuses } = read;
  const leader = leaderOf(statuses);
  if (!leader) return { ok: false, reason: `the members that answered (${statuses.length} of ${voting.length}) do not agree on a leader: wait for an election, then deploy again` };
  const leaderName = voting.find((entry) => entry.id === leader.memberId)?.name;
  if (leaderName !== member) return { ok: true, note: `${member} does not lead (${leaderName ?? leader.memberId} does): leadership stays` };
  const candidates = statuses.filter((status) => status.memberId !== leader.memberId && !status.isLearner).sort((a, b) => b.raftAppliedIndex - a.raftAppliedIndex);
  const target = candidates[0];
  if (!target) return { ok: false, reason: `${member} leads and no other voting member answers: leadership cannot move` };
  const targetName = voting.find((entry) => entry.id === target.memberId)?.name ?? target.memberId;
  const answer = await cluster.etcdctl([member], ["move-leader", hexId(target.memberId)]);
  if (!answer.ok) return { ok: false, reason: `etcdctl move-leader to ${targetName}: ${answer.reason}` };
  const settled = await pollFor(stepWait(context), async () => {
    const now = leaderOf(await cluster.statuses(voting.map((entry) => entry.name)));
    return now && now.memberId !== leader.memberId ? { value: now } : { reason: `${member} still leads` };
  });
  if (!settled.ok) return { ok: false, reason: `leadership did not move away from ${member}: ${settled.reason}` };
  return { ok: true, note: `leadership moved from ${member} to ${targetName}` };
}
async function readyToRestart(cluster, context, member) {
  const seen = await voteAndStatus(cluster, context);
  if ("reason" in seen) return { ok: false, reason: seen.reason };
  const { voting, statuses } = seen;
  const others = voting.filter((entry) => entry.name !== member);
  const answering = others.filter((entry) => statuses.some((status) => status.endpoint === cluster.endpoint(entry.name)));
  const needed = quorum(voting.length);
  const silentItself = voting.some((entry) => entry.name === member) && !statuses.some((status) => status.endpoint === cluster.endpoint(member));
  if (!silentItself && answering.length < needed) {
    const silent = others.filter((entry) => !answering.includes(entry)).map((entry) => entry.name);
    return {
      ok: false,
      reason: `restarting ${member} now would leave ${answering.length} of ${voting.length} voting members running, fewer than the ${needed} etcd needs: ${silent.join(", ")} ${silent.length === 1 ? "does" : "do"} not answer \u2014 bring ${silent.length === 1 ? "it" : "them"} back first, then deploy again${allAtOnceAdvice(context, " (or deploy with --all-members-at-once, accepting that etcd stops until every member is back)")}`
    };
  }
  return moveLeaderAway(cluster, context, member, seen);
}
var removeCommand = (context, member) => `docker run --rm --network ${context.model.network.name} --entrypoint etcdctl ${context.model.etcd.image} --endpoints=${knownMembers(context).filter((name) => name !== member).map((name) => `${name}:${context.model.etcd.clientPort}`).join(",")} member remove <id of ${member} in member list>`;
function allAtOnceAdvice(context, advice, reason = "") {
  const otherData = (context.planned ?? []).some((change) => change.id.startsWith("etcd-data-dir")) || /cluster id|cluster ID mismatch/i.test(reason);
  return otherData ? "" : advice;
}

// generator/deploy/steps/etcdMemberAdd.ts
var runMemberAdd = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(", ")} (${listed.reason}): bring them back, then deploy again`, "nothing changed in this step");
  if (byPeerUrl(listed.value, step.peerUrl)) return passed({ notes: [`${step.member} is already listed (${step.peerUrl}): not added again`] });
  const added = await addLearner(cluster, step.through, step.member, step.peerUrl);
  if (!added.ok) return stepStopped(context, `etcdctl member add ${step.member}: ${added.reason}`, `${step.member} may or may not be listed as a learner; a learner has no vote, quorum is unchanged`, removeCommand(context, step.member));
  return passed({ notes: [`${step.member} added as a learner${added.tries > 1 ? ` (${added.tries} tries: etcd said "unhealthy cluster" until its leader had been connected to every voting member for 5 s)` : ""}`] });
};
async function addLearner(cluster, through, member, peerUrl) {
  let tries = 0;
  const added = await pollFor(
    ADD_WAIT_MS,
    async () => {
      if (tries > 0) {
        const listed = await cluster.members(through);
        if (listed.ok && byPeerUrl(listed.value, peerUrl)) return { value: { ok: true } };
      }
      tries++;
      const answer = await cluster.etcdctl(through, ["member", "add", member, `--peer-urls=${peerUrl}`, "--learner"]);
      if (answer.ok) return { value: { ok: true } };
      return UNHEALTHY.test(answer.reason) ? { reason: answer.reason } : { value: { ok: false, reason: answer.reason } };
    },
    1e3
  );
  if (!added.ok) return added;
  return added.value.ok ? { ok: true, tries } : added.value;
}
var UNHEALTHY = /etcdserver: unhealthy cluster/;
var ADD_WAIT_MS = 2e4;

// generator/deploy/steps/etcdMemberPromote.ts
var runMemberPromote = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  let tries = 0;
  const promoted = await pollFor(stepWait(context), async () => {
    const listed = await cluster.members(knownMembers(context));
    if (!listed.ok) return { reason: listed.reason };
    const member = listed.value.find((entry) => entry.name === step.member);
    if (!member) return { reason: `${step.member} is not listed as started` };
    if (!member.isLearner) return { value: tries };
    tries++;
    const voting = listed.value.filter((entry) => !entry.isLearner && entry.name !== "").map((entry) => entry.name);
    const answer = await cluster.etcdctl(voting, ["member", "promote", hexId(member.id)]);
    return answer.ok ? { value: tries } : { reason: answer.reason };
  });
  if (!promoted.ok) return stepStopped(context, `${step.member} was not promoted within ${stepWait(context) / 1e3} s: ${promoted.reason}`, `${step.member} runs as a learner (no vote: quorum unchanged)`, removeCommand(context, step.member));
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after promoting ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is a voting member`);
  const what = promoted.value === 0 ? `${step.member} is already a voting member` : `${step.member} promoted to a voting member (${(promoted.ms / 1e3).toFixed(1)} s, ${promoted.value} ${promoted.value === 1 ? "try" : "tries"})`;
  return passed({ notes: [`${what}; ${settled.value.length} members answer with one leader`] });
};

// generator/deploy/steps/etcdMemberRemove.ts
var runMemberRemove = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const listed = await cluster.members(step.through);
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members through ${step.through.join(", ")} (${listed.reason})`, "nothing changed in this step");
  const member = listed.value.find((entry) => entry.name === step.member);
  if (!member) return passed({ notes: [`${step.member} is not listed: nothing to remove`] });
  const removed = await cluster.etcdctl(step.through, ["member", "remove", hexId(member.id)]);
  if (!removed.ok) return stepStopped(context, `etcdctl member remove ${step.member}: ${removed.reason}`, `${step.member} may or may not be listed still`);
  const settled = await waitSettled(cluster, context);
  if (!settled.ok) return stepStopped(context, `after removing ${step.member}, etcd did not settle: ${settled.reason}`, `${step.member} is removed from the cluster; its service still exists`);
  return passed({ notes: [`${step.member} removed from the cluster; ${settled.value.length} members answer with one leader`] });
};

// generator/deploy/steps/etcdMemberStart.ts
import { readFile as readFile3 } from "node:fs/promises";

// generator/deploy/operations/memberStack.ts
var import_yaml3 = __toESM(require_dist(), 1);
function joiningMemberStack(stackText, member, initialCluster) {
  const compose = (0, import_yaml3.parse)(stackText);
  const service = compose.services[member];
  if (!service) throw new Error(`the rendered stack file has no service ${member}: render again`);
  const replaced = /* @__PURE__ */ new Map([
    ["--initial-cluster", initialCluster.join(",")],
    ["--initial-cluster-state", "existing"]
  ]);
  const rendered = service.command ?? [];
  service.command = rendered.map((flag) => {
    const name = flag.split("=")[0];
    return replaced.has(name) ? `${name}=${replaced.get(name)}` : flag;
  });
  if (service.deploy?.labels && service.command.join("\n") !== rendered.join("\n")) delete service.deploy.labels[SPEC_LABEL];
  compose.services = { [member]: service };
  delete compose.configs;
  delete compose.secrets;
  return (0, import_yaml3.stringify)(compose, { lineWidth: 0 });
}
function renderedConstraints(stackText, service) {
  const compose = (0, import_yaml3.parse)(stackText);
  return compose.services[service]?.deploy?.placement?.constraints ?? [];
}

// generator/deploy/steps/etcdMemberStart.ts
var runMemberStart = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const peerUrl = context.model.etcd.members.find((member) => member.name === step.member)?.peerUrl;
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return stepStopped(context, `cannot list etcd's members (${listed.reason})`, "nothing changed in this step");
  const self = peerUrl ? byPeerUrl(listed.value, peerUrl) : void 0;
  if (!self) return stepStopped(context, `${step.member} is not listed: its member add did not happen`, "nothing changed in this step");
  if (self.name !== "" && !self.isLearner) return passed({ notes: [`${step.member} already runs as a voting member: not started again`] });
  const started = performance.now();
  const notes = [];
  if (self.name === "") {
    const aside = await emptyDataDir(context, step.member, step.dataDir, "before-join");
    if (aside.problems.length > 0) return stepStopped(context, `${step.member}'s data dir: ${aside.problems.join("; ")}`, `${step.member} is listed as a learner and not started (no vote: quorum unchanged)`, removeCommand(context, step.member));
    notes.push(...aside.notes);
    const deployed = await deployJoining(context, step);
    if (!deployed.ok) return stepStopped(context, deployed.reason, `${step.member} is listed as a learner; its service may not run yet (no vote: quorum unchanged)`, removeCommand(context, step.member));
  }
  const running = await pollFor(stepWait(context), async () => {
    const now = await cluster.members(knownMembers(context));
    if (!now.ok) return { reason: now.reason };
    const member = byPeerUrl(now.value, self.peerUrls[0]);
    return member && member.name !== "" ? { value: member } : { reason: `${step.member} has not started (etcd lists it without a name)` };
  });
  if (!running.ok) {
    const listedNow = await cluster.members(knownMembers(context));
    const others = listedNow.ok ? listedNow.value.filter((member) => member.name !== "" && member.name !== step.member) : [];
    const statuses = await cluster.statuses(others.map((member) => member.name));
    const silent = others.filter((member) => !statuses.some((status) => status.endpoint === cluster.endpoint(member.name))).map((member) => member.name);
    const cause = silent.length > 0 ? `; ${silent.join(", ")} ${silent.length === 1 ? "does" : "do"} not answer, and a joining member must reach every listed member's peer URL: bring ${silent.length === 1 ? "it" : "them"} back` : "";
    return stepStopped(
      context,
      `${step.member} did not start and join within ${stepWait(context) / 1e3} s: ${running.reason}${cause} \u2014 \`docker service logs --tail 50 ${context.model.stack}_${step.member}\` says why`,
      `${step.member} is listed as a learner and its service is deployed (no vote: quorum unchanged)`,
      removeCommand(context, step.member)
    );
  }
  return passed({ notes: [...notes, `${step.member} started as a learner${step.host ? ` on ${step.host}` : ""} (${((performance.now() - started) / 1e3).toFixed(1)} s)`] });
};
async function deployJoining(context, step) {
  let text;
  try {
    text = joiningMemberStack(await readFile3(context.composeFile, "utf8"), step.member, step.initialCluster);
  } catch (error) {
    return { ok: false, reason: `${context.composeFile}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const file = await writeStepFile(text);
  try {
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    return deployed.ok ? { ok: true } : { ok: false, reason: deployed.error ?? `docker stack deploy of ${step.member} failed` };
  } finally {
    await file.remove();
  }
}

// generator/deploy/steps/etcdMoveLeader.ts
var runMoveLeader = async (step, context) => {
  const cluster = etcdCluster(context.runner, context.model, context.etcdctl);
  const moved = await moveLeaderAway(cluster, context, step.awayFrom);
  return moved.ok ? passed({ notes: [moved.note] }) : stepStopped(context, moved.reason, `${step.awayFrom} may still lead; the membership is unchanged`);
};

// generator/deploy/steps/serviceRemove.ts
var runServiceRemove = async (step, context) => {
  const existing = await dockerLines(context.runner, ["service", "ls", "--format", "{{.Name}}", ...step.services.flatMap((service) => ["--filter", `name=${service}`])]);
  if (!existing.ok) return stepStopped(context, `cannot list services: ${existing.reason}`, "nothing changed in this step");
  const present = step.services.filter((service) => existing.value.includes(service));
  if (present.length === 0) return passed({ notes: [`${step.services.join(", ")} already removed`] });
  const removed = await dockerDo(context.runner, ["service", "rm", ...present], { timeoutMs: 6e4 });
  if (!removed.ok) return stepStopped(context, `docker service rm ${present.join(" ")}: ${removed.reason}`, `${present.join(", ")} may still run`);
  return passed({ notes: [`removed the service${present.length === 1 ? "" : "s"} ${present.join(", ")}`] });
};

// generator/deploy/steps/minioPoolAdd.ts
import { readFile as readFile4 } from "node:fs/promises";
var runPoolAdd = async (step, context) => {
  const { model, runner } = context;
  const stackText = await readFile4(context.composeFile, "utf8");
  const running = await runningSpecs(runner, model.stack, 2e4);
  if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
  const created = step.nodes.filter((node) => !running.value.has(node));
  if (created.length === 0) return passed({ notes: [`the nodes of pool ${step.pool} run; the running nodes restart together next, before the load balancer`] });
  const started = performance.now();
  const existing = step.nodes.filter((node) => running.value.has(node));
  const heldBack = [model.minio.proxy.name, ...renderedMembers(stackText).map((member) => member.name), ...existing];
  const failed = await deployMinioApart(context, stackText, heldBack, created, `new MinIO nodes ${created.join(", ")} may be starting; the running nodes and the load balancer are unchanged`);
  if (failed) return failed;
  return passed({
    notes: [`started the new nodes ${created.join(", ")} on the command line with pool ${step.pool} (${((performance.now() - started) / 1e3).toFixed(1)} s); the running nodes restart together next, before the load balancer`]
  });
};

// generator/deploy/operations/verifyUserAccount.ts
function minioAdminFor(model, s3, root) {
  return new MinioAdmin({ endpoint: `http://${formatHostPort(s3)}`, credentials: root, region: regionOf(model) });
}
async function ensureVerifyUser(admin, model, verify) {
  const changes = [];
  const { name: policy, document } = model.minio.verifyPolicy;
  if (verify.accessKey === admin.accessKey) {
    return { ok: false, changes, problem: `MINIO_VERIFY_USER is MinIO's root user: give verify a user of its own (the swarm secret ${model.minio.secrets.verifyUser})` };
  }
  try {
    const current = await admin.cannedPolicy(policy);
    if (!current || !samePolicy(current, document)) {
      await admin.addCannedPolicy(policy, document);
      changes.push(`${current ? "updated" : "created"} the policy ${policy}`);
    }
    const user = await admin.userInfo(verify.accessKey);
    if (!user) {
      await admin.setUser(verify.accessKey, verify.secretKey, "enabled");
      changes.push("created verify's user");
    } else if (user.status !== "enabled" || !await admin.acceptsCredentials(verify)) {
      await admin.setUser(verify.accessKey, verify.secretKey, "enabled");
      changes.push(user.status !== "enabled" ? "set verify's user's secret key and enabled it" : "set verify's user's secret key (MinIO refused the one given)");
    }
    const held = user?.policies ?? [];
    if (!held.includes(policy)) {
      await admin.attachPolicies(verify.accessKey, [policy]);
      changes.push(`attached ${policy} to verify's user`);
    }
    const others = held.filter((name) => name !== policy);
    if (others.length > 0) {
      await admin.detachPolicies(verify.accessKey, others);
      changes.push(`detached ${others.join(", ")} from verify's user (only ${policy} is verify's)`);
    }
    const holders = (await admin.policyEntities([policy])).find((entry) => entry.policy === policy);
    const formerUsers = (holders?.users ?? []).filter((name) => name !== verify.accessKey);
    for (const former of formerUsers) await admin.detachPolicies(former, [policy]);
    if (formerUsers.length > 0) changes.push(`detached ${policy} from ${formerUsers.length} other user${formerUsers.length === 1 ? "" : "s"} (verify's user before MINIO_VERIFY_USER changed)`);
    if ((holders?.groups ?? []).length > 0) changes.push(`note: ${policy} is attached to group(s) ${holders.groups.join(", ")} too; detach it by hand`);
    return { ok: true, changes };
  } catch (error) {
    return { ok: false, changes, problem: problemOf(error, model) };
  }
}
function problemOf(error, model) {
  if (error instanceof MinioAdminError) {
    if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"].includes(error.code)) {
      return `${error.message} \u2014 MINIO_ROOT_USER/PASSWORD must be the values of the swarm secrets ${model.minio.secrets.rootUser}/${model.minio.secrets.rootPassword}`;
    }
    if (error.code === "XMinioAdminInvalidArgument" || error.code === "XMinioInvalidIAMCredentials" || error.code === "XMinioAdminInvalidAccessKey" || error.code === "XMinioAdminInvalidSecretKey") {
      return `${error.message} \u2014 MINIO_VERIFY_USER must be 3 to 20 characters without "=" or ",", MINIO_VERIFY_PASSWORD 8 to 40 characters (the swarm secrets ${model.minio.secrets.verifyUser}/${model.minio.secrets.verifyPassword})`;
    }
    return error.message;
  }
  if (error instanceof DeadlineError) return `${error.message}: is MinIO up behind ${model.minio.proxy.name}? (verify says)`;
  return error instanceof Error ? error.message : String(error);
}
function samePolicy(a, b) {
  return canonicalPolicy(a) === canonicalPolicy(b);
}
function canonicalPolicy(document) {
  const sorted = (values) => [...new Set(values ?? [])].sort();
  const statements = (document.Statement ?? []).map(
    (statement) => JSON.stringify([
      statement.Sid ?? "",
      statement.Effect,
      sorted(statement.Action),
      sorted(statement.Resource),
      Object.entries(statement.Condition ?? {}).map(([operator, keys]) => [operator, Object.entries(keys).map(([key, values]) => [key, sorted(values)]).sort()]).sort()
    ])
  );
  return JSON.stringify([document.Version, statements.sort()]);
}

// generator/deploy/steps/minioPoolDecommission.ts
var DECOMMISSION_TIMEOUT_MS = 30 * 6e4;
var POLL_MS4 = 2e3;
var PROGRESS_EVERY_MS = 1e4;
var STATUS_ATTEMPTS = 3;
var LOCATE_MS3 = 5e3;
var ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");
function poolState(status) {
  const info = status.decommissionInfo;
  if (!info) return "idle";
  if (info.complete) return "complete";
  if (info.failed) return "failed";
  if (info.canceled) return "canceled";
  const started = Date.parse(info.startTime);
  return Number.isNaN(started) || started <= ZERO_TIME ? "idle" : "running";
}
function poolFigures(status) {
  const info = status.decommissionInfo;
  if (!info) return { bytesMoved: 0, usedAtStart: 0 };
  const started = info.startSize > 0;
  return {
    bytesMoved: info.bytesDecommissioned ?? (started ? Math.max(0, info.currentSize - info.startSize) : 0),
    usedAtStart: Math.max(0, info.totalSize - (started ? info.startSize : info.currentSize)),
    ...info.objectsDecommissioned === void 0 ? {} : { objects: info.objectsDecommissioned },
    ...info.objectsDecommissionedFailed ? { objectsFailed: info.objectsDecommissionedFailed } : {},
    ...info.bytesDecommissionedFailed ? { bytesFailed: info.bytesDecommissionedFailed } : {}
  };
}
function nextAction(state, moment) {
  switch (state) {
    case "complete":
      return "done";
    case "running":
      return "wait";
    case "idle":
      return moment === "entry" ? "start" : "wait";
    case "failed":
    case "canceled":
      return moment === "entry" ? "start" : "stop";
  }
}
function describeProgress(figures) {
  const objects = figures.objects === void 0 ? "" : `, ${figures.objects} object${figures.objects === 1 ? "" : "s"}`;
  const failed = figures.objectsFailed || figures.bytesFailed ? `; failed: ${figures.objectsFailed ?? 0} objects, ${formatBytes(figures.bytesFailed ?? 0)}` : "";
  return `${formatBytes(figures.bytesMoved)} of about ${formatBytes(figures.usedAtStart)} moved${objects}${failed}`;
}
var seconds = (ms) => `${(ms / 1e3).toFixed(1)} s`;
async function connectThroughProxy(step, context) {
  const root = context.options.minio?.root;
  if (!root) {
    const { rootUser, rootPassword } = context.model.minio.secrets;
    return {
      problem: `decommission of pool ${step.pool}: ${USER_VARIABLE}/${PASSWORD_VARIABLE} not set; MinIO's pool calls need the root pair: set both to the values of the swarm secrets ${rootUser}/${rootPassword} (deploy.yml sets them; --credentials FILE by hand)`
    };
  }
  const located = await locateProxies(context.runner, context.model, endpointsFromModel(context.model), [], LOCATE_MS3);
  return { admin: minioAdminFor(context.model, located.endpoints.s3, root), through: formatHostPort(located.endpoints.s3), notes: located.notes };
}
function poolDecommissionRunner(dependencies = {}) {
  const connect = dependencies.connect ?? connectThroughProxy;
  const sleep = dependencies.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = dependencies.now ?? (() => performance.now());
  const pollMs = dependencies.pollMs ?? POLL_MS4;
  return async (step, context) => {
    const { pool } = step;
    const secrets = [context.options.minio?.root?.accessKey, context.options.minio?.root?.secretKey];
    const resume = resumeDeploy(context.environment);
    const byHand = step.command ? ` (by hand: ${step.command})` : "";
    const stop = (problem, state, notes2 = []) => stopped([redact(problem, secrets)], { notes: notes2, stopped: { state: `${state}; the stack was not deployed`, resume } });
    const connection = await connect(step, context);
    if ("problem" in connection) return stop(connection.problem, `pool ${pool} was not touched`);
    const { admin, through, notes } = connection;
    const what = `decommission of pool ${pool} (through ${through})`;
    let status;
    try {
      status = await admin.decommissionStatus(pool);
    } catch (error) {
      return stop(`${what}: ${problemOf2(error, context)}`, `pool ${pool} was not touched (its decommission state could not be read)`, notes);
    }
    const entry = poolState(status);
    if (nextAction(entry, "entry") === "done") {
      return passed({ notes: [...notes, `pool ${pool}: decommissioned already (complete since ${status.lastUpdate}): ${describeProgress(poolFigures(status))}`] });
    }
    const started = now();
    if (nextAction(entry, "entry") === "start") {
      try {
        await admin.decommissionStart(pool);
      } catch (error) {
        return stop(`${what}: start refused: ${problemOf2(error, context)}${byHand}`, `pool ${pool} is not being decommissioned (MinIO refused the start)`, notes);
      }
      const again = entry === "failed" || entry === "canceled" ? ` again (it had ${entry === "failed" ? "failed" : "been canceled"}; objects moved before stay moved)` : "";
      context.log(`pool ${pool}: decommission started${again}`);
      if (again) notes.push(`pool ${pool}: decommission started${again}`);
    } else {
      context.log(`pool ${pool}: decommission running already: waiting for it`);
    }
    return waitUntilComplete({ admin, pool, what, byHand, notes, started, status, stop, log: context.log, timeoutMs: context.options.decommissionTimeoutMs ?? DECOMMISSION_TIMEOUT_MS, sleep, now, pollMs, problemOf: (error) => problemOf2(error, context) });
  };
}
async function waitUntilComplete(wait) {
  const { admin, pool, what, byHand, notes, started, stop, timeoutMs, sleep, now, pollMs } = wait;
  let lastProgress = Number.NEGATIVE_INFINITY;
  let failedReads = 0;
  let last = wait.status;
  for (; ; ) {
    await sleep(pollMs);
    try {
      last = await admin.decommissionStatus(pool);
      failedReads = 0;
    } catch (error) {
      failedReads += 1;
      if (failedReads >= STATUS_ATTEMPTS) {
        return stop(
          `${what}: ${STATUS_ATTEMPTS} status reads in a row failed, the last: ${wait.problemOf(error)}; MinIO goes on by itself: run deploy again to wait on`,
          `pool ${pool} is being decommissioned (${describeProgress(poolFigures(last))} when last read)`,
          notes
        );
      }
      continue;
    }
    const state = poolState(last);
    const figures = poolFigures(last);
    const elapsed = now() - started;
    const action = nextAction(state, "waiting");
    if (action === "done") {
      return passed({ notes: [...notes, `pool ${pool} decommissioned in ${seconds(elapsed)}: ${describeProgress(figures)}`] });
    }
    if (action === "stop") {
      return stop(
        `${what} ${state} after ${seconds(elapsed)} (${describeProgress(figures)}): MinIO's log on the node that ran it says why; fix that, then run deploy again, which starts it again${byHand}`,
        `the decommission of pool ${pool} ${state} (${describeProgress(figures)}); the pool keeps the rest, takes no new objects and serves reads`,
        notes
      );
    }
    if (elapsed >= timeoutMs) {
      return stop(
        `${what}: not complete within ${seconds(timeoutMs)} (${describeProgress(figures)}); MinIO goes on by itself: run deploy again to wait on (or raise decommissionTimeoutMs)`,
        `pool ${pool} is being decommissioned: ${describeProgress(figures)}`,
        notes
      );
    }
    if (elapsed - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = elapsed;
      wait.log(`pool ${pool}: decommissioning, ${describeProgress(figures)} in ${seconds(elapsed)}`);
    }
  }
}
var runPoolDecommission = poolDecommissionRunner();
function problemOf2(error, context) {
  if (error instanceof MinioAdminError) {
    const { rootUser, rootPassword } = context.model.minio.secrets;
    if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"].includes(error.code)) {
      return `${error.message} \u2014 ${USER_VARIABLE}/${PASSWORD_VARIABLE} must be the values of the swarm secrets ${rootUser}/${rootPassword}`;
    }
    if (error.code === "XMinioAdminInvalidArgument" || error.code === "NotImplemented") {
      return `${error.message} \u2014 MinIO runs no pool of exactly this server argument (or only one pool): its command line is not the deployed topology's; compare docker service inspect of a MinIO node with the plan`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

// generator/deploy/steps/index.ts
var STEP_RUNNERS = {
  "etcd-member-add": runMemberAdd,
  "etcd-member-start": runMemberStart,
  "etcd-member-promote": runMemberPromote,
  "etcd-move-leader": runMoveLeader,
  "etcd-member-remove": runMemberRemove,
  "etcd-data-dir-empty": runDataDirEmpty,
  "service-remove": runServiceRemove,
  "minio-pool-decommission": runPoolDecommission,
  "minio-pool-add": runPoolAdd,
  "etcd-members-roll": { carriedBy: "rollingMembers" },
  "etcd-member-restart": { carriedBy: "rollingMembers" },
  "stack-deploy": { carriedBy: "stackDeploy" }
};
var carried = (step) => typeof STEP_RUNNERS[step.kind] !== "function";
function stepsAround(steps) {
  const stackAt = steps.findIndex((step) => step.kind === "stack-deploy");
  const split = stackAt === -1 ? steps.length : stackAt;
  const own = (step) => !carried(step);
  return { before: steps.slice(0, split).filter(own), after: steps.slice(split + 1).filter(own) };
}
function runnerOf(step) {
  const entry = STEP_RUNNERS[step.kind];
  return typeof entry === "function" ? entry : void 0;
}

// generator/deploy/phases/orphanRemoval.ts
var orphanRemoval = {
  name: "orphan removal",
  stage: "deploy",
  async run(context) {
    const later = new Set(stepsAround(context.steps).after.flatMap((step) => step.kind === "service-remove" ? step.services : []));
    const orphans2 = await removeOrphans(context.runner, context.model, (names) => stillListedMembers(context, names), later);
    const notes = orphans2.removed.map((name) => `removed ${name}: the topology no longer has it`);
    if (orphans2.problems.length === 0) return passed({ notes });
    return stopped(orphans2.problems, {
      notes,
      stopped: { state: "no service of the stack changed: node labels and data directories are in place", resume: resumeDeploy(context.environment) }
    });
  }
};
async function stillListedMembers(context, names) {
  const { model } = context;
  const memberServices = await dockerLines(context.runner, ["service", "ls", "--filter", `label=${ROLE_LABEL}=etcd-member`, "--format", "{{.Name}}"]);
  if (!memberServices.ok) return [];
  const candidates = names.filter((name) => memberServices.value.includes(name)).map((name) => name.slice(model.stack.length + 1));
  if (candidates.length === 0) return [];
  const cluster = etcdCluster(context.runner, model, context.etcdctl);
  const listed = await cluster.members(knownMembers(context));
  if (!listed.ok) return [];
  return listed.value.filter((member) => candidates.includes(member.name)).map(
    (member) => `${model.stack}_${member.name} is not in the topology, but etcd still lists ${member.name} as a member: removing its service would leave a member that never answers and still counts against quorum \u2014 deploy the topology that still has it and let its member remove step run, or remove it by hand (\`etcdctl member remove ${BigInt(member.id).toString(16)}\` on a manager), then deploy again`
  );
}

// generator/deploy/steps/run.ts
import { readFile as readFile5 } from "node:fs/promises";
async function runSteps(context, steps) {
  const all = context.steps;
  const notes = [];
  const movedDone = await movesDone(context, steps);
  for (const step of steps) {
    const number = all.indexOf(step) + 1;
    const runner = runnerOf(step);
    if (!runner) {
      return { ok: false, problems: [`step ${step.id} (${number} of ${all.length}): deploy cannot execute a ${step.kind} step yet: do it by hand as \`npx milvus-swarm plan\` prints it, then deploy again`], stopped: { step: { id: step.id, number, of: all.length }, state: `steps before ${step.id} are done`, resume: resumeDeploy(context.environment) } };
    }
    if (step.kind === "etcd-move-leader" && movedDone.has(step.awayFrom) || step.kind === "etcd-member-remove" && movedDone.has(step.member)) {
      notes.push(`step ${number} of ${all.length} ${step.id}: skipped, the member already runs where the topology places it`);
      continue;
    }
    context.log(`deploy ${context.environment}: step ${number} of ${all.length} ${step.id}`);
    const started = performance.now();
    const result = await runner(step, context);
    const took = `${((performance.now() - started) / 1e3).toFixed(1)} s`;
    notes.push(...(result.notes ?? []).map((note) => `step ${number} of ${all.length} ${step.id} (${took}): ${note}`));
    if (!result.ok) {
      return { ...result, notes, problems: (result.problems ?? []).map((problem) => `step ${step.id} (${number} of ${all.length}): ${problem}`), ...result.stopped ? { stopped: { ...result.stopped, step: { id: step.id, number, of: all.length } } } : {} };
    }
  }
  return passed({ notes });
}
async function movesDone(context, steps) {
  const moving = [...new Set(steps.flatMap((step) => step.changes).filter((id) => id.startsWith("etcd-member-host:")).map((id) => id.slice("etcd-member-host:".length)))];
  const done = /* @__PURE__ */ new Set();
  if (moving.length === 0) return done;
  const stackText = await readFile5(context.composeFile, "utf8");
  for (const member of moving) {
    const inspected = await dockerValue(context.runner, ["service", "inspect", "--format", "{{json .Spec.TaskTemplate.Placement.Constraints}}", `${context.model.stack}_${member}`], (stdout) => JSON.parse(stdout.trim() || "null") ?? []);
    if (!inspected.ok) continue;
    const running = inspected.value;
    const rendered = renderedConstraints(stackText, member);
    if (JSON.stringify([...running].sort()) === JSON.stringify([...rendered].sort())) done.add(member);
  }
  return done;
}

// generator/deploy/phases/planStepsAfter.ts
var planStepsAfter = {
  name: "plan steps after the stack",
  stage: "converge",
  run: (context) => runSteps(context, stepsAround(context.steps).after)
};

// generator/deploy/phases/planStepsBefore.ts
var planStepsBefore = {
  name: "plan steps",
  stage: "deploy",
  run: (context) => runSteps(context, stepsAround(context.steps).before)
};

// generator/deploy/phases/proxyRefresh.ts
var proxyRefresh = {
  name: "proxy refresh",
  stage: "converge",
  async run(context) {
    const { model } = context;
    const refreshed = await refreshStaleProxy(context.runner, model, model.swarm.deployTimeoutSeconds * 1e3);
    if (refreshed.problem) {
      return stopped([refreshed.problem], {
        notes: refreshed.notes,
        stopped: { state: `the stack converged; ${model.minio.proxy.name} still has stale MinIO addresses`, resume: resumeDeploy(context.environment) }
      });
    }
    if (!refreshed.converged) return passed({ notes: refreshed.notes });
    if (!refreshed.converged.ok) {
      const failed = convergeFailed(context, refreshed.converged, `the stack converged, then ${model.minio.proxy.name} was restarted and did not converge again`);
      return { ...failed, notes: refreshed.notes };
    }
    return passed({ notes: refreshed.notes, rows: rowsOf(context, refreshed.converged) });
  }
};

// generator/deploy/operations/unusedConfigs.ts
function unusedConfigs(stack, configs, services) {
  const used = new Set(services.flatMap((service) => (service.Spec.TaskTemplate.ContainerSpec?.Configs ?? []).map((config) => config.ConfigName ?? "")));
  return configs.filter((name) => isStackFileConfigName(stack, name) && !used.has(name)).sort();
}
async function pruneUnused(runner, stack) {
  const [configs, services] = await Promise.all([
    dockerValue(
      runner,
      ["config", "ls", "--filter", `label=com.docker.stack.namespace=${stack}`, "--format", "{{json .}}"],
      (stdout) => parseJsonLines(stdout).map((entry) => entry.Name)
    ),
    // Every service of the namespace, ours or not: a config another service still uses is never unused.
    dockerLines(runner, ["service", "ls", "--quiet", "--filter", `label=com.docker.stack.namespace=${stack}`])
  ]);
  if (!configs.ok) return { removed: [], problems: [`could not list the stack's configs or services: ${configs.reason}`] };
  if (!services.ok) return { removed: [], problems: [`could not list the stack's configs or services: ${services.reason}`] };
  if (services.value.length === 0) return { removed: [], problems: [] };
  const inspected = await dockerJson(runner, ["service", "inspect", ...services.value]);
  if (!inspected.ok) return { removed: [], problems: [`could not inspect the stack's services: ${inspected.reason}`] };
  const removed = [];
  const problems = [];
  for (const name of unusedConfigs(stack, configs.value, inspected.value)) {
    const result = await dockerDo(runner, ["config", "rm", name]);
    if (result.ok) removed.push(`config ${name}`);
    else problems.push(`config ${name} is unused but could not be removed: ${result.reason} (the next deploy retries)`);
  }
  return { removed, problems };
}

// generator/deploy/phases/prune.ts
var prune = {
  name: "prune",
  stage: "converge",
  async run(context) {
    const pruned = await pruneUnused(context.runner, context.model.stack);
    return passed({ notes: [...pruned.removed.map((name) => `removed unused ${name}`), ...pruned.problems] });
  }
};

// generator/deploy/phases/record.ts
import { readFile as readFile6 } from "node:fs/promises";

// generator/deploy/operations/deployedTopology.ts
var RECORD_LABEL = "io.milvus-swarm.record";
var RECORD_KIND = "deployed-topology";
var STACK_RECORD_KIND = "deployed-stack";
var STACK_LABEL = "io.milvus-swarm.stack";
var ENVIRONMENT_LABEL = "io.milvus-swarm.environment";
var DEPLOYED_AT_LABEL = "io.milvus-swarm.deployed-at";
var COMMIT_LABEL = "io.milvus-swarm.commit";
var recordName = (stack, text, kind = RECORD_KIND) => hashedConfigName(stack, kind === RECORD_KIND ? "topology" : "stackfile", contentHash(text));
function recordLabels(stack, environment, deployedAt, commit, kind = RECORD_KIND) {
  return {
    [RECORD_LABEL]: kind,
    [STACK_LABEL]: stack,
    [ENVIRONMENT_LABEL]: environment,
    [DEPLOYED_AT_LABEL]: deployedAt.toISOString(),
    ...commit ? { [COMMIT_LABEL]: commit } : {}
  };
}
function recordCreateArgs(stack, environment, text, deployedAt, commit, kind = RECORD_KIND) {
  const labels = Object.entries(recordLabels(stack, environment, deployedAt, commit, kind)).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
  return ["config", "create", ...labels, recordName(stack, text, kind), "-"];
}
var recordFilterArgs = (stack, kind = RECORD_KIND) => ["--filter", `label=${RECORD_LABEL}=${kind}`, "--filter", `label=${STACK_LABEL}=${stack}`];
function latestRecord(inspected, kind = RECORD_KIND) {
  const records = inspected.filter((config) => config.Spec.Labels?.[RECORD_LABEL] === kind).map((config) => ({
    name: config.Spec.Name,
    environment: config.Spec.Labels?.[ENVIRONMENT_LABEL] ?? "",
    deployedAt: config.Spec.Labels?.[DEPLOYED_AT_LABEL] ?? "",
    ...config.Spec.Labels?.[COMMIT_LABEL] ? { commit: config.Spec.Labels[COMMIT_LABEL] } : {},
    text: Buffer.from(config.Spec.Data ?? "", "base64").toString("utf8")
  })).sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
  return records[0];
}
async function readDeployedTopology(runner, stack, kind = RECORD_KIND) {
  const listed = await dockerLines(runner, ["config", "ls", "--quiet", ...recordFilterArgs(stack, kind)]);
  if (!listed.ok) return listed;
  if (listed.value.length === 0) return { ok: true, value: void 0 };
  return dockerValue(runner, ["config", "inspect", ...listed.value], (stdout) => latestRecord(JSON.parse(stdout), kind));
}
async function recordDeployedTopology(runner, stack, environment, text, commit, kind = RECORD_KIND) {
  const problems = [];
  const name = recordName(stack, text, kind);
  const existing = await dockerLines(runner, ["config", "ls", "--format", "{{.Name}}", ...recordFilterArgs(stack, kind)]);
  const names = existing.ok ? existing.value : [];
  if (names.includes(name) && commit) {
    const recorded = await dockerValue(runner, ["config", "inspect", "--format", `{{index .Spec.Labels "${COMMIT_LABEL}"}}`, name], (stdout) => stdout.trim());
    if (recorded.ok && recorded.value !== commit) {
      const removed = await dockerDo(runner, ["config", "rm", name]);
      if (removed.ok) names.splice(names.indexOf(name), 1);
      else problems.push(`could not replace the topology record ${name} (deployed from another commit): ${removed.reason}`);
    }
  }
  if (!names.includes(name)) {
    const created = await dockerDo(runner, recordCreateArgs(stack, environment, text, /* @__PURE__ */ new Date(), commit, kind), { input: text });
    if (!created.ok) problems.push(`could not record the deployed topology as config ${name}: ${created.reason}`);
  }
  const older = names.filter((other) => other !== name);
  if (older.length > 0 && problems.length === 0) {
    const removed = await dockerDo(runner, ["config", "rm", ...older]);
    if (!removed.ok) problems.push(`could not remove older topology records ${older.join(", ")}: ${removed.reason}`);
  }
  return problems;
}

// generator/deploy/phases/record.ts
var record = {
  name: "record",
  stage: "converge",
  async run(context) {
    const { runner, model, environment, options } = context;
    const topology = await recordDeployedTopology(runner, model.stack, environment, context.source.text, options.commit);
    const stackFile = await recordDeployedTopology(runner, model.stack, environment, await readFile6(context.composeFile, "utf8"), options.commit, STACK_RECORD_KIND);
    return passed({ notes: [...topology, ...stackFile] });
  }
};

// generator/deploy/phases/preflight.ts
import path8 from "node:path";

// generator/deploy/operations/planGate.ts
var planAgainstDeployed = (deployed, current, environment) => planEnvironment(deployed, current, { environment });
function judgePlan(gate, environment) {
  if (gate.kind === "first-deploy") return { problems: [], notes: ["plan: no deployed topology recorded in the swarm: first deploy of this stack"] };
  const blocking = gate.changes.filter(blocks);
  const acknowledged = gate.changes.filter((change) => change.class === "destructive" && change.acknowledged);
  const counts = ["destructive", "care", "safe"].map((kind) => `${gate.changes.filter((change) => change.class === kind).length} ${kind}`).join(", ");
  return {
    problems: blocking.map(
      (change) => `plan: ${change.id} is destructive: ${change.what} \u2014 ${change.why}; follow \`npx milvus-swarm plan\`'s procedure, then add "${change.id}" under acknowledge: in environments/${environment}.yaml`
    ),
    notes: [
      `plan against the deployed topology: ${gate.changes.length === 0 ? "no changes" : counts}`,
      ...acknowledged.map((change) => `plan: ${change.id} is destructive and acknowledged: deploying it`)
    ]
  };
}

// generator/deploy/operations/nodeLabelling.ts
var labelled = (model) => model.hosts.filter((host) => Object.keys(host.labels).length > 0);
function strayLabels(model, nodes) {
  const problems = [];
  for (const host of labelled(model)) {
    const own = nodeOfHost(host, nodes);
    for (const [key, value] of Object.entries(host.labels)) {
      for (const node of nodes.filter((candidate) => candidate !== own && candidate.labels[key] === value)) {
        problems.push(
          `node ${node.hostname} (${node.id}) carries the label ${key}=${value}, which ${model.source} gives only to host ${host.name}: services placed by it could start there on empty data dirs \u2014 \`docker node update --label-rm ${key} ${node.id}\`, or correct the topology`
        );
      }
    }
  }
  return problems;
}
function labelUpdates(model, nodes) {
  return labelled(model).flatMap((host) => {
    const node = nodeOfHost(host, nodes);
    if (!node) return [];
    const add = Object.entries(host.labels).filter(([key, value]) => node.labels[key] !== value).map(([key, value]) => `${key}=${value}`).sort();
    return add.length > 0 ? [{ host: host.name, node, add }] : [];
  });
}
async function applyLabels(runner, updates) {
  const done = [];
  const problems = [];
  for (const update of updates) {
    const result = await dockerDo(runner, ["node", "update", ...update.add.flatMap((label) => ["--label-add", label]), update.node.id], { timeoutMs: 3e4 });
    if (result.ok) done.push(`labelled node ${update.node.hostname} (host ${update.host}): ${update.add.join(", ")}`);
    else problems.push(`could not label node ${update.node.hostname} (host ${update.host}) with ${update.add.join(", ")}: ${result.reason}`);
  }
  return { done, problems };
}

// generator/deploy/operations/preflightChecks.ts
function thisNodeIsManager(swarm) {
  if (!swarm.ok) return [`cannot ask the Docker daemon (${swarm.error}): run deploy on a swarm manager with docker access (DOCKER_HOST, docker group)`];
  const info = swarm.value;
  if (info.localNodeState !== "active") {
    return [`this node's swarm state is "${info.localNodeState}"${info.error ? ` (${info.error})` : ""}: run deploy on a manager of the environment's swarm`];
  }
  if (!info.controlAvailable) return ["this node is a swarm worker: run deploy on a manager (`docker node ls` on a manager lists them)"];
  return [];
}
function pinnedHostsReady(model, nodes) {
  if (!nodes.ok) return [`cannot list the swarm's nodes (${nodes.error}): run deploy on a manager`];
  const pinned = /* @__PURE__ */ new Map();
  for (const service of model.services) {
    const host = pinnedHost(service.placement);
    if (host !== void 0) pinned.set(host, [...pinned.get(host) ?? [], service.name]);
  }
  const problems = [];
  for (const [hostName, services] of pinned) {
    const host = model.hosts.find((entry) => entry.name === hostName);
    const what = `host ${hostName} (${services.join(", ")})`;
    let node;
    if (host?.nodeId) {
      node = nodes.value.find((candidate) => candidate.id === host.nodeId);
      if (!node) {
        const byName = nodes.value.find((candidate) => candidate.hostname === hostName);
        problems.push(
          byName ? `${what}: no node has id ${host.nodeId}, but node ${byName.id} is named ${hostName}: correct hosts[].nodeId in ${model.source} (the node rejoined the swarm?)` : `${what}: no node has id ${host.nodeId}: join the host to the swarm, or correct hosts[].nodeId in ${model.source}`
        );
        continue;
      }
    } else {
      const named = nodes.value.filter((candidate) => candidate.hostname === hostName);
      if (named.length === 0) {
        problems.push(`${what}: no node is named ${hostName}: join the host to the swarm (\`docker swarm join\`) or correct the host name in ${model.source}`);
        continue;
      }
      if (named.length > 1) {
        problems.push(`${what}: ${named.length} nodes are named ${hostName} (${named.map((n) => n.id).join(", ")}): add hosts[].nodeId in ${model.source} to say which`);
        continue;
      }
      node = named[0];
    }
    if (node.status !== "Ready") problems.push(`${what}: node ${node.hostname} is ${node.status}: start its Docker engine or fix its network, then deploy again`);
    if (node.availability !== "Active") {
      problems.push(`${what}: node ${node.hostname} is ${node.availability}: \`docker node update --availability active ${node.id}\` once its maintenance is over`);
    }
  }
  return problems;
}
function secretsExist(model, secrets) {
  if (!secrets.ok) return [`cannot list the swarm's secrets (${secrets.error}): run deploy on a manager`];
  return model.secrets.filter((secret) => !secrets.value.includes(secret.name)).map((secret) => `secret ${secret.name} does not exist: create it with \`printf '%s' "$VALUE" | docker secret create ${secret.name} -\``);
}
function renderedIsCurrent(environment, drift) {
  const files = [
    ...drift.changed.map((entry) => `${entry.file} changed`),
    ...drift.missing.map((file) => `${file} missing`),
    ...drift.stray.map((file) => `${file} stray`)
  ];
  if (files.length === 0) return [];
  return [`rendered/${environment}/ is not what the generator renders now (${files.join(", ")}): run \`npx milvus-swarm render --env ${environment}\` and commit rendered/${environment}/`];
}
function preflightProblems(model, facts) {
  const manager = thisNodeIsManager(facts.swarm);
  if (manager.length > 0) return [...manager, ...renderedIsCurrent(model.environment, facts.drift)];
  return [
    ...pinnedHostsReady(model, facts.nodes),
    ...facts.nodes.ok ? strayLabels(model, facts.nodes.value) : [],
    ...secretsExist(model, facts.secrets),
    ...renderedIsCurrent(model.environment, facts.drift)
  ];
}

// generator/deploy/moves/liveAgainstRendered.ts
import { readFile as readFile7 } from "node:fs/promises";

// generator/diff/secretDigests.ts
var DIGEST_LABEL = "io.milvus-swarm.digest";
var TIMEOUT_MS = 9e4;
function parseDigests(output) {
  const digests = /* @__PURE__ */ new Map();
  for (const line of output.split("\n")) {
    const match = /^([0-9a-f]{64})\s+\/run\/secrets\/(\S+)$/.exec(line.trim());
    if (match) digests.set(match[2], match[1]);
  }
  return digests;
}
async function secretDigests(runner, model, names) {
  const unique = [...new Set(names)].sort();
  if (unique.length === 0) return { digests: /* @__PURE__ */ new Map() };
  const name = digestJobName(model.stack, Date.now().toString(36).slice(-8));
  const args = [
    ...hostJobArgs({ name, label: `${DIGEST_LABEL}=${model.stack}`, constraints: ["node.role == manager"], resolveImage: model.swarm.resolveImage }),
    ...unique.flatMap((secret) => ["--secret", `source=${secret},target=${secret}`]),
    "--entrypoint",
    "sha256sum",
    model.swarm.helperImage,
    ...unique.map((secret) => `/run/secrets/${secret}`)
  ];
  const run = await runJob(runner, name, args, TIMEOUT_MS);
  if (run.state.kind !== "complete") return { digests: /* @__PURE__ */ new Map(), problem: `reading the digests of ${unique.join(", ")} (a job of ${model.swarm.helperImage} on a manager): ${run.state.kind === "failed" ? run.state.error : "not finished"}` };
  return { digests: parseDigests(run.output) };
}

// generator/diff/takeover.ts
import { createHash } from "node:crypto";
import path7 from "node:path";
var sha256 = (value) => createHash("sha256").update(value).digest("hex");
function flagValue(args, flag) {
  const words = args.flatMap((arg) => arg.split(/\s+/)).filter(Boolean);
  for (const [index, word] of words.entries()) {
    for (const name of [`--${flag}`, `-${flag}`]) {
      if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
      if (word === name) return words[index + 1];
    }
  }
  return void 0;
}
function hostPathOf(containerPath, mounts) {
  const normalised = path7.posix.normalize(containerPath);
  const holding = mounts.filter((mount) => normalised === mount.target || normalised.startsWith(`${mount.target.replace(/\/$/, "")}/`)).sort((a, b) => b.target.length - a.target.length)[0];
  if (!holding) return {};
  if (holding.type !== "bind") return { mount: holding };
  return { mount: holding, hostPath: path7.posix.join(holding.source, path7.posix.relative(holding.target, normalised)) };
}
function etcdDataDir(shape) {
  const args = [...shape.entrypoint, ...shape.args];
  const flag = flagValue(args, "data-dir");
  if (flag) return { path: flag, from: `--data-dir=${flag}` };
  const variable = shape.environment.ETCD_DATA_DIR;
  if (variable) return { path: variable, from: `ETCD_DATA_DIR=${variable}` };
  const name = flagValue(args, "name") ?? shape.environment.ETCD_NAME ?? "default";
  return { path: `/${name}.etcd`, from: `etcd's default data dir ${name}.etcd (relative to the container's working directory)` };
}
function expandEllipses(argument) {
  const match = /\{(\d+)\.\.\.(\d+)\}/.exec(argument);
  if (!match) return [argument];
  const [from, to] = [Number(match[1]), Number(match[2])];
  const width = match[1].length === match[2].length && match[1].startsWith("0") ? match[1].length : 0;
  const expanded = [];
  for (let value = from; value <= to; value++) {
    const text = width > 0 ? String(value).padStart(width, "0") : String(value);
    expanded.push(...expandEllipses(argument.slice(0, match.index) + text + argument.slice(match.index + match[0].length)));
  }
  return expanded;
}
function driveEndpoints(shape) {
  const words = [...shape.entrypoint, ...shape.args].flatMap((arg) => arg.split(/\s+/)).filter(Boolean);
  return words.filter((word) => /^https?:\/\//.test(word)).flatMap(expandEllipses).map((endpoint) => {
    const url = new URL(endpoint);
    return `${url.hostname}${url.pathname}`;
  });
}
function renderedNodeOf(service, model, nodes) {
  const host = pinnedHost(service.placement);
  const defined = host ? model.hosts.find((entry) => entry.name === host) : void 0;
  return defined ? nodeOfHost(defined, nodes)?.hostname ?? defined.name : void 0;
}
function placementProblem(service, facts, what) {
  const runsOn = facts.runsOn.get(service.name) ?? [];
  const wanted = renderedNodeOf(service, facts.model, facts.nodes);
  if (!wanted || runsOn.length === 0 || runsOn.includes(wanted)) return [];
  return [
    `${service.name} runs on node ${runsOn.join(", ")}, where its ${what} is; the topology pins it to host ${pinnedHost(service.placement)} (node ${wanted}): deploy would start it there on other data \u2014 give ${service.name} host ${runsOn[0]} in ${facts.model.source} (render, commit), then deploy again`
  ];
}
function etcdProblems(service, facts) {
  const live = facts.live.get(service.name);
  const rendered = facts.rendered.get(service.name);
  const member = facts.model.etcd.members.find((entry) => entry.name === service.name);
  if (!live || !rendered || !member) return [];
  const problems = placementProblem(service, facts, "data dir");
  const liveDir = etcdDataDir(live);
  const renderedDir = etcdDataDir(rendered);
  const liveHost = hostPathOf(liveDir.path, live.mounts);
  const renderedHost = hostPathOf(renderedDir.path, rendered.mounts).hostPath ?? member.dataDir;
  if (!liveHost.hostPath) {
    const where = liveHost.mount ? `the ${liveHost.mount.type} ${liveHost.mount.source} mounted at ${liveHost.mount.target}` : "the container itself (no mount holds it)";
    problems.push(
      `${service.name} keeps its data (${liveDir.from}) in ${where}, not in a host directory the topology can name: deploy would start it on ${renderedHost}, empty \u2014 save a snapshot (etcdctl snapshot save), move the data to a host directory by hand, then take the cluster over`
    );
  } else if (path7.posix.normalize(liveHost.hostPath) !== path7.posix.normalize(renderedHost)) {
    problems.push(
      `${service.name} keeps its data in ${liveHost.hostPath} on its host (${liveDir.from}, inside the mount ${liveHost.mount.source} \u2192 ${liveHost.mount.target}); the rendered member in ${renderedHost} (${renderedDir.from}): deploy would start it on another directory, as a new and empty member \u2014 set etcd.dataDir: ${liveHost.hostPath} in ${facts.model.source} (render, commit), then deploy again`
    );
  }
  return problems;
}
function minioProblems(service, facts) {
  const live = facts.live.get(service.name);
  const rendered = facts.rendered.get(service.name);
  if (!live || !rendered) return [];
  const problems = placementProblem(service, facts, "drives are");
  const liveEndpoints = driveEndpoints(live);
  const renderedEndpoints = driveEndpoints(rendered);
  if (JSON.stringify(liveEndpoints) !== JSON.stringify(renderedEndpoints)) {
    problems.push(
      `${service.name} runs MinIO on ${liveEndpoints.length} drive endpoints in this order: ${liveEndpoints.join(" ")}; the rendered command line has ${renderedEndpoints.length}: ${renderedEndpoints.join(" ")} \u2014 MinIO refuses drives in another order or layout (its format.json records them): list the pool's nodes and drives in ${facts.model.source} as the cluster runs them`
    );
    return problems;
  }
  const own = [...new Set(liveEndpoints.filter((endpoint) => endpoint.startsWith(`${live.hostname || service.name}/`)).map((endpoint) => endpoint.slice(endpoint.indexOf("/"))))];
  for (const drive of own) {
    const liveHost = hostPathOf(drive, live.mounts).hostPath;
    const renderedHost = hostPathOf(drive, rendered.mounts).hostPath;
    if (liveHost !== renderedHost) {
      problems.push(
        `${service.name}'s drive ${drive} is ${liveHost ?? "not a host directory"} on its host; the rendered one ${renderedHost ?? "none"}: deploy would start MinIO on other drives \u2014 list ${liveHost ?? "the drives"} under the pool's drives in ${facts.model.source}, in the cluster's order`
      );
    }
  }
  return problems;
}
function liveRootDigests(shape, facts) {
  const env = shape.environment;
  const fromSecret = (variable) => {
    const file = env[variable];
    const secret = file ? shape.secrets.find((entry) => path7.posix.join("/run/secrets", entry.target) === file || entry.target === file) : void 0;
    return secret ? { digest: facts.secretDigests.get(secret.name), name: secret.name } : void 0;
  };
  const userSecret = fromSecret("MINIO_ROOT_USER_FILE");
  const passwordSecret = fromSecret("MINIO_ROOT_PASSWORD_FILE");
  if (userSecret && passwordSecret) return { user: userSecret.digest, password: passwordSecret.digest, from: `the secrets ${userSecret.name}/${passwordSecret.name}` };
  const user = env.MINIO_ROOT_USER ?? env.MINIO_ACCESS_KEY;
  const password = env.MINIO_ROOT_PASSWORD ?? env.MINIO_SECRET_KEY;
  if (user !== void 0 && password !== void 0) return { user: sha256(user), password: sha256(password), from: "MINIO_ROOT_USER/MINIO_ROOT_PASSWORD set inline in its environment" };
  return { user: sha256("minioadmin"), password: sha256("minioadmin"), from: "MinIO's default minioadmin/minioadmin (no root credentials set)" };
}
function credentialProblems(facts) {
  const { rootUser, rootPassword } = facts.model.minio.secrets;
  const wanted = { user: facts.secretDigests.get(rootUser), password: facts.secretDigests.get(rootPassword) };
  if (wanted.user === void 0 || wanted.password === void 0) return [];
  const differing = facts.model.services.filter((service) => service.role === "minio-node" && facts.live.has(service.name)).map((service) => ({ service, live: liveRootDigests(facts.live.get(service.name), facts) })).filter(({ live }) => live.user !== void 0 && live.password !== void 0 && (live.user !== wanted.user || live.password !== wanted.password));
  if (differing.length === 0) return [];
  const sides = [...new Set(differing.map(({ live }) => live.from))].join("; ");
  return [
    `${differing.map(({ service }) => service.name).join(", ")} run${differing.length === 1 ? "s" : ""} with other root credentials (${sides}) than the swarm secrets ${rootUser}/${rootPassword} hold (compared by SHA-256, not shown): MinIO would restart with the secrets' pair and Milvus, verify and deploy's own calls be locked out \u2014 make the secrets from the credentials the cluster runs with (\`docker secret rm ${rootUser} ${rootPassword}\`, then \`printf '%s' "$VALUE" | docker secret create NAME -\` for each), then deploy again`
  ];
}
function takeoverProblems(facts) {
  return [
    ...facts.model.services.filter((service) => service.role === "etcd-member").flatMap((service) => etcdProblems(service, facts)),
    ...facts.model.services.filter((service) => service.role === "minio-node").flatMap((service) => minioProblems(service, facts)),
    ...credentialProblems(facts)
  ];
}

// generator/deploy/operations/liveChanges.ts
var takeoverChangeId = (stack) => `takeover:${stack}`;
var restarting = (report, role) => report.services.filter((service) => service.role === role && service.state !== "in-sync" && service.state !== "missing" && service.differences.some((difference) => difference.restarts)).map((service) => service.service);
function takeoverOrder(report) {
  const minio = restarting(report, "minio-node");
  const etcd = restarting(report, "etcd-member");
  const others = report.services.filter((service) => !["minio-node", "etcd-member"].includes(service.role) && service.state !== "in-sync").map((service) => `${service.service} (${service.deploy})`);
  return [
    ...report.nodeLabels.length > 0 ? [`node labels: ${report.nodeLabels.join("; ")}`] : [],
    ...minio.length > 0 ? [`MinIO nodes ${minio.join(", ")} restart together on the rendered spec, before the load balancer: S3 pauses until every node is back`] : [],
    ...etcd.length > 0 ? [`etcd members ${etcd.join(", ")} restart one at a time, the leader last, each after the others answer with one leader: at most one leader election`] : [],
    ...others.length > 0 ? [`then ${others.join("; ")}`] : [],
    ...report.foreign.length > 0 ? [`left alone: ${report.foreign.join(", ")}`] : []
  ];
}
function takeoverChange(report, acknowledge) {
  const id = takeoverChangeId(report.stack);
  const taken = report.services.filter((service) => service.state === "takeover").map((service) => service.service);
  const change = care(
    id,
    `take over ${taken.join(", ")} in stack ${report.stack}, which milvus-swarm did not deploy`,
    "each service restarts on the rendered spec (secrets instead of inline credentials, the rendered mounts and flags, labels); its data stays where it is (checked before anything changes)",
    takeoverOrder(report)
  );
  return { ...change, acknowledged: acknowledge.includes(id) };
}
function handEdits(live, stack, networks, lastRendered) {
  return live.flatMap((inspect) => {
    const shape = shapeFromInspect(inspect, stack, networks);
    const was = lastRendered.get(shape.name);
    if (!was) return [];
    const differences = compareShapes(shape, was);
    return differences.length > 0 ? [{ service: shape.name, differences }] : [];
  });
}
var describeHandEdit = (edit) => `${edit.service}: ${edit.differences.map(
  (difference) => difference.rendered === "(not set)" ? `${difference.field} added by hand (${difference.live})` : difference.live === "(not set)" ? `${difference.field} removed by hand (the last deploy set ${difference.rendered})` : `${difference.field} ${difference.live} (the last deploy made it ${difference.rendered})`
).join("; ")}`;

// generator/deploy/moves/liveAgainstRendered.ts
async function liveAgainstRendered(context) {
  const { model, runner, log, environment } = context;
  let live;
  try {
    live = await readLiveStack(runner, model.stack);
  } catch (error) {
    return { ok: false, problems: [`cannot read what runs (${error instanceof Error ? error.message : String(error)})`], notes: [] };
  }
  const rendered = shapesFromCompose(await readFile7(context.composeFile, "utf8"), model.stack);
  const report = buildDiff(model, rendered, live);
  context.live = report;
  const notes = [];
  const say = (line) => {
    log(line);
    notes.push(line);
  };
  if (!report.takeover) {
    const differing = report.services.filter((service) => service.state !== "in-sync");
    const described = differing.map(
      (service) => service.state === "missing" ? `${service.service} missing` : `${service.service} differs (${service.differences.map((difference) => `${difference.field}: ${difference.live} \u2192 ${difference.rendered}`).join("; ")})`
    );
    const summary = differing.length === 0 ? "the services run what is rendered" : differing.every((service) => service.state === "missing") ? `${differing.length === report.services.length ? "none of the services runs yet" : `${differing.map((service) => service.service).join(", ")} do not run yet`}: this deploy creates ${differing.length === 1 ? "it" : "them"}` : described.join(", ");
    say(`live against rendered: ${summary}${report.foreign.length > 0 ? `; left alone: ${report.foreign.join(", ")}` : ""}`);
    for (const edit of await editsSinceLastDeploy(context, live)) say(`hand edit, reverted by this deploy: ${edit}`);
    return { ok: true, problems: [], notes };
  }
  return takeoverLook(context, report, live, rendered, say, notes);
}
async function takeoverLook(context, report, live, rendered, say, notes) {
  const { model, runner, environment } = context;
  const taken = report.services.filter((service) => service.state === "takeover");
  say(`live against rendered: a takeover \u2014 ${taken.map((service) => service.service).join(", ")} run${taken.length === 1 ? "s" : ""} without milvus-swarm's labels (not deployed by it)`);
  const liveShapes = new Map(live.services.map((inspect) => shapeFromInspect(inspect, model.stack, live.networks)).filter((shape) => taken.some((service) => service.service === shape.name)).map((shape) => [shape.name, shape]));
  const { rootUser, rootPassword } = model.minio.secrets;
  const liveSecrets = [...liveShapes.values()].flatMap((shape) => shape.secrets.map((secret) => secret.name));
  const wanted = [rootUser, rootPassword, ...liveSecrets].filter((name) => live.secrets.includes(name));
  const digests = await secretDigests(runner, model, wanted);
  const problems = takeoverProblems({
    model,
    live: liveShapes,
    rendered,
    runsOn: new Map(model.services.map((service) => [service.name, live.taskNodes.get(`${model.stack}_${service.name}`) ?? []])),
    nodes: live.nodes,
    secretDigests: digests.digests
  });
  if (digests.problem) problems.push(`cannot compare the root credentials MinIO runs with to the swarm secrets, so the takeover is not safe to start: ${digests.problem}`);
  if (problems.length > 0) return { ok: false, problems: problems.map((problem) => `takeover refused, nothing changed: ${problem}`), notes };
  const change = takeoverChange(report, context.topology.acknowledge);
  context.planned = [...context.planned, change];
  say(`takeover plan (${change.id}), in this order:`);
  for (const [index, line] of (change.procedure ?? []).entries()) say(`  ${index + 1}. ${line}`);
  if (context.topology.backup) {
    say("a recovery point of etcd and the bucket is made before anything changes (the backup: section)");
    return { ok: true, problems: [], notes };
  }
  if (change.acknowledged) {
    say(`${change.id} is acknowledged: taking over without a recovery point (environments/${environment}.yaml has no backup: section)`);
    return { ok: true, problems: [], notes };
  }
  return {
    ok: true,
    notes,
    problems: [
      `plan: ${change.id} restarts every service on a new spec and no recovery point can be made first (environments/${environment}.yaml has no backup: section): save one by hand \u2014 \`etcdctl snapshot save\` from a member, and a copy of ${model.milvus.bucketName} \u2014 or add a backup: section, then add "${change.id}" under acknowledge: and deploy again`
    ]
  };
}
async function editsSinceLastDeploy(context, live) {
  const recorded = await readDeployedTopology(context.runner, context.model.stack, STACK_RECORD_KIND);
  if (!recorded.ok || !recorded.value) return [];
  const lastDeployed = shapesFromCompose(recorded.value.text, context.model.stack);
  return handEdits(
    live.services.filter((inspect) => context.model.services.some((service) => inspect.Spec.Name === `${context.model.stack}_${service.name}`)),
    context.model.stack,
    live.networks,
    lastDeployed
  ).map(describeHandEdit);
}

// generator/deploy/phases/preflight.ts
var preflight = {
  name: "preflight",
  stage: "preflight",
  async run(context) {
    const { runner, model, options } = context;
    const [swarm, nodes, secrets, deployed, drift] = await Promise.all([
      swarmInfo(runner),
      nodeList(runner),
      secretNames(runner),
      readDeployedTopology(runner, model.stack),
      renderedDrift(options.root, context.source, context.environment)
    ]);
    if (nodes.ok) context.nodes = nodes.value;
    const problems = preflightProblems(model, { swarm, nodes, secrets, drift });
    if (problems.length > 0) return stopped(problems);
    const gate = planGate(deployed, context.topology, context.environment, options.plan ?? planAgainstDeployed);
    if ("problem" in gate) return stopped([gate.problem]);
    if (gate.kind === "planned") {
      context.planned = gate.changes;
      context.steps = gate.steps ?? [];
      if (gate.deployed) context.deployed = gate.deployed;
    }
    const live = await liveAgainstRendered(context);
    if (!live.ok) return stopped(live.problems, { notes: live.notes });
    const verdict = judgePlan(gate, context.environment);
    verdict.problems.push(...live.problems, ...unacknowledgedSteps(context.steps, context.topology.acknowledge, context.environment));
    const notes = [...live.notes, ...verdict.notes];
    return verdict.problems.length > 0 ? stopped(verdict.problems, { notes }) : passed({ notes });
  }
};
function unacknowledgedSteps(steps, acknowledged, environment) {
  return steps.filter((step) => step.acknowledgement && !acknowledged.includes(step.acknowledgement)).map((step) => `plan: step ${step.id} runs only when acknowledged (${describeStep(step)}): add "${step.acknowledgement}" under acknowledge: in environments/${environment}.yaml`);
}
async function renderedDrift(root, source, environment) {
  const rendered = renderSource(source, await readTemplates(readFromDirectory(root)));
  const expected = rendered.ok ? new Map(rendered.files) : /* @__PURE__ */ new Map();
  return compareTrees(expected, await readTree(path8.join(root, RENDERED_DIR, environment)));
}
function planGate(deployed, current, environment, plan) {
  if (!deployed.ok) return { problem: `cannot read the deployed topology record (${deployed.error}): run deploy on a manager` };
  if (!deployed.value) return { kind: "first-deploy" };
  const record2 = deployed.value;
  const validated = validateTopology(`${record2.name} (deployed topology)`, record2.text);
  if (!validated.ok) {
    return {
      problem: `the deployed topology (config ${record2.name}) no longer validates (${validated.problems[0]?.message ?? "invalid"}): compare it with environments/${environment}.yaml by hand (\`docker config inspect --pretty ${record2.name}\`), then \`docker config rm ${record2.name}\` and deploy again`
    };
  }
  return { kind: "planned", changes: plan(validated.topology, current, environment), steps: planEnvironmentSteps(validated.topology, current, { environment }), deployed: validated.topology };
}

// generator/deploy/phases/recoveryPointFirst.ts
import { mkdtemp as mkdtemp2, rm as rm2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import path9 from "node:path";
var LOCATE_MS4 = 5e3;
var pointWorthy = (planned) => planned.filter((change) => change.class !== "safe");
var recoveryPointFirst = {
  name: "recovery point",
  stage: "preflight",
  async run(context) {
    const backup = context.topology.backup;
    const changes = pointWorthy(context.planned);
    if (!backup || changes.length === 0) return passed();
    const ids = changes.map((change) => `${change.id} (${change.class})`).join(", ");
    if (context.options.noRecoveryPoint) return passed({ notes: [`no recovery point before ${ids}: --no-recovery-point`] });
    const refuse = (why) => stopped([`no recovery point before ${ids}: ${why}; nothing was changed: fix it and deploy again, or deploy with --no-recovery-point (the action's no-recovery-point input) to go on without one`]);
    const root = context.options.minio?.root;
    if (!root) return refuse(`${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (a point lists every version of the bucket)`);
    let workDir;
    try {
      workDir = await mkdtemp2(path9.join(tmpdir2(), "milvus-swarm-points-"));
      const made = await makePoint(context, root, backup, workDir, ids);
      if (!made.ok) return refuse(redact(made.problem, [root.secretKey]));
      return passed({ notes: [made.line], recoveryPoint: made.line });
    } catch (error) {
      return refuse(redact(error instanceof Error ? error.message : String(error), [root.secretKey]));
    } finally {
      if (workDir) await rm2(workDir, { recursive: true, force: true });
    }
  }
};
async function makePoint(context, root, backup, workDir, ids) {
  const { model } = context;
  const stores = storesOf(backup.targets, ...context.options.backupValues ?? [process.env]);
  const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS4);
  const minio = minioClient(located.endpoints.s3, root);
  if ((await readRecoveryWindow(minio, model.milvus.bucketName)).versioning !== "Enabled") await ensureRecoveryWindow(minio, model.milvus.bucketName, backup.windowDays);
  const sites = context.options.swarmSites ?? dockerSwarm(context.runner);
  const report = await makeRecoveryPoint({
    environment: context.environment,
    stack: model.stack,
    bucket: model.milvus.bucketName,
    windowDays: backup.windowDays,
    keep: backup.keep,
    reason: `before deploy${context.options.commit ? ` of ${context.options.commit.slice(0, 12)}` : ""}: ${ids}`,
    etcd: await sites.etcdAccess(model, workDir),
    minio,
    stores,
    pointKey: pointKeyFrom(...context.options.backupValues ?? [process.env]),
    workDir
  });
  if (!report.ok || !report.manifest) {
    return { ok: false, problem: report.problem ?? report.stores.filter((store) => store.error).map((store) => `${store.where}: ${store.error}`).join("; ") };
  }
  const manifest = report.manifest;
  return { ok: true, line: `recovery point ${manifest.id} before ${ids}: etcd ${etcdFigures(manifest)}; bucket ${bucketFigures(manifest)}; in ${report.stores.map((store) => store.where).join(", ")} (etcd and the bucket back to this moment: npx milvus-swarm restore --env ${context.environment} --point ${manifest.id} --yes)` };
}

// generator/deploy/phases/recoveryWindow.ts
var LOCATE_MS5 = 5e3;
var recoveryWindow = {
  name: "recovery window",
  stage: "converge",
  async run(context) {
    const backup = context.topology.backup;
    if (!backup) return passed();
    const { model } = context;
    const bucket = model.milvus.bucketName;
    const root = context.options.minio?.root;
    if (!root) {
      return passed({ notes: [`${bucket}: versioning and the ${backup.windowDays}-day recovery window left as they are: ${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (deploy.yml sets them; --credentials FILE by hand)`] });
    }
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS5);
    const client = minioClient(located.endpoints.s3, root);
    try {
      if (!await client.bucketExists(bucket)) await client.makeBucket(bucket);
      const before = await readRecoveryWindow(client, bucket);
      if (before.versioning === "Enabled" && before.windowDays === backup.windowDays) return passed({ notes: [...located.notes, `${bucket}: versioned, recovery window ${backup.windowDays} days, as the topology says`] });
      await ensureRecoveryWindow(client, bucket, backup.windowDays);
      const was = `${before.versioning === "Enabled" ? "versioned" : `versioning ${before.versioning}`}, ${before.windowDays === void 0 ? "no recovery window" : `window ${before.windowDays} days`}`;
      return passed({ notes: [...located.notes, `${bucket}: versioned, recovery window ${backup.windowDays} days (was: ${was})`] });
    } catch (error) {
      return stopped([redact(`${bucket}'s recovery window (through ${formatHostPort(located.endpoints.s3)}): ${error instanceof Error ? error.message : String(error)}`, [root.secretKey])], {
        notes: located.notes,
        stopped: { state: `the stack converged; ${bucket} is not yet versioned with the topology's ${backup.windowDays}-day window, so no recovery point can bring it back`, resume: resumeDeploy(context.environment) }
      });
    }
  }
};

// generator/deploy/phases/handEditedImages.ts
var STACK_IMAGE_LABEL = "com.docker.stack.image";
var handEditedImages = {
  name: "hand-set images",
  stage: "deploy",
  async run(context) {
    const edited = (context.live?.services ?? []).filter((service) => service.state !== "missing" && service.differences.some((difference) => difference.field === "image"));
    const notes = [];
    for (const service of edited) {
      const image = service.differences.find((difference) => difference.field === "image");
      const name = `${context.model.stack}_${service.service}`;
      const dropped = await dockerDo(context.runner, ["service", "update", "--detach", "--quiet", "--label-rm", STACK_IMAGE_LABEL, name], { timeoutMs: 6e4 });
      if (!dropped.ok) {
        return stopped([`${name} runs ${image.live}, not the rendered ${image.rendered}, and its ${STACK_IMAGE_LABEL} label could not be removed (${dropped.reason}): the stack deploy would keep ${image.live}`], {
          notes,
          stopped: { state: "no service restarted", resume: resumeDeploy(context.environment) }
        });
      }
      notes.push(`${service.service} runs ${image.live}, set by hand: the stack deploy sets the rendered ${image.rendered} again`);
    }
    return passed({ notes });
  }
};

// generator/deploy/operations/mountedDirectories.ts
function parseMountedDirectories(stdout) {
  const mounted = /* @__PURE__ */ new Map();
  for (const task of JSON.parse(stdout.trim() || "[]")) {
    if (task.Status?.State !== "running" || !task.NodeID) continue;
    const sources = mounted.get(task.NodeID) ?? /* @__PURE__ */ new Set();
    for (const mount of task.Spec?.ContainerSpec?.Mounts ?? []) if (mount.Type === "bind" && mount.Source) sources.add(mount.Source);
    mounted.set(task.NodeID, sources);
  }
  return mounted;
}
async function mountedDirectories(runner, stack, timeoutMs) {
  const ids = await dockerLines(runner, ["stack", "ps", "--quiet", "--no-trunc", "--filter", "desired-state=running", stack], { timeoutMs });
  if (!ids.ok) return /nothing found in stack/i.test(ids.error) ? { ok: true, value: /* @__PURE__ */ new Map() } : ids;
  if (ids.value.length === 0) return { ok: true, value: /* @__PURE__ */ new Map() };
  return dockerValue(runner, ["inspect", "--type", "task", ...ids.value], parseMountedDirectories, { timeoutMs });
}
function jobsStillDue(jobs, hosts, nodes, mounted) {
  const due = [];
  const present = [];
  for (const job of jobs) {
    const host = job.host === void 0 ? void 0 : hosts.find((candidate) => candidate.name === job.host);
    const node = host ? nodeOfHost(host, nodes) : void 0;
    const sources = node ? mounted.get(node.id) : void 0;
    (job.host !== void 0 && sources && job.directories.every((directory) => sources.has(directory)) ? present : due).push(job);
  }
  return { due, present };
}
function presentNote(present) {
  if (present.length === 0) return [];
  const directories = present.reduce((sum, job) => sum + job.directories.length, 0);
  return [`host preparation: no job on ${present.map((job) => job.host).join(", ")}: ${present.length === 1 ? "its" : "their"} ${directories} data ${directories === 1 ? "directory is" : "directories are"} mounted by tasks running there`];
}
async function dueJobs(runner, model, jobs, timeoutMs = 2e4) {
  if (!jobs.some((job) => job.host !== void 0)) return { due: [...jobs], present: [] };
  const [nodes, mounted] = await Promise.all([dockerValue(runner, ["node", "ls", "--format", "{{json .}}"], parseNodeList, { timeoutMs }), mountedDirectories(runner, model.stack, timeoutMs)]);
  if (!nodes.ok || !mounted.ok) return { due: [...jobs], present: [] };
  return jobsStillDue(jobs, model.hosts, nodes.value, mounted.value);
}

// generator/deploy/phases/hostPreparation.ts
var PREPARE_TIMEOUT_MS = 12e4;
var hostPreparation = {
  name: "host preparation",
  stage: "prepare",
  async run(context) {
    const { runner, model } = context;
    const jobs = prepareJobs(model, Date.now().toString(36));
    if (!jobs.ok) return stopped(jobs.problems);
    await removeLeftoverJobs(runner, model.stack);
    const { due, present } = await dueJobs(runner, model, jobs.jobs);
    const prepared = await runPrepareJobs(runner, due, context.options.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS);
    const notes = [...prepared.notes, ...prepared.done.map((line) => `prepared ${line}`), ...presentNote(present)];
    if (prepared.problems.length === 0) return passed({ notes });
    return stopped(prepared.problems, {
      notes,
      stopped: {
        state: "no service changed: the node labels are in place, and the data directories listed as prepared exist (creating a directory again is harmless)",
        resume: resumeDeploy(context.environment)
      }
    });
  }
};

// generator/deploy/phases/nodeLabels.ts
var nodeLabels = {
  name: "node labels",
  stage: "prepare",
  async run(context) {
    const labels = await applyLabels(context.runner, labelUpdates(context.model, context.nodes));
    if (labels.problems.length === 0) return passed({ notes: labels.done });
    return stopped(labels.problems, {
      notes: labels.done,
      stopped: {
        state: `no service changed; ${labels.done.length > 0 ? `only these labels were put on: ${labels.done.join("; ")}` : "no node label changed"}`,
        resume: resumeDeploy(context.environment)
      }
    });
  }
};

// generator/deploy/phases/rollingMembers.ts
import { readFile as readFile8 } from "node:fs/promises";
import path10 from "node:path";

// generator/deploy/operations/memberRoll.ts
function rollingSteps(members, running) {
  const restart = members.filter((member) => running.has(member.name) && running.get(member.name) !== member.spec).map((member) => member.name);
  if (restart.length < 2) return { restart, steps: [] };
  return { restart, steps: restart.slice(0, -1).map((_, index) => restart.slice(index + 1)) };
}
function rollOrder(members, statuses, endpoint) {
  const leader = leaderOf(statuses);
  const rank = (member) => {
    const status = statuses.find((entry) => entry.endpoint === endpoint(member.name));
    if (!status) return 0;
    return leader && status.memberId === leader.memberId ? 2 : 1;
  };
  return members.map((member, index) => ({ member, index })).sort((a, b) => rank(a.member) - rank(b.member) || a.index - b.index).map((entry) => entry.member);
}

// generator/deploy/operations/etcdHealth.ts
async function waitForEtcdHealthy(cluster, model, timeoutMs, pollMs = 1e3, signal) {
  const members = model.etcd.members.map((member) => ({ name: member.name, host: member.host, endpoint: cluster.endpoint(member.name) }));
  const started = performance.now();
  for (; ; ) {
    const answer = await cluster.etcdctl(
      members.map((member) => member.name),
      ["endpoint", "status"]
    );
    const statuses = safely(() => parseEndpointStatus(answer.stdout)) ?? [];
    const reason = !answer.ok && statuses.length === 0 ? answer.reason : ((outcome) => outcome.status === "pass" ? void 0 : outcome.reason)(judgeEndpointStatus(model.stack, members, statuses, safely(() => parseEndpointFailures(answer.stderr)) ?? /* @__PURE__ */ new Map()).outcome);
    if (reason === void 0) return { ok: true, ms: Math.round(performance.now() - started) };
    if (signal?.aborted) return { ok: false, reason, aborted: true };
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (signal?.aborted) return { ok: false, reason: "no longer asked", aborted: true };
  }
}
function safely(parse4) {
  try {
    return parse4();
  } catch {
    return void 0;
  }
}

// generator/deploy/operations/restartSeen.ts
function watchRestart(service, events) {
  let stage = "before";
  return {
    look(services) {
      const state = services.find((candidate) => candidate.name === service);
      if (!state || stage === "stale") return;
      const below = state.running < state.desired;
      if (below && stage === "back") {
        stage = "stale";
        events.downAgain();
      } else if (below) stage = "down";
      else if (stage === "down") {
        stage = "back";
        events.back();
      }
    }
  };
}

// generator/deploy/phases/rollingMembers.ts
var rollingMembers = {
  name: "rolling etcd members",
  stage: "deploy",
  async run(context) {
    const { model, runner, environment } = context;
    const stackText = await readFile8(context.composeFile, "utf8");
    const running = await runningSpecs(runner, model.stack, 2e4);
    if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
    const cluster = etcdCluster(runner, model, context.etcdctl);
    const rendered = renderedMembers(stackText);
    const together = membersTogether(context.planned);
    const rolls = !together && !context.options.allMembersAtOnce && rendered.some((member) => running.value.has(member.name) && running.value.get(member.name) !== member.spec);
    const statuses = rolls ? await cluster.statuses(rendered.map((member) => member.name)) : [];
    const rolling = rollingSteps(rollOrder(rendered, statuses, cluster.endpoint), running.value);
    const notes = [];
    if (context.options.allMembersAtOnce && rolling.restart.length > 1) {
      notes.push(`etcd members ${rolling.restart.join(", ")} restart together (--all-members-at-once): quorum is lost until they are back`);
      rolling.steps = [];
    } else if (together && rolling.restart.length > 1) {
      notes.push(`etcd members ${rolling.restart.join(", ")} restart together (the plan: ${together.reason ?? together.id}): quorum is lost until they are back`);
      rolling.steps = [];
    }
    let rows;
    for (const [index, heldBack] of rolling.steps.entries()) {
      const rolled = await rollAlone(context, { stackText, cluster, member: rolling.restart[index], heldBack, done: rolling.restart.slice(0, index) });
      rows = rolled.rows ?? rows;
      if (!rolled.ok) return { ...rolled.result, notes: [...notes, ...rolled.result.notes ?? []], ...rolled.result.rows ? {} : rows ? { rows } : {} };
      notes.push(...rolled.notes);
    }
    if (rolling.restart.length > 0 && rolls) {
      const last = rolling.restart.at(-1);
      const away = await readyToRestart(cluster, context, last);
      const done = rolling.restart.slice(0, -1);
      if (!away.ok) return stopped([`before restarting ${last}: ${away.reason}`], { notes, ...rows ? { rows } : {}, stopped: { state: `${done.length > 0 ? `${done.join(", ")} run the new spec; ` : ""}${last} still runs the previous spec`, resume: resumeDeploy(environment) } });
      notes.push(away.note);
      if (rolling.steps.length > 0) notes.push(`rolled etcd member ${last} last, with the whole stack`);
    }
    return passed({ notes, ...rows ? { rows } : {} });
  }
};
var MEMBER_SETTLE_MS = UPDATE_MONITOR_SECONDS * 1e3;
async function rollAlone(context, step) {
  const { model, runner, log, environment } = context;
  const { member, heldBack, done } = step;
  const stop = (what, revertMember) => ({
    stopped: {
      state: `${done.length > 0 ? `${done.join(", ")} run${done.length === 1 ? "s" : ""} the new spec; ` : ""}${member} ${what}; ${heldBack.join(", ")} still run${heldBack.length === 1 ? "s" : ""} the previous spec`,
      resume: resumeDeploy(environment),
      ...revertMember ? { revert: rollbackServices([`${model.stack}_${member}`]) } : {}
    }
  });
  const started = performance.now();
  const laps = [];
  let lapStarted = started;
  const lap = (what) => {
    const now = performance.now();
    laps.push(`${what} ${((now - lapStarted) / 1e3).toFixed(1)} s`);
    lapStarted = now;
  };
  const away = await readyToRestart(step.cluster, context, member);
  if (!away.ok) return { ok: false, result: stopped([`before restarting ${member}: ${away.reason}`], stop("was not touched", false)) };
  lap("leadership checked");
  log(`deploy ${environment}: etcd member ${member} first, holding back ${heldBack.join(", ")}`);
  const file = await writeStepFile(stackWithout(step.stackText, [...heldBack, model.etcd.proxy.name], path10.dirname(context.composeFile)));
  const stopEarly = new AbortController();
  try {
    const since = /* @__PURE__ */ new Date();
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
    if (!deployed.ok) return { ok: false, result: { ...stopped([deployed.error ?? "docker stack deploy failed"], stop("may or may not have been updated", true)), notes: [away.note] } };
    lap("stack deploy");
    const { converged, healthy, early } = await settledAndAnswering(context, step.cluster, member, since, stopEarly.signal, lap);
    const rows = rowsOf(context, converged);
    if (!converged.ok) {
      const failed = convergeFailed(context, converged, "");
      return { ok: false, rows, result: { ...failed, notes: [away.note], ...stop(`was updated and did not converge (${converged.message})`, true) } };
    }
    if (!healthy?.ok) {
      const reason = healthy?.reason ?? "not asked";
      const next = allAtOnceAdvice(context, ", or, when every member needs this change to recover, deploy with --all-members-at-once", reason) || ` (roll ${member} back: it may run on data that is not its own)`;
      const problem = `etcd is not healthy after ${member} restarted, so ${heldBack.join(", ")} were not touched: ${reason} \u2014 fix etcd${next}`;
      return { ok: false, rows, result: { ...stopped([problem], stop(`restarted on the new spec and etcd is not healthy (${reason})`, true)), notes: [away.note] } };
    }
    lap(early ? "every member answering (asked from its start)" : "every member answering");
    return { ok: true, rows, notes: [away.note, `rolled etcd member ${member} alone in ${((performance.now() - started) / 1e3).toFixed(1)} s (${laps.join(", ")}), then every member answered with one leader`] };
  } finally {
    stopEarly.abort();
    await file.remove();
  }
}
async function settledAndAnswering(context, cluster, member, since, signal, lap) {
  const { model } = context;
  const healthTimeoutMs = model.swarm.deployTimeoutSeconds * 1e3;
  const stopThisWait = new AbortController();
  signal.addEventListener("abort", () => stopThisWait.abort(), { once: true });
  let early;
  const restart = watchRestart(`${model.stack}_${member}`, {
    back: () => {
      early = waitForEtcdHealthy(cluster, model, healthTimeoutMs, void 0, stopThisWait.signal).catch((error) => ({ ok: false, reason: `etcd's health could not be asked: ${error instanceof Error ? error.message : String(error)}`, aborted: true }));
    },
    downAgain: () => {
      stopThisWait.abort();
      early = void 0;
    }
  });
  const converged = await waitForStack(context, since, MEMBER_SETTLE_MS, (services) => restart.look(services));
  lap("restarted and settled");
  if (!converged.ok) return { converged, early: false };
  const answered = early ? await early : void 0;
  if (answered && (answered.ok || answered.aborted !== true)) return { converged, healthy: answered, early: answered.ok };
  return { converged, healthy: await waitForEtcdHealthy(cluster, model, healthTimeoutMs), early: false };
}
function membersTogether(planned) {
  return planned.flatMap((change) => change.steps ?? []).find((step) => step.kind === "stack-deploy" && step.etcdMembers === "together");
}

// generator/deploy/phases/stackDeploy.ts
var stackDeploy = {
  name: "stack deploy",
  stage: "deploy",
  async run(context) {
    const since = /* @__PURE__ */ new Date();
    const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: context.composeFile });
    if (!deployed.ok) {
      return stopped([deployed.error ?? "docker stack deploy failed"], {
        stopped: { state: "swarm may have taken part of the stack file: services it updated roll on by themselves, the others run their previous spec", resume: resumeDeploy(context.environment) }
      });
    }
    context.stackDeployedAt = since;
    return passed();
  }
};

// generator/deploy/phases/verifyUser.ts
var LOCATE_MS6 = 5e3;
var verifyUser = {
  name: "verify user",
  stage: "converge",
  async run(context) {
    const { model } = context;
    const { root, verify } = context.options.minio ?? {};
    const state = `the stack converged; verify's MinIO user was not made what the topology says`;
    if (!root && !verify) {
      return passed({ notes: [`verify's MinIO user left as it is: ${USER_VARIABLE}/${PASSWORD_VARIABLE} and ${VERIFY_USER_VARIABLE}/${VERIFY_PASSWORD_VARIABLE} are not set (deploy.yml sets them; --credentials FILE by hand)`] });
    }
    if (!root || !verify) {
      const missing = root ? `${VERIFY_USER_VARIABLE}/${VERIFY_PASSWORD_VARIABLE}` : `${USER_VARIABLE}/${PASSWORD_VARIABLE}`;
      return stopped([`verify's MinIO user: ${missing} not set; deploy makes the user with root's pair and verify's pair together: set both (the swarm secrets' values)`], {
        stopped: { state, resume: resumeDeploy(context.environment) }
      });
    }
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS6);
    const admin = minioAdminFor(model, located.endpoints.s3, root);
    const changes = [];
    const { outcome: result, waitedMs } = await whileMinioInitializes(
      async () => {
        const attempt = await ensureVerifyUser(admin, model, verify);
        changes.push(...attempt.changes);
        return attempt;
      },
      (attempt) => !attempt.ok && isStillInitializing(attempt.problem)
    );
    const secrets = [root.secretKey, verify.secretKey];
    const waited = waitedMs > 0 ? [`verify's MinIO user: waited ${(waitedMs / 1e3).toFixed(1)} s for MinIO to finish initializing (it answered "Server not initialized")`] : [];
    const notes = [...located.notes, ...waited, ...changes.map((change) => `verify's MinIO user: ${change}`)];
    if (!result.ok) {
      return stopped([redact(`verify's MinIO user (through ${formatHostPort(located.endpoints.s3)}): ${result.problem}`, secrets)], {
        notes,
        stopped: { state, resume: resumeDeploy(context.environment) }
      });
    }
    return passed({ notes: notes.length > 0 ? notes : [`verify's MinIO user: as the topology says`] });
  }
};

// generator/deploy/phases/index.ts
var DEPLOY_PHASES = [
  preflight,
  // What the cluster survives before the change (read only): the report shows it beside the figure after.
  failureBudgetBefore,
  // Before anything changes: a care or destructive plan is undoable only from a point made now.
  recoveryPointFirst,
  nodeLabels,
  hostPreparation,
  // Prometheus's and Alertmanager's files into their data dirs, before a new task could start on them.
  monitoringFiles,
  // The plan's membership steps and pool drains, before any member or node restarts on the new stack file.
  planStepsBefore,
  orphanRemoval,
  // An image set by hand would survive the stack deploy (phases/handEditedImages.ts says why).
  handEditedImages,
  minioNodesFirst,
  rollingMembers,
  stackDeploy,
  converge,
  proxyRefresh,
  minioServing,
  // What this deploy changed of their files, reloaded without a restart.
  monitoringReload,
  // What the new stack file no longer runs (a decommissioned pool's nodes), once the rest serves without it.
  planStepsAfter,
  buckets,
  verifyUser,
  failureBudgetAfter,
  recoveryWindow,
  prune,
  record
];

// generator/deploy/runner/runPhases.ts
async function runPhases(phases, context, report, now = () => performance.now()) {
  let stageStarted = now();
  const closeStage = () => report.timings.push({ phase: report.phase, ms: Math.round(now() - stageStarted) });
  const enter = (stage) => {
    closeStage();
    report.phase = stage;
    stageStarted = now();
    context.log(`deploy ${context.environment}: ${stage}`);
  };
  for (const phase of phases) {
    if (phase.stage !== report.phase) enter(phase.stage);
    const phaseStarted = now();
    const result = await phase.run(context);
    report.phaseTimes.push({ name: phase.name, ms: Math.round(now() - phaseStarted) });
    report.notes.push(...result.notes ?? []);
    report.problems.push(...result.problems ?? []);
    if (result.rows) report.rows = result.rows;
    if (result.failures) report.failures = result.failures;
    if (result.recoveryPoint) report.recoveryPoint = result.recoveryPoint;
    if (result.failureBudget) report.failureBudget = { ...report.failureBudget, ...result.failureBudget };
    if (!result.ok) {
      if (result.stopped) report.stopped = { phase: phase.name, ...result.stopped };
      closeStage();
      return report;
    }
  }
  report.ok = true;
  enter("done");
  return report;
}

// generator/deploy/deploy.ts
async function runDeploy(options, phases = DEPLOY_PHASES) {
  const loaded = await loadEnvironment(options.root, options.environment);
  const report = {
    environment: options.environment,
    stack: loaded.ok ? loaded.model.stack : "",
    ok: false,
    phase: "topology",
    topologyProblems: loaded.ok ? loaded.warnings : loaded.problems,
    problems: [],
    notes: [],
    rows: [],
    failures: [],
    timings: [],
    phaseTimes: []
  };
  if (!loaded.ok) {
    report.problems.push(`${loaded.source.file} is invalid: fix it before deploying`);
    return report;
  }
  const context = {
    options,
    runner: options.runner,
    log: options.log,
    environment: options.environment,
    source: loaded.source,
    topology: loaded.topology,
    model: loaded.model,
    composeFile: path11.join(options.root, RENDERED_DIR, options.environment, "stack.yaml"),
    nodes: [],
    planned: [],
    steps: [],
    progress: { lastMs: 0 }
  };
  const probe = etcdctlProbe(options.runner, etcdTarget(loaded.model));
  context.etcdctl = probe.call;
  try {
    return await runPhases(phases, context, report);
  } finally {
    await probe.close();
  }
}

// generator/deploy/report.ts
var REPORT_COLUMNS = [
  { title: "service", text: (row) => row.service },
  { title: "image", text: (row) => row.image },
  { title: "replicas", text: (row) => row.replicas },
  { title: "placement", text: (row) => row.placement },
  { title: "state", text: (row) => row.state }
];
var formatReportText = (rows) => textTable(REPORT_COLUMNS, rows);
var deployVerdict = (report) => `deploy ${report.environment}: ${report.ok ? "converged" : `failed in ${report.phase}`}`;
function formatStopPoint(report) {
  const stop = report.stopped;
  if (!stop) return [];
  const where = stop.step ? `${stop.phase}, step ${stop.step.number} of ${stop.step.of} (${stop.step.id})` : stop.phase;
  return [`stopped in ${where}: ${stop.state}`, `to resume once the cause is fixed: ${stop.resume}`, ...stop.revert ? [`to revert it: ${stop.revert}`] : []];
}
function phaseTimings(report) {
  return report.timings.filter((timing) => timing.phase !== "topology").map((timing) => `${timing.phase} ${(timing.ms / 1e3).toFixed(1)} s`).join(", ");
}
function slowestPhases(report, count = 5) {
  const slow = report.phaseTimes.filter((time) => time.ms >= 500).sort((a, b) => b.ms - a.ms).slice(0, count);
  return slow.length === 0 ? "" : `slowest phases: ${slow.map((time) => `${time.name} ${(time.ms / 1e3).toFixed(1)} s`).join(", ")}`;
}
function failureBudgetLines(report) {
  const budget = report.failureBudget;
  if (!budget) return [];
  return [...budget.before ? [`failure budget before: ${budget.before}`] : [], ...budget.after ? [`failure budget after: ${budget.after}`] : []];
}

// generator/commands/deploy.ts
async function deployCommand(options, io, runner = processDocker) {
  if (!options.environment) throw new UsageError("deploy needs --env NAME (one of environments/*.yaml)");
  assertEnvironmentName(options.environment);
  const resolveImage = options.resolveImage;
  if (resolveImage !== void 0 && !isResolveImage(resolveImage)) throw new UsageError(`--resolve-image ${resolveImage}: expected one of ${RESOLVE_IMAGE.join(", ")}`);
  await assertRepositoryRoot(io.cwd);
  const fileValues = await readEnvFile(io.cwd, options.envFile);
  const report = await runDeploy({
    root: io.cwd,
    environment: options.environment,
    runner: dockerFor(fileValues, runner),
    log: io.err,
    ...resolveImage ? { resolveImage } : {},
    ...options.allMembersAtOnce ? { allMembersAtOnce: true } : {},
    ...io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {},
    // The file named on the command line beats the inherited environment (as verify reads them).
    minio: { root: rootCredentialsFrom(fileValues, io.env), verify: verifyUserCredentialsFrom(fileValues, io.env) },
    ...options.noRecoveryPoint ? { noRecoveryPoint: true } : {},
    backupValues: [fileValues, io.env]
  });
  for (const problem of report.topologyProblems) io.err(formatProblem(problem));
  for (const note of report.notes) io.err(note);
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else if (report.rows.length > 0) io.out(formatReportText(report.rows));
  for (const line of failureBudgetLines(report)) io.err(line);
  for (const problem of report.problems) io.err(`error: ${problem}`);
  for (const line of formatStopPoint(report)) io.err(line);
  const slowest = slowestPhases(report);
  if (slowest) io.err(`deploy ${report.environment}: ${slowest}`);
  io.err(
    report.ok ? `${deployVerdict(report)} (${phaseTimings(report)})` : `${deployVerdict(report)}${report.phase === "preflight" || report.phase === "topology" ? ", nothing was changed" : ""} (${report.problems.length} problem${report.problems.length === 1 ? "" : "s"})`
  );
  return report.ok ? EXIT.ok : EXIT.failed;
}
export {
  deployCommand
};
