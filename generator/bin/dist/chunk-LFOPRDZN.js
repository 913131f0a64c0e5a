import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  nodeList,
  nodeOfHost,
  secretNames
} from "./chunk-PPBAKJUH.js";
import {
  dockerJson,
  dockerLines
} from "./chunk-LB2O7ATV.js";
import {
  ROLE_LABEL
} from "./chunk-7RFT6GXS.js";
import {
  looksLikeCredentialName,
  require_dist
} from "./chunk-K5CMLZDE.js";
import {
  __toESM
} from "./chunk-F2OZ5ZEY.js";

// generator/diff/compare.ts
var NOT_SET = "(not set)";
var HIDDEN = "(value not shown)";
var show = (value) => {
  if (value === void 0) return NOT_SET;
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((entry) => typeof entry === "string" ? entry : JSON.stringify(entry)).join(" ");
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? "(none)" : entries.map(([key, entry]) => `${key}=${typeof entry === "string" ? entry : JSON.stringify(entry)}`).join(", ");
  }
  return String(value);
};
var canonical = (value) => JSON.stringify(value, (_, entry) => entry && typeof entry === "object" && !Array.isArray(entry) ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => a.localeCompare(b))) : entry);
var same = (a, b) => canonical(a) === canonical(b);
function listDifference(field, live, rendered, restarts) {
  if (same(live, rendered)) return [];
  const onlyLive = live.filter((entry) => !rendered.includes(entry));
  const onlyRendered = rendered.filter((entry) => !live.includes(entry));
  if (onlyLive.length === 0 && onlyRendered.length === 0) return [{ field: `${field} (order)`, live: show(live), rendered: show(rendered), restarts }];
  return [{ field, live: show(onlyLive), rendered: show(onlyRendered), restarts }];
}
function environmentDifferences(live, rendered) {
  const names = [.../* @__PURE__ */ new Set([...Object.keys(live), ...Object.keys(rendered)])].sort();
  return names.filter((name) => live[name] !== rendered[name]).map((name) => {
    const secret = looksLikeCredentialName(name);
    const side = (value) => value === void 0 ? NOT_SET : secret ? HIDDEN : value;
    return { field: `environment ${name}`, live: side(live[name]), rendered: side(rendered[name]), restarts: true };
  });
}
function compareShapes(live, rendered) {
  const differences = [];
  const field = (name, liveValue, renderedValue, restarts) => {
    if (!same(liveValue, renderedValue)) differences.push({ field: name, live: show(liveValue), rendered: show(renderedValue), restarts });
  };
  field("image", live.image, rendered.image, true);
  differences.push(...listDifference("entrypoint", live.entrypoint, rendered.entrypoint, true));
  differences.push(...listDifference("command", live.args, rendered.args, true));
  field("hostname", live.hostname || void 0, rendered.hostname || void 0, true);
  differences.push(...environmentDifferences(live.environment, rendered.environment));
  field("mounts", live.mounts.map(mountText), rendered.mounts.map(mountText), true);
  field("secrets", live.secrets.map((secret) => `${secret.name}\u2192${secret.target}`), rendered.secrets.map((secret) => `${secret.name}\u2192${secret.target}`), true);
  field("configs", live.configs.map((config) => `${config.name}\u2192${config.target}`), rendered.configs.map((config) => `${config.name}\u2192${config.target}`), true);
  field("ports", live.ports.map(portText), rendered.ports.map(portText), true);
  field("networks", live.networks, rendered.networks, true);
  field("placement", live.constraints, rendered.constraints, true);
  field("max replicas per node", live.maxReplicasPerNode || void 0, rendered.maxReplicasPerNode || void 0, true);
  field("healthcheck", live.healthcheck, rendered.healthcheck, true);
  field("sysctls", live.sysctls, rendered.sysctls, true);
  field("restart policy", live.restart, rendered.restart, true);
  field("endpoint mode", live.endpointMode, rendered.endpointMode, true);
  field("mode", live.mode, rendered.mode, true);
  field("replicas", live.replicas, rendered.replicas, false);
  field("labels", live.labels, rendered.labels, false);
  field("update config", live.update, rendered.update, false);
  field("rollback config", live.rollback, rendered.rollback, false);
  return differences;
}
var mountText = (mount) => `${mount.type}:${mount.source}\u2192${mount.target}${mount.readOnly ? ":ro" : ""}`;
var portText = (port) => `${port.published}\u2192${port.target}/${port.protocol} (${port.mode})`;

