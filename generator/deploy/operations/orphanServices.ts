// Services milvus-swarm rendered once and renders no more (a renamed proxy, a removed member or node) are removed by
// their labels — what `docker stack deploy --prune` would do, but never to a service milvus-swarm did not render:
// the stack's namespace may hold another team's services (the runbook's `milvus` stack runs Milvus itself).
import { dockerDo, dockerLines } from '../../docker/calls.ts';
import type { ClusterModel } from '../../model/types.ts';
import { ROLE_LABEL } from '../../render/stack.ts';
import type { DockerRunner } from '../../docker/runner.ts';

/** Of the stack's services that carry milvus-swarm's role label, those the model no longer has (swarm names). */
export function orphans(stack: string, labelled: readonly string[], model: Pick<ClusterModel, 'services'>): string[] {
  const rendered = new Set(model.services.map((service) => `${stack}_${service.name}`));
  return labelled.filter((name) => name.startsWith(`${stack}_`) && !rendered.has(name)).sort();
}

export interface OrphanRemoval {
  removed: string[];
  problems: string[];
}

/** Says why some orphans must stay (one problem line each); none removed then. */
export type OrphanGuard = (names: readonly string[]) => Promise<string[]>;

export async function removeOrphans(runner: DockerRunner, model: ClusterModel, guard?: OrphanGuard, keep: ReadonlySet<string> = new Set()): Promise<OrphanRemoval> {
  const listed = await dockerLines(runner, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=${model.stack}`, '--filter', `label=${ROLE_LABEL}`, '--format', '{{.Name}}']);
  if (!listed.ok) return { removed: [], problems: [`could not list the stack's services: ${listed.reason}: run deploy on a manager`] };
  const names = orphans(model.stack, listed.value, model).filter((name) => !keep.has(name));
  if (names.length === 0) return { removed: [], problems: [] };
  const refused = guard ? await guard(names) : [];
  if (refused.length > 0) return { removed: [], problems: refused };
  const removed = await dockerDo(runner, ['service', 'rm', ...names], { timeoutMs: 60_000 });
  if (!removed.ok) return { removed: [], problems: [`could not remove ${names.join(', ')}, which the topology no longer has: ${removed.reason}`] };
  return { removed: names, problems: [] };
}
