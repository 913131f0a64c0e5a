// `diff`: the live swarm against rendered/<env>/ — for every service milvus-swarm renders, the fields that differ and
// what a deploy would do about them; services of the namespace it does not render (another team's, Milvus itself)
// listed and left alone; its own services it no longer renders; node labels and secrets the topology needs. Reads,
// never writes. A service that runs but was not deployed by milvus-swarm (no role label: the runbook's cluster) is a
// takeover: deploy plans it as one (deploy/phases/preflight.ts).
import type { DockerRunner } from '../docker/runner.ts';
import { nodeOfHost } from '../docker/swarm.ts';
import type { ClusterModel, Service } from '../model/types.ts';
import { ROLE_LABEL } from '../render/stack.ts';
import { compareShapes, type FieldDifference } from './compare.ts';
import { readLiveStack, type LiveStack } from './liveStack.ts';
import { shapeFromInspect, shapesFromCompose, type ServiceShape } from './serviceShape.ts';

export type ServiceState = 'in-sync' | 'differs' | 'missing' | 'takeover';

export interface ServiceDiff {
  /** The service's name in the stack file. */
  service: string;
  role: string;
  state: ServiceState;
  differences: FieldDifference[];
  /** What a deploy would do about it, in the operator's words. */
  deploy: string;
  /** Set when what differs decides which data the service starts on. */
  dataAtStake?: string;
  /** The nodes its running tasks are on. */
  runsOn: string[];
}

export interface DiffReport {
  environment: string;
  stack: string;
  services: ServiceDiff[];
  /** Services of the stack's namespace that milvus-swarm does not render: another team's, left alone. */
  foreign: string[];
  /** milvus-swarm's own services (by role label) it no longer renders: deploy removes them. */
  orphans: string[];
  /** `node stg-etcd1 lacks zk1=true`: deploy puts them on. */
  nodeLabels: string[];
  /** Secrets the topology names that do not exist: deploy refuses until they do. */
  missingSecrets: string[];
  /** Some rendered service runs without milvus-swarm's labels: its first deploy is a takeover. */
  takeover: boolean;
  inSync: boolean;
}

/** Fields whose difference means the service would start on other data (a stateful service's mounts and command). */
const DATA_FIELDS = /^(mounts|command|entrypoint|placement|environment ETCD_DATA_DIR|hostname)/;

function deployAction(service: Service, state: ServiceState, differences: readonly FieldDifference[]): string {
  if (state === 'missing') return 'create it';
  if (differences.length === 0) return state === 'takeover' ? 'label it as milvus-swarm\'s (no restart)' : 'nothing';
  if (!differences.some((difference) => difference.restarts)) {
    const replicas = differences.find((difference) => difference.field === 'replicas');
    const scale = replicas ? `scale it from ${replicas.live} to ${replicas.rendered} task${replicas.rendered === '1' ? '' : 's'}` : '';
    return differences.length === (replicas ? 1 : 0) ? scale : `${scale ? `${scale}; ` : ''}update it in place, no restart`;
  }
  switch (service.role) {
    case 'etcd-member':
      return 'restart it alone, one member at a time, the leader last (etcd keeps quorum)';
    case 'minio-node':
      return 'restart every MinIO node together, before the load balancer (S3 pauses until all are back)';
    default:
      return service.replicas > 1 ? 'restart its tasks one at a time (the others serve meanwhile)' : 'restart it';
  }
}

function dataAtStake(service: Service, differences: readonly FieldDifference[]): string | undefined {
  if (!service.stateful) return undefined;
  const touching = differences.filter((difference) => DATA_FIELDS.test(difference.field)).map((difference) => difference.field);
  if (touching.length === 0) return undefined;
  const data = service.role === 'etcd-member' ? "etcd's data" : "MinIO's drives";
  return `${data}: ${[...new Set(touching)].join(', ')} decide which directory it starts on`;
}

/** The report from what was read: pure, so every case is a table test. */
export function buildDiff(model: ClusterModel, rendered: ReadonlyMap<string, ServiceShape>, live: LiveStack): DiffReport {
  const prefix = `${model.stack}_`;
  const byName = new Map(live.services.map((service) => [service.Spec.Name, service]));
  const services: ServiceDiff[] = model.services.map((service) => {
    const inspect = byName.get(`${prefix}${service.name}`);
    const runsOn = live.taskNodes.get(`${prefix}${service.name}`) ?? [];
    const wanted = rendered.get(service.name);
    if (!inspect || !wanted) return { service: service.name, role: service.role, state: 'missing', differences: [], deploy: 'create it', runsOn };
    const differences = compareShapes(shapeFromInspect(inspect, model.stack, live.networks), wanted);
    const ours = inspect.Spec.Labels?.[ROLE_LABEL] !== undefined;
    const state: ServiceState = !ours ? 'takeover' : differences.length === 0 ? 'in-sync' : 'differs';
    const stake = dataAtStake(service, differences);
    return { service: service.name, role: service.role, state, differences, deploy: deployAction(service, state, differences), ...(stake ? { dataAtStake: stake } : {}), runsOn };
  });
  const renderedNames = new Set(model.services.map((service) => `${prefix}${service.name}`));
  const others = live.services.filter((service) => !renderedNames.has(service.Spec.Name));
  const foreign = others.filter((service) => service.Spec.Labels?.[ROLE_LABEL] === undefined).map((service) => service.Spec.Name).sort();
  const orphans = others.filter((service) => service.Spec.Labels?.[ROLE_LABEL] !== undefined).map((service) => service.Spec.Name).sort();
  const nodeLabels = model.hosts.flatMap((host) => {
    const node = nodeOfHost(host, live.nodes);
    const lacking = Object.entries(host.labels).filter(([key, value]) => node?.labels[key] !== value);
    if (lacking.length === 0) return [];
    const labels = lacking.map(([key, value]) => `${key}=${value}`).join(', ');
    return [node ? `node ${node.hostname} (host ${host.name}) lacks ${labels}: deploy puts ${lacking.length === 1 ? 'it' : 'them'} on` : `host ${host.name} is no node of this swarm: deploy refuses until it joins (${labels})`];
  });
  const missingSecrets = model.secrets.filter((secret) => !live.secrets.includes(secret.name)).map((secret) => secret.name);
  const takeover = services.some((service) => service.state === 'takeover');
  const inSync = services.every((service) => service.state === 'in-sync') && orphans.length === 0 && nodeLabels.length === 0 && missingSecrets.length === 0;
  return { environment: model.environment, stack: model.stack, services, foreign, orphans, nodeLabels, missingSecrets, takeover, inSync };
}

/** Reads the swarm the runner reaches and compares it with the rendered stack file's text. */
export async function runDiff(model: ClusterModel, stackText: string, runner: DockerRunner): Promise<DiffReport> {
  const live = await readLiveStack(runner, model.stack);
  return buildDiff(model, shapesFromCompose(stackText, model.stack), live);
}