// generator/diff/liveStack.ts
var CALL_MS = 2e4;
var fromFact = (fact, what) => {
  if (!fact.ok) throw new Error(`${what}: ${fact.error}: run diff on a manager of the environment's swarm (DOCKER_HOST, --credentials FILE)`);
  return fact.value;
};
async function readLiveStack(runner, stack) {
  const [byLabel, byName, networkLines, nodes, secrets] = await Promise.all([
    dockerLines(runner, ["service", "ls", "--quiet", "--filter", `label=com.docker.stack.namespace=${stack}`], { timeoutMs: CALL_MS }),
    // A service created by hand (`docker service create --name milvus_etcd1`) carries no namespace label.
    dockerLines(runner, ["service", "ls", "--format", "{{.ID}} {{.Name}}", "--filter", `name=${stack}_`], { timeoutMs: CALL_MS }),
    dockerLines(runner, ["network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}}"], { timeoutMs: CALL_MS }),
    nodeList(runner, CALL_MS),
    secretNames(runner)
  ]);
  const named = fromFact(byName, "docker service ls").map((line) => line.split(" ")).filter(([, name]) => name?.startsWith(`${stack}_`)).map(([id]) => id);
  const ids = [.../* @__PURE__ */ new Set([...fromFact(byLabel, "docker service ls"), ...named])];
  const services = ids.length === 0 ? [] : fromFact(await dockerJson(runner, ["service", "inspect", ...ids], { timeoutMs: CALL_MS }), "docker service inspect");
  const taskNodes = /* @__PURE__ */ new Map();
  if (services.length > 0) {
    const tasks = fromFact(
      await dockerLines(runner, ["service", "ps", "--filter", "desired-state=running", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}", ...services.map((service) => service.ID)], { timeoutMs: CALL_MS }),
      "docker service ps"
    );
    for (const line of tasks) {
      const [task, node, state] = line.split(" ");
      if (!task || !node || !state?.startsWith("Running")) continue;
      const service = task.slice(0, task.lastIndexOf("."));
      taskNodes.set(service, [.../* @__PURE__ */ new Set([...taskNodes.get(service) ?? [], node])].sort());
    }
  }
  return {
    services,
    networks: new Map(fromFact(networkLines, "docker network ls").map((line) => line.split(" "))),
    nodes: fromFact(nodes, "docker node ls"),
    secrets: fromFact(secrets, "docker secret ls"),
    taskNodes
  };
}

// generator/diff/serviceShape.ts
var import_yaml = __toESM(require_dist(), 1);
var DURATION_UNITS = { ns: 1e-6, us: 1e-3, \u00B5s: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function durationMs(text) {
  if (text === void 0) return void 0;
  if (typeof text === "number") return text * 1e3;
  let total = 0;
  let matched = "";
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]];
    matched += part[0];
  }
  return matched === text ? total : void 0;
}
var nanosToMs = (value) => value === void 0 ? void 0 : value / 1e6;
function defined(record) {
  return Object.fromEntries(Object.entries(record).filter((entry) => entry[1] !== void 0 && entry[1] !== 0 && entry[1] !== ""));
}
var SWARM_DEFAULTS = { failureAction: "pause", order: "stop-first", monitorMs: 5e3 };
function withoutDefaults(config) {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => SWARM_DEFAULTS[key] !== value));
}
var sortMounts = (mounts) => [...mounts].sort((a, b) => a.target.localeCompare(b.target));
var sortPorts = (ports) => [...ports].sort((a, b) => a.published - b.published || a.target - b.target);
var byTarget = (entries) => [...entries].sort((a, b) => a.target.localeCompare(b.target));
var list = (value) => value === void 0 ? [] : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);
function updateShape(config) {
  return withoutDefaults(defined({
    parallelism: config?.parallelism ?? 1,
    delayMs: durationMs(config?.delay),
    failureAction: config?.failure_action,
    monitorMs: durationMs(config?.monitor),
    maxFailureRatio: config?.max_failure_ratio,
    order: config?.order
  }));
}
function shapesFromCompose(stackText, stack) {
  const compose = composeInterpolated((0, import_yaml.parse)(stackText) ?? {});
  const scoped = (kind, key) => compose[kind]?.[key]?.name ?? `${stack}_${key}`;
  const shapes = /* @__PURE__ */ new Map();
  for (const [name, service] of Object.entries(compose.services ?? {})) shapes.set(name, shapeFromComposeService(name, service, scoped));
  return shapes;
}
function composeInterpolated(value) {
  if (typeof value === "string") return value.replace(/\$\$/g, "$");
  if (Array.isArray(value)) return value.map(composeInterpolated);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, composeInterpolated(item)]));
  return value;
}
function shapeFromComposeService(name, service, scoped) {
  const deploy = service.deploy ?? {};
  const environment = Array.isArray(service.environment) ? Object.fromEntries(service.environment.map((entry) => [entry.split("=")[0], entry.slice(entry.indexOf("=") + 1)])) : Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? "" : String(value)]));
  const health = service.healthcheck;
  return {
    name,
    image: service.image ?? "",
    entrypoint: list(service.entrypoint),
    args: list(service.command),
    hostname: service.hostname ?? "",
    environment,
    mounts: sortMounts(
      (service.volumes ?? []).map(
        (volume) => typeof volume === "string" ? { type: volume.startsWith("/") ? "bind" : "volume", source: volume.split(":")[0], target: volume.split(":")[1] ?? "", readOnly: volume.split(":")[2] === "ro" } : { type: volume.type ?? "volume", source: volume.source ?? "", target: volume.target ?? "", readOnly: volume.read_only === true }
      )
    ),
    secrets: byTarget((service.secrets ?? []).map((secret) => typeof secret === "string" ? { name: scoped("secrets", secret), target: secret } : { name: scoped("secrets", secret.source), target: secret.target ?? secret.source })),
    configs: byTarget((service.configs ?? []).map((config) => typeof config === "string" ? { name: scoped("configs", config), target: `/${config}` } : { name: scoped("configs", config.source), target: config.target ?? `/${config.source}` })),
    ports: sortPorts(
      (service.ports ?? []).map((port) => {
        if (typeof port !== "string") return { target: port.target, published: port.published ?? 0, protocol: port.protocol ?? "tcp", mode: port.mode ?? "ingress" };
        const [published, target] = port.split(":").map(Number);
        return { target: target ?? published, published, protocol: "tcp", mode: "ingress" };
      })
    ),
    networks: (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? { default: null })).map((network) => scoped("networks", network)).sort(),
    constraints: [...deploy.placement?.constraints ?? []].sort(),
    maxReplicasPerNode: deploy.placement?.max_replicas_per_node ?? 0,
    mode: deploy.mode ?? "replicated",
    ...(deploy.mode ?? "replicated") === "replicated" ? { replicas: deploy.replicas ?? 1 } : {},
    endpointMode: deploy.endpoint_mode ?? "vip",
    labels: { ...deploy.labels ?? {} },
    restart: defined({
      condition: deploy.restart_policy?.condition ?? "any",
      delayMs: durationMs(deploy.restart_policy?.delay) ?? 5e3,
      maxAttempts: deploy.restart_policy?.max_attempts,
      windowMs: durationMs(deploy.restart_policy?.window)
    }),
    update: updateShape(deploy.update_config),
    rollback: updateShape(deploy.rollback_config),
    ...health ? {
      healthcheck: health.disable ? { test: ["NONE"] } : {
        test: typeof health.test === "string" ? ["CMD-SHELL", health.test] : health.test ?? [],
        ...defined({ intervalMs: durationMs(health.interval), timeoutMs: durationMs(health.timeout), retries: health.retries, startPeriodMs: durationMs(health.start_period) })
      }
    } : {},
    sysctls: Object.fromEntries(Object.entries(service.sysctls ?? {}).map(([key, value]) => [key, String(value)]))
  };
}
function liveUpdate(config) {
  return withoutDefaults(
    defined({
      parallelism: config?.Parallelism ?? 1,
      delayMs: nanosToMs(config?.Delay),
      failureAction: config?.FailureAction,
      monitorMs: nanosToMs(config?.Monitor),
      maxFailureRatio: config?.MaxFailureRatio,
      order: config?.Order
    })
  );
}
function shapeFromInspect(inspect, stack, networkNames) {
  const spec = inspect.Spec;
  const container = spec.TaskTemplate.ContainerSpec ?? {};
  const health = container.Healthcheck;
  const restart = spec.TaskTemplate.RestartPolicy;
  return {
    name: spec.Name.startsWith(`${stack}_`) ? spec.Name.slice(stack.length + 1) : spec.Name,
    image: (container.Image ?? "").replace(/@sha256:[0-9a-f]+$/, ""),
    entrypoint: container.Command ?? [],
    args: container.Args ?? [],
    hostname: container.Hostname ?? "",
    environment: Object.fromEntries((container.Env ?? []).map((entry) => [entry.split("=")[0], entry.slice(entry.indexOf("=") + 1)])),
    mounts: sortMounts((container.Mounts ?? []).map((mount) => ({ type: mount.Type ?? "volume", source: mount.Source ?? "", target: mount.Target ?? "", readOnly: mount.ReadOnly === true }))),
    secrets: byTarget((container.Secrets ?? []).map((secret) => ({ name: secret.SecretName ?? "", target: secret.File?.Name ?? "" }))),
    configs: byTarget((container.Configs ?? []).map((config) => ({ name: config.ConfigName ?? "", target: config.File?.Name ?? "" }))),
    ports: sortPorts((spec.EndpointSpec?.Ports ?? []).map((port) => ({ target: port.TargetPort ?? 0, published: port.PublishedPort ?? 0, protocol: port.Protocol ?? "tcp", mode: port.PublishMode ?? "ingress" }))),
    networks: (spec.TaskTemplate.Networks ?? []).map((network) => networkNames.get(network.Target) ?? network.Target).sort(),
    constraints: [...spec.TaskTemplate.Placement?.Constraints ?? []].sort(),
    maxReplicasPerNode: spec.TaskTemplate.Placement?.MaxReplicas ?? 0,
    mode: spec.Mode.Global ? "global" : "replicated",
    ...spec.Mode.Global ? {} : { replicas: spec.Mode.Replicated?.Replicas ?? 1 },
    endpointMode: spec.EndpointSpec?.Mode ?? "vip",
    labels: Object.fromEntries(Object.entries(spec.Labels ?? {}).filter(([key]) => !key.startsWith("com.docker."))),
    restart: defined({ condition: restart?.Condition ?? "any", delayMs: nanosToMs(restart?.Delay) ?? 5e3, maxAttempts: restart?.MaxAttempts, windowMs: nanosToMs(restart?.Window) }),
    update: liveUpdate(spec.UpdateConfig),
    rollback: liveUpdate(spec.RollbackConfig),
    ...health ? {
      healthcheck: health.Test?.[0] === "NONE" ? { test: ["NONE"] } : { test: health.Test ?? [], ...defined({ intervalMs: nanosToMs(health.Interval), timeoutMs: nanosToMs(health.Timeout), retries: health.Retries, startPeriodMs: nanosToMs(health.StartPeriod) }) }
    } : {},
    sysctls: container.Sysctls ?? {}
  };
}

