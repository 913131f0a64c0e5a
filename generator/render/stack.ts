// stack.yaml: the compose file for `docker stack deploy`. It must pass `docker stack config -c` (tested).
import { createHash } from 'node:crypto';
import type { ClusterModel, Healthcheck, Service } from '../model/types.ts';
import { swarmConstraints } from './swarmPlacement.ts';
import { composeLiterals } from './quote.ts';
import { generatedHeader, toYaml } from './yaml.ts';

export const LABEL_PREFIX = 'io.milvus-swarm';
/** What a service is (`etcd-member`, `minio-node`, …): deploy finds the etcd members by it. */
export const ROLE_LABEL = `${LABEL_PREFIX}.role`;
/**
 * A hash of the rest of the service's block, as a service label: deploy compares it with the running service's to
 * learn which etcd members a deploy would restart, and rolls them one at a time (deploy/rollingMembers.ts).
 */
export const SPEC_LABEL = `${LABEL_PREFIX}.spec`;

/** A swarm config of the stack: its stack-local key, its swarm name (with the content hash) and its file here. */
export interface StackConfig {
  key: string;
  name: string;
  file: string;
}

export function renderStack(model: ClusterModel, configs: readonly StackConfig[]): string {
  const services = Object.fromEntries(model.services.map((service) => [service.name, renderService(model, service)]));
  const stack = {
    version: '3.8',
    services,
    networks: {
      [model.network.key]: { driver: 'overlay', attachable: model.network.attachable },
    },
    configs: Object.fromEntries(configs.map((config) => [config.key, { name: config.name, file: config.file }])),
    // Only what a service mounts: the stack has no use for the other external secrets (verify's user's).
    secrets: Object.fromEntries(
      model.secrets.filter((secret) => model.services.some((service) => service.secrets.some((mounted) => mounted.key === secret.key))).map((secret) => [secret.key, { external: true, name: secret.name }]),
    ),
  };
  // Never `docker stack deploy --prune`: the stack's namespace may hold other services (the runbook's holds Milvus).
  return `${generatedHeader('#', model.source)}# Deploy: npx milvus-swarm deploy --env ${model.environment} (by hand: docker stack deploy --compose-file stack.yaml --with-registry-auth${model.swarm.resolveImage === 'always' ? '' : ` --resolve-image ${model.swarm.resolveImage}`} ${model.stack}, never with --prune)\n${toYaml(composeLiterals(stack), ['entrypoint', 'test', 'constraints', 'networks'])}`;
}

/**
 * Swarm watches each replaced task for this long and rolls the service back if it fails in that time. Every process
 * here exits within a second of a bad flag, config or image (etcd and nginx parse theirs before anything else; a
 * missing image fails before the task runs), so 2 s still rolls those back. Longer only added to every step: each
 * member's step (deploy's roll settles a member as long, deploy/phases/rollingMembers.ts) and each proxy replica
 * waits it out (issue 24: 3 s of every member step at 5 s).
 */
export const UPDATE_MONITOR_SECONDS = 2;

function renderService(model: ClusterModel, service: Service) {
  const hostModePorts = service.ports.length > 0 && model.swarm.publishMode === 'host';
  const monitor = `${UPDATE_MONITOR_SECONDS}s`;
  const update = service.stateful
    ? // Stateful: never two copies on one data dir, one member at a time so quorum holds. Each member and node is its
      // own service of one task, so swarm's `delay` (a pause after each task) and a long `monitor` only add to every
      // step of deploy's own roll, which waits between members until every member answers with one leader
      // (deploy/phases/rollingMembers.ts).
      { parallelism: 1, order: 'stop-first', failure_action: 'rollback', monitor }
    : // A host-mode port cannot be bound twice on a node, so start-first only works with ingress. A rollout of two
      // replicas waits 4 s of watching, not 40.
      // Without ports (the network anchor) start-first: the node never leaves the network while its task is replaced.
      { parallelism: 1, order: hostModePorts ? 'stop-first' : 'start-first', failure_action: 'rollback', monitor };
  const constraints = swarmConstraints(service.placement);
  const block = {
    image: service.image,
    ...(service.hostname ? { hostname: service.hostname } : {}),
    ...(service.user ? { user: service.user } : {}),
    entrypoint: service.entrypoint,
    ...(service.command.length > 0 ? { command: service.command } : {}),
    ...(Object.keys(service.environment).length > 0 ? { environment: service.environment } : {}),
    ...(service.mounts.length > 0 ? { volumes: service.mounts.map((mount) => ({ type: 'bind', source: mount.source, target: mount.target })) } : {}),
    ...(service.secrets.length > 0 ? { secrets: service.secrets.map((secret) => ({ source: secret.key, target: secret.target, mode: 0o400 })) } : {}),
    ...(service.configs.length > 0 ? { configs: service.configs.map((config) => ({ source: config.key, target: config.target, mode: 0o444 })) } : {}),
    ...(service.ports.length > 0
      ? { ports: service.ports.map((port) => ({ target: port.target, published: port.published, protocol: 'tcp', mode: model.swarm.publishMode })) }
      : {}),
    networks: [model.network.key],
    ...(service.sysctls ? { sysctls: service.sysctls } : {}),
    // No probe: disabled explicitly, so a HEALTHCHECK an image may define never holds the task's DNS name back.
    healthcheck: service.healthcheck ? renderHealthcheck(service.healthcheck) : { disable: true },
    deploy: {
      ...(service.everyNode ? { mode: 'global' } : { mode: 'replicated', replicas: service.replicas }),
      endpoint_mode: model.swarm.endpointMode,
      labels: { [ROLE_LABEL]: service.role, [`${LABEL_PREFIX}.environment`]: model.environment } as Record<string, string>,
      ...(constraints.length > 0 || hostModePorts
        ? {
            placement: {
              ...(constraints.length > 0 ? { constraints } : {}),
              // A host-mode port binds once per node: a second task there could never start.
              ...(hostModePorts ? { max_replicas_per_node: 1 } : {}),
            },
          }
        : {}),
      restart_policy: { condition: 'any', delay: '5s', window: '30s' },
      update_config: update,
      rollback_config: { parallelism: 1, order: update.order },
    },
  };
  block.deploy.labels[SPEC_LABEL] = createHash('sha256').update(JSON.stringify(block)).digest('hex').slice(0, 12);
  return block;
}

function renderHealthcheck(check: Healthcheck) {
  return {
    test: check.test,
    interval: `${check.intervalSeconds}s`,
    timeout: `${check.timeoutSeconds}s`,
    retries: check.retries,
    start_period: `${check.startPeriodSeconds}s`,
  };
}
