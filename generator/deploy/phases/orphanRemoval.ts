// What --prune would do, for milvus-swarm's own services only (orphans.ts says why), and before any stack file is
// deployed: a renamed host-mode proxy's new tasks need the ports its old tasks hold, in the rolling steps too.
import { removeOrphans } from '../operations/orphanServices.ts';
import { passed, stopped, type DeployContext, type Phase } from '../runner/contract.ts';
import { dockerLines } from '../../docker/calls.ts';
import { ROLE_LABEL } from '../../render/stack.ts';
import { etcdCluster } from '../../cluster/etcdCluster.ts';
import { stepsAround } from '../steps/index.ts';
import { knownMembers } from '../moves/etcdMembership.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

export const orphanRemoval: Phase = {
  name: 'orphan removal',
  stage: 'deploy',
  async run(context) {
    // Services the plan removes itself after the stack (a drained pool's nodes, which must outlive the restart of
    // the others on the new command line) are not orphans yet.
    const later = new Set(stepsAround(context.steps).after.flatMap((step) => (step.kind === 'service-remove' ? step.services : [])));
    const orphans = await removeOrphans(context.runner, context.model, (names) => stillListedMembers(context, names), later);
    const notes = orphans.removed.map((name) => `removed ${name}: the topology no longer has it`);
    if (orphans.problems.length === 0) return passed({ notes });
    return stopped(orphans.problems, {
      notes,
      stopped: { state: 'no service of the stack changed: node labels and data directories are in place', resume: resumeDeploy(context.environment) },
    });
  },
};

/**
 * An etcd member's service the topology dropped while etcd still lists the member (a membership change that stopped
 * half way, then another topology deployed): removing the service would leave a member that never answers and still
 * counts against quorum. It stays until etcd no longer lists it.
 */
async function stillListedMembers(context: DeployContext, names: readonly string[]): Promise<string[]> {
  const { model } = context;
  // The services rendered as etcd members (a joining member's step service carries the role label too).
  const memberServices = await dockerLines(context.runner, ['service', 'ls', '--filter', `label=${ROLE_LABEL}=etcd-member`, '--format', '{{.Name}}']);
  if (!memberServices.ok) return [];
  const candidates = names.filter((name) => memberServices.value.includes(name)).map((name) => name.slice(model.stack.length + 1));
  if (candidates.length === 0) return [];
  const cluster = etcdCluster(context.runner, model, context.etcdctl);
  const listed = await cluster.members(knownMembers(context));
  // etcd unreadable: the rest of the deploy (the roll's checks) stops on that; these services are no member then.
  if (!listed.ok) return [];
  return listed.value
    .filter((member) => candidates.includes(member.name))
    .map(
      (member) =>
        `${model.stack}_${member.name} is not in the topology, but etcd still lists ${member.name} as a member: removing its service would leave a member that never answers and still counts against quorum — deploy the topology that still has it and let its member remove step run, or remove it by hand (\`etcdctl member remove ${BigInt(member.id).toString(16)}\` on a manager), then deploy again`,
    );
}