// generator/diff/diff.ts
var DATA_FIELDS = /^(mounts|command|entrypoint|placement|environment ETCD_DATA_DIR|hostname)/;
function deployAction(service, state, differences) {
  if (state === "missing") return "create it";
  if (differences.length === 0) return state === "takeover" ? "label it as milvus-swarm's (no restart)" : "nothing";
  if (!differences.some((difference) => difference.restarts)) {
    const replicas = differences.find((difference) => difference.field === "replicas");
    const scale = replicas ? `scale it from ${replicas.live} to ${replicas.rendered} task${replicas.rendered === "1" ? "" : "s"}` : "";
    return differences.length === (replicas ? 1 : 0) ? scale : `${scale ? `${scale}; ` : ""}update it in place, no restart`;
  }
  switch (service.role) {
    case "etcd-member":
      return "restart it alone, one member at a time, the leader last (etcd keeps quorum)";
    case "minio-node":
      return "restart every MinIO node together, before the load balancer (S3 pauses until all are back)";
    default:
      return service.replicas > 1 ? "restart its tasks one at a time (the others serve meanwhile)" : "restart it";
  }
}
function dataAtStake(service, differences) {
  if (!service.stateful) return void 0;
  const touching = differences.filter((difference) => DATA_FIELDS.test(difference.field)).map((difference) => difference.field);
  if (touching.length === 0) return void 0;
  const data = service.role === "etcd-member" ? "etcd's data" : "MinIO's drives";
  return `${data}: ${[...new Set(touching)].join(", ")} decide which directory it starts on`;
}
function buildDiff(model, rendered, live) {
  const prefix = `${model.stack}_`;
  const byName = new Map(live.services.map((service) => [service.Spec.Name, service]));
  const services = model.services.map((service) => {
    const inspect = byName.get(`${prefix}${service.name}`);
    const runsOn = live.taskNodes.get(`${prefix}${service.name}`) ?? [];
    const wanted = rendered.get(service.name);
    if (!inspect || !wanted) return { service: service.name, role: service.role, state: "missing", differences: [], deploy: "create it", runsOn };
    const differences = compareShapes(shapeFromInspect(inspect, model.stack, live.networks), wanted);
    const ours = inspect.Spec.Labels?.[ROLE_LABEL] !== void 0;
    const state = !ours ? "takeover" : differences.length === 0 ? "in-sync" : "differs";
    const stake = dataAtStake(service, differences);
    return { service: service.name, role: service.role, state, differences, deploy: deployAction(service, state, differences), ...stake ? { dataAtStake: stake } : {}, runsOn };
  });
  const renderedNames = new Set(model.services.map((service) => `${prefix}${service.name}`));
  const others = live.services.filter((service) => !renderedNames.has(service.Spec.Name));
  const foreign = others.filter((service) => service.Spec.Labels?.[ROLE_LABEL] === void 0).map((service) => service.Spec.Name).sort();
  const orphans = others.filter((service) => service.Spec.Labels?.[ROLE_LABEL] !== void 0).map((service) => service.Spec.Name).sort();
  const nodeLabels = model.hosts.flatMap((host) => {
    const node = nodeOfHost(host, live.nodes);
    const lacking = Object.entries(host.labels).filter(([key, value]) => node?.labels[key] !== value);
    if (lacking.length === 0) return [];
    const labels = lacking.map(([key, value]) => `${key}=${value}`).join(", ");
    return [node ? `node ${node.hostname} (host ${host.name}) lacks ${labels}: deploy puts ${lacking.length === 1 ? "it" : "them"} on` : `host ${host.name} is no node of this swarm: deploy refuses until it joins (${labels})`];
  });
  const missingSecrets = model.secrets.filter((secret) => !live.secrets.includes(secret.name)).map((secret) => secret.name);
  const takeover = services.some((service) => service.state === "takeover");
  const inSync = services.every((service) => service.state === "in-sync") && orphans.length === 0 && nodeLabels.length === 0 && missingSecrets.length === 0;
  return { environment: model.environment, stack: model.stack, services, foreign, orphans, nodeLabels, missingSecrets, takeover, inSync };
}
async function runDiff(model, stackText, runner) {
  const live = await readLiveStack(runner, model.stack);
  return buildDiff(model, shapesFromCompose(stackText, model.stack), live);
}

export {
  compareShapes,
  readLiveStack,
  shapesFromCompose,
  shapeFromInspect,
  buildDiff,
  runDiff
};
