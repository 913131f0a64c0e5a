import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  swarmConstraints
} from "./chunk-C6KIAFBQ.js";
import {
  composeLiterals,
  generatedHeader,
  toYaml
} from "./chunk-MQ2ZPAUY.js";

// generator/render/stack.ts
import { createHash } from "node:crypto";
var LABEL_PREFIX = "io.milvus-swarm";
var ROLE_LABEL = `${LABEL_PREFIX}.role`;
var SPEC_LABEL = `${LABEL_PREFIX}.spec`;
function renderStack(model, configs) {
  const services = Object.fromEntries(model.services.map((service) => [service.name, renderService(model, service)]));
  const stack = {
    version: "3.8",
    services,
    networks: {
      [model.network.key]: { driver: "overlay", attachable: model.network.attachable }
    },
    configs: Object.fromEntries(configs.map((config) => [config.key, { name: config.name, file: config.file }])),
    // Only what a service mounts: the stack has no use for the other external secrets (verify's user's).
    secrets: Object.fromEntries(
      model.secrets.filter((secret) => model.services.some((service) => service.secrets.some((mounted) => mounted.key === secret.key))).map((secret) => [secret.key, { external: true, name: secret.name }])
    )
  };
  return `${generatedHeader("#", model.source)}# Deploy: npx milvus-swarm deploy --env ${model.environment} (by hand: docker stack deploy --compose-file stack.yaml --with-registry-auth${model.swarm.resolveImage === "always" ? "" : ` --resolve-image ${model.swarm.resolveImage}`} ${model.stack}, never with --prune)
${toYaml(composeLiterals(stack), ["entrypoint", "test", "constraints", "networks"])}`;
}
var UPDATE_MONITOR_SECONDS = 2;
function renderService(model, service) {
  const hostModePorts = service.ports.length > 0 && model.swarm.publishMode === "host";
  const monitor = `${UPDATE_MONITOR_SECONDS}s`;
  const update = service.stateful ? (
    // Stateful: never two copies on one data dir, one member at a time so quorum holds. Each member and node is its
    // own service of one task, so swarm's `delay` (a pause after each task) and a long `monitor` only add to every
    // step of deploy's own roll, which waits between members until every member answers with one leader
    // (deploy/phases/rollingMembers.ts).
    { parallelism: 1, order: "stop-first", failure_action: "rollback", monitor }
  ) : (
    // A host-mode port cannot be bound twice on a node, so start-first only works with ingress. A rollout of two
    // replicas waits 4 s of watching, not 40.
    // Without ports (the network anchor) start-first: the node never leaves the network while its task is replaced.
    { parallelism: 1, order: hostModePorts ? "stop-first" : "start-first", failure_action: "rollback", monitor }
  );
  const constraints = swarmConstraints(service.placement);
  const block = {
    image: service.image,
    ...service.hostname ? { hostname: service.hostname } : {},
    ...service.user ? { user: service.user } : {},
    entrypoint: service.entrypoint,
    ...service.command.length > 0 ? { command: service.command } : {},
    ...Object.keys(service.environment).length > 0 ? { environment: service.environment } : {},
    ...service.mounts.length > 0 ? { volumes: service.mounts.map((mount) => ({ type: "bind", source: mount.source, target: mount.target })) } : {},
    ...service.secrets.length > 0 ? { secrets: service.secrets.map((secret) => ({ source: secret.key, target: secret.target, mode: 256 })) } : {},
    ...service.configs.length > 0 ? { configs: service.configs.map((config) => ({ source: config.key, target: config.target, mode: 292 })) } : {},
    ...service.ports.length > 0 ? { ports: service.ports.map((port) => ({ target: port.target, published: port.published, protocol: "tcp", mode: model.swarm.publishMode })) } : {},
    networks: [model.network.key],
    ...service.sysctls ? { sysctls: service.sysctls } : {},
    // No probe: disabled explicitly, so a HEALTHCHECK an image may define never holds the task's DNS name back.
    healthcheck: service.healthcheck ? renderHealthcheck(service.healthcheck) : { disable: true },
    deploy: {
      ...service.everyNode ? { mode: "global" } : { mode: "replicated", replicas: service.replicas },
      endpoint_mode: model.swarm.endpointMode,
      labels: { [ROLE_LABEL]: service.role, [`${LABEL_PREFIX}.environment`]: model.environment },
      ...constraints.length > 0 || hostModePorts ? {
        placement: {
          ...constraints.length > 0 ? { constraints } : {},
          // A host-mode port binds once per node: a second task there could never start.
          ...hostModePorts ? { max_replicas_per_node: 1 } : {}
        }
      } : {},
      restart_policy: { condition: "any", delay: "5s", window: "30s" },
      update_config: update,
      rollback_config: { parallelism: 1, order: update.order }
    }
  };
  block.deploy.labels[SPEC_LABEL] = createHash("sha256").update(JSON.stringify(block)).digest("hex").slice(0, 12);
  return block;
}
function renderHealthcheck(check) {
  return {
    test: check.test,
    interval: `${check.intervalSeconds}s`,
    timeout: `${check.timeoutSeconds}s`,
    retries: check.retries,
    start_period: `${check.startPeriodSeconds}s`
  };
}

export {
  ROLE_LABEL,
  SPEC_LABEL,
  renderStack,
  UPDATE_MONITOR_SECONDS
};
