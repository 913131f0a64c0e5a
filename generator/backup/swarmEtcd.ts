// etcdctl and etcdutl where the swarm's etcd is: one-off containers of the stack's own etcd image (which ships both;
// it is distroless, so each command is its own container, never a shell kept running). etcdctl joins the stack's
// attachable network and reaches members by service name, as verify's member checks do; etcdutl needs no network.
// Both see the work directory at the same path (a bind mount) and run as this process's user, so the files they
// write are ours to hash, copy and remove. The work directory must be on the engine's machine: run on the manager.
import type { DockerRunner } from '../docker/runner.ts';
import type { ClusterModel } from '../model/types.ts';
import { parseEndpointStatus } from '../cluster/etcdctlJson.ts';
import { runOnStackNetwork } from '../cluster/stackNetworkRun.ts';
import type { ToolRunner } from './etcdSnapshot.ts';
import type { EtcdAccess } from './recoveryPoint.ts';

/** Marks the containers, so one a killed run left behind can be found (`docker ps --filter label=…`). */
export const BACKUP_CONTAINER_LABEL = 'io.milvus-swarm.backup';

export interface ToolContainer {
  runner: DockerRunner;
  model: ClusterModel;
  workDir: string;
  /** Attach to the stack's network (etcdctl against members); etcdutl works on files only. */
  network: boolean;
}

/** This process's uid:gid, so the container's files belong to the caller (undefined where there are none). */
const callerUser = (): string[] => (typeof process.getuid === 'function' && typeof process.getgid === 'function' ? ['--user', `${process.getuid()}:${process.getgid()}`] : []);

/** `docker run --rm … --entrypoint TOOL IMAGE ARGS…`: the arguments, exactly (pure, tested). */
export function toolContainerArgs(tool: 'etcdctl' | 'etcdutl', container: Omit<ToolContainer, 'runner'>, args: readonly string[], user: string[] = callerUser()): string[] {
  return [
    'run',
    '--rm',
    '--label',
    `${BACKUP_CONTAINER_LABEL}=${container.model.stack}`,
    ...(container.network ? ['--network', container.model.network.name] : ['--network', 'none']),
    '--mount',
    `type=bind,source=${container.workDir},target=${container.workDir}`,
    ...user,
    '--env',
    'ETCDCTL_API=3',
    '--entrypoint',
    tool,
    container.model.etcd.image,
    ...args,
  ];
}

export function toolInContainer(tool: 'etcdctl' | 'etcdutl', container: ToolContainer): ToolRunner {
  // On the network, the node may be re-attaching it for a second (stackNetworkRun.ts): the same patience as deploy's.
  if (container.network) return (args, options) => runOnStackNetwork(container.runner, { network: container.model.network.name, args: toolContainerArgs(tool, container, args), timeoutMs: () => options.timeoutMs });
  return (args, options) => container.runner(toolContainerArgs(tool, container, args), { timeoutMs: options.timeoutMs });
}

/**
 * The member a snapshot is read from: one that answers `endpoint status` and follows the leader (a snapshot streams
 * the whole backend; the leader has the cluster's writes to serve), else the leader; undefined when none answers.
 */
export function pickSnapshotMember(statusJson: string, members: readonly { name: string; endpoint: string }[]): { name: string; endpoint: string } | undefined {
  const statuses = parseEndpointStatus(statusJson);
  const answering = members.filter((member) => statuses.some((status) => status.endpoint === member.endpoint && status.leader !== '0' && status.leader !== ''));
  const isLeader = (member: { endpoint: string }) => statuses.some((status) => status.endpoint === member.endpoint && status.leader === status.memberId);
  return answering.find((member) => !isLeader(member)) ?? answering[0];
}

/** etcdctl and etcdutl in containers, and a healthy member to read from (a throw says why there is none). */
export async function swarmEtcdAccess(runner: DockerRunner, model: ClusterModel, workDir: string): Promise<EtcdAccess> {
  const etcdctl = toolInContainer('etcdctl', { runner, model, workDir, network: true });
  const etcdutl = toolInContainer('etcdutl', { runner, model, workDir, network: false });
  const members = model.etcd.members.map((member) => ({ name: member.name, endpoint: `${member.name}:${model.etcd.clientPort}` }));
  const status = await etcdctl([`--endpoints=${members.map((member) => member.endpoint).join(',')}`, '--dial-timeout=2s', '--command-timeout=3s', 'endpoint', 'status', '-w', 'json'], { timeoutMs: 30_000 });
  if (status.timedOut) throw new Error(`etcdctl endpoint status in a container on ${model.network.name}: no answer within ${Math.round(status.elapsedMs / 1000)} s`);
  // etcdctl exits 1 when any member did not answer but still prints those that did: only "none answered" stops here.
  let chosen: { name: string; endpoint: string } | undefined;
  try {
    chosen = pickSnapshotMember(status.stdout, members);
  } catch {
    chosen = undefined;
  }
  if (!chosen) {
    const said = status.stderr.trim().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{')).at(-1) ?? `exit ${status.code}`;
    throw new Error(`no etcd member of ${model.stack} answers on ${model.network.name} (${members.map((member) => member.name).join(', ')}): ${said}`);
  }
  return { endpoint: `http://${chosen.endpoint}`, etcdctl, etcdutl };
}
