// Deploy's first look at what runs (diff's report, generator/diff): a takeover of services milvus-swarm did not deploy
// becomes a change of the plan of its own (care: every stateful service restarts on a new spec), with the order in
// which they restart and what it costs; and services that differ from what the last successful deploy made are
// named as the hand edits this deploy reverts. Pure: the phase gathers the facts.
import { care, type Change } from '../../plan/change.ts';
import { compareShapes, type FieldDifference } from '../../diff/compare.ts';
import type { DiffReport } from '../../diff/diff.ts';
import { shapeFromInspect, type ServiceInspect, type ServiceShape } from '../../diff/serviceShape.ts';

export const takeoverChangeId = (stack: string): string => `takeover:${stack}`;

const restarting = (report: DiffReport, role: string) =>
  report.services.filter((service) => service.role === role && service.state !== 'in-sync' && service.state !== 'missing' && service.differences.some((difference) => difference.restarts)).map((service) => service.service);

/** The order a deploy restarts what it takes over: its phases' order (MinIO nodes, then etcd members, then the rest). */
export function takeoverOrder(report: DiffReport): string[] {
  const minio = restarting(report, 'minio-node');
  const etcd = restarting(report, 'etcd-member');
  const others = report.services.filter((service) => !['minio-node', 'etcd-member'].includes(service.role) && service.state !== 'in-sync').map((service) => `${service.service} (${service.deploy})`);
  return [
    ...(report.nodeLabels.length > 0 ? [`node labels: ${report.nodeLabels.join('; ')}`] : []),
    ...(minio.length > 0 ? [`MinIO nodes ${minio.join(', ')} restart together on the rendered spec, before the load balancer: S3 pauses until every node is back`] : []),
    ...(etcd.length > 0 ? [`etcd members ${etcd.join(', ')} restart one at a time, the leader last, each after the others answer with one leader: at most one leader election`] : []),
    ...(others.length > 0 ? [`then ${others.join('; ')}`] : []),
    ...(report.foreign.length > 0 ? [`left alone: ${report.foreign.join(', ')}`] : []),
  ];
}

/** The takeover as a change of the plan: care, and acknowledged when the topology lists its id. */
export function takeoverChange(report: DiffReport, acknowledge: readonly string[]): Change {
  const id = takeoverChangeId(report.stack);
  const taken = report.services.filter((service) => service.state === 'takeover').map((service) => service.service);
  const change = care(
    id,
    `take over ${taken.join(', ')} in stack ${report.stack}, which milvus-swarm did not deploy`,
    'each service restarts on the rendered spec (secrets instead of inline credentials, the rendered mounts and flags, labels); its data stays where it is (checked before anything changes)',
    takeoverOrder(report),
  );
  return { ...change, acknowledged: acknowledge.includes(id) };
}

export interface HandEdit {
  service: string;
  differences: FieldDifference[];
}

/**
 * Services whose running spec differs from what the last successful deploy rendered (its recorded topology, rendered
 * again): changed by hand since (`docker service update …`), or by a deploy that stopped half way. This deploy makes
 * them as rendered again; naming them is the point.
 */
export function handEdits(live: readonly ServiceInspect[], stack: string, networks: ReadonlyMap<string, string>, lastRendered: ReadonlyMap<string, ServiceShape>): HandEdit[] {
  return live.flatMap((inspect) => {
    const shape = shapeFromInspect(inspect, stack, networks);
    const was = lastRendered.get(shape.name);
    if (!was) return [];
    const differences = compareShapes(shape, was);
    return differences.length > 0 ? [{ service: shape.name, differences }] : [];
  });
}

export const describeHandEdit = (edit: HandEdit): string =>
  `${edit.service}: ${edit.differences
    .map((difference) =>
      difference.rendered === '(not set)'
        ? `${difference.field} added by hand (${difference.live})`
        : difference.live === '(not set)'
          ? `${difference.field} removed by hand (the last deploy set ${difference.rendered})`
          : `${difference.field} ${difference.live} (the last deploy made it ${difference.rendered})`,
    )
    .join('; ')}`;
