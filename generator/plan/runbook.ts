// The commands a procedure tells an operator to run, spelled out for this environment so they can be pasted.
import type { ClusterModel } from '../model/types.ts';
import { code } from '../render/markdown.ts';

// Procedures spell their commands as markdown code spans, like the rest of the plan: the classifiers take `code`
// from here with the other procedure words.
export { code };

/** The swarm service name of a stack service: `milvus_etcd1`. */
export const swarmService = (model: ClusterModel, service: string): string => `${model.stack}_${service}`;

/** etcdctl from a one-off container on the stack's attachable network, as the runbook's checks run it. */
export function etcdctlCommand(model: ClusterModel, args: string, members: readonly string[] = model.etcd.members.map((member) => member.name)): string {
  const endpoints = members.map((name) => `http://${name}:${model.etcd.clientPort}`).join(',');
  return `docker run --rm --network ${model.network.name} ${model.etcd.image} etcdctl --endpoints=${endpoints} ${args}`;
}

/** The same as a code span, for a procedure line. */
export const etcdctl = (model: ClusterModel, args: string, members?: readonly string[]): string => code(etcdctlCommand(model, args, members));

export const etcdHealthy = (model: ClusterModel, members?: readonly string[]): string =>
  `${etcdctl(model, 'endpoint health --cluster', members)} reports every member healthy`;

/** Directories are made by deploy's host preparation, or by hand with the rendered script on that host. */
export const prepareDirectories = (environment: string, what: string, host: string | undefined): string =>
  `create ${what} on ${host ?? 'the node'}: deploy's host preparation does it, or run rendered/${environment}/prepare-hosts.sh there`;

export const deploy = (environment: string): string => code(`npx milvus-swarm deploy --env ${environment}`);
export const verify = (environment: string): string => code(`npx milvus-swarm verify --env ${environment}`);

export const plural = (count: number, word: string, words = `${word}s`): string => `${count} ${count === 1 ? word : words}`;

export const ordinal = (n: number): string => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
};

export const listOf = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
