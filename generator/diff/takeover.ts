// Taking over services milvus-swarm did not deploy (the runbook's cluster) is safe only when every stateful service
// starts on the data it runs on now. Pure checks over what diff read, one refusal per way to lose data, each naming
// both sides and the topology change that makes them agree:
//   - an etcd member's data dir on its host: the mount behind its --data-dir (or ETCD_DATA_DIR; bitnami-style images
//     keep the data one level down in the mount), and the node it runs on;
//   - MinIO's drive endpoints in their order (the order is the erasure layout format.json records), the host
//     directory behind each drive, and the node each node runs on;
//   - MinIO's root credentials: what the live nodes run with (inline in their environment, or a secret) against what
//     the swarm secrets the topology names hold — compared by SHA-256, never shown.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { SwarmNode } from '../docker/swarm.ts';
import { nodeOfHost } from '../docker/swarm.ts';
import { pinnedHost } from '../model/placement.ts';
import type { ClusterModel, Service } from '../model/types.ts';
import type { ServiceShape } from './serviceShape.ts';

export interface TakeoverFacts {
  model: ClusterModel;
  /** The live services milvus-swarm did not deploy, by their name in the stack file. */
  live: ReadonlyMap<string, ServiceShape>;
  rendered: ReadonlyMap<string, ServiceShape>;
  /** Service name in the stack file → the hostnames of the nodes its running tasks are on. */
  runsOn: ReadonlyMap<string, readonly string[]>;
  nodes: readonly SwarmNode[];
  /** Secret name → SHA-256 of its value (a host job reads them: secretDigests.ts); missing when it could not be read. */
  secretDigests: ReadonlyMap<string, string>;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A flag's value in an argument list: `--data-dir=X`, `--data-dir X`, `-data-dir=X` (etcd takes both dashes). */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const words = args.flatMap((arg) => arg.split(/\s+/)).filter(Boolean);
  for (const [index, word] of words.entries()) {
    for (const name of [`--${flag}`, `-${flag}`]) {
      if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
      if (word === name) return words[index + 1];
    }
  }
  return undefined;
}

/** The host directory behind a path in the container: the deepest bind mount that holds it. */
export function hostPathOf(containerPath: string, mounts: ServiceShape['mounts']): { hostPath?: string; mount?: ServiceShape['mounts'][number] } {
  const normalised = path.posix.normalize(containerPath);
  const holding = mounts
    .filter((mount) => normalised === mount.target || normalised.startsWith(`${mount.target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!holding) return {};
  if (holding.type !== 'bind') return { mount: holding };
  return { mount: holding, hostPath: path.posix.join(holding.source, path.posix.relative(holding.target, normalised)) };
}

/** Where etcd keeps its data inside the container: --data-dir, else ETCD_DATA_DIR, else etcd's default `<name>.etcd`. */
export function etcdDataDir(shape: ServiceShape): { path: string; from: string } {
  const args = [...shape.entrypoint, ...shape.args];
  const flag = flagValue(args, 'data-dir');
  if (flag) return { path: flag, from: `--data-dir=${flag}` };
  const variable = shape.environment.ETCD_DATA_DIR;
  if (variable) return { path: variable, from: `ETCD_DATA_DIR=${variable}` };
  const name = flagValue(args, 'name') ?? shape.environment.ETCD_NAME ?? 'default';
  return { path: `/${name}.etcd`, from: `etcd's default data dir ${name}.etcd (relative to the container's working directory)` };
}

/** Expands MinIO's ellipses (`{1...4}`), left to right as MinIO does: `http://minio{1...2}/data{1...2}` is 4 endpoints. */
export function expandEllipses(argument: string): string[] {
  const match = /\{(\d+)\.\.\.(\d+)\}/.exec(argument);
  if (!match) return [argument];
  const [from, to] = [Number(match[1]), Number(match[2])];
  const width = match[1]!.length === match[2]!.length && match[1]!.startsWith('0') ? match[1]!.length : 0;
  const expanded: string[] = [];
  for (let value = from; value <= to; value++) {
    const text = width > 0 ? String(value).padStart(width, '0') : String(value);
    expanded.push(...expandEllipses(argument.slice(0, match.index) + text + argument.slice(match.index + match[0].length)));
  }
  return expanded;
}

/** The drive endpoints of a MinIO server command line, in order, as `host/path` (the port says nothing of the data). */
export function driveEndpoints(shape: ServiceShape): string[] {
  const words = [...shape.entrypoint, ...shape.args].flatMap((arg) => arg.split(/\s+/)).filter(Boolean);
  return words
    .filter((word) => /^https?:\/\//.test(word))
    .flatMap(expandEllipses)
    .map((endpoint) => {
      const url = new URL(endpoint);
      return `${url.hostname}${url.pathname}`;
    });
}

function renderedNodeOf(service: Service, model: ClusterModel, nodes: readonly SwarmNode[]): string | undefined {
  const host = pinnedHost(service.placement);
  const defined = host ? model.hosts.find((entry) => entry.name === host) : undefined;
  return defined ? (nodeOfHost(defined, nodes)?.hostname ?? defined.name) : undefined;
}

function placementProblem(service: Service, facts: TakeoverFacts, what: string): string[] {
  const runsOn = facts.runsOn.get(service.name) ?? [];
  const wanted = renderedNodeOf(service, facts.model, facts.nodes);
  if (!wanted || runsOn.length === 0 || runsOn.includes(wanted)) return [];
  return [
    `${service.name} runs on node ${runsOn.join(', ')}, where its ${what} is; the topology pins it to host ${pinnedHost(service.placement)} (node ${wanted}): deploy would start it there on other data — give ${service.name} host ${runsOn[0]} in ${facts.model.source} (render, commit), then deploy again`,
  ];
}

function etcdProblems(service: Service, facts: TakeoverFacts): string[] {
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
    const where = liveHost.mount ? `the ${liveHost.mount.type} ${liveHost.mount.source} mounted at ${liveHost.mount.target}` : 'the container itself (no mount holds it)';
    problems.push(
      `${service.name} keeps its data (${liveDir.from}) in ${where}, not in a host directory the topology can name: deploy would start it on ${renderedHost}, empty — save a snapshot (etcdctl snapshot save), move the data to a host directory by hand, then take the cluster over`,
    );
  } else if (path.posix.normalize(liveHost.hostPath) !== path.posix.normalize(renderedHost)) {
    problems.push(
      `${service.name} keeps its data in ${liveHost.hostPath} on its host (${liveDir.from}, inside the mount ${liveHost.mount!.source} → ${liveHost.mount!.target}); the rendered member in ${renderedHost} (${renderedDir.from}): deploy would start it on another directory, as a new and empty member — set etcd.dataDir: ${liveHost.hostPath} in ${facts.model.source} (render, commit), then deploy again`,
    );
  }
  return problems;
}

function minioProblems(service: Service, facts: TakeoverFacts): string[] {
  const live = facts.live.get(service.name);
  const rendered = facts.rendered.get(service.name);
  if (!live || !rendered) return [];
  const problems = placementProblem(service, facts, 'drives are');
  const liveEndpoints = driveEndpoints(live);
  const renderedEndpoints = driveEndpoints(rendered);
  if (JSON.stringify(liveEndpoints) !== JSON.stringify(renderedEndpoints)) {
    problems.push(
      `${service.name} runs MinIO on ${liveEndpoints.length} drive endpoints in this order: ${liveEndpoints.join(' ')}; the rendered command line has ${renderedEndpoints.length}: ${renderedEndpoints.join(' ')} — MinIO refuses drives in another order or layout (its format.json records them): list the pool's nodes and drives in ${facts.model.source} as the cluster runs them`,
    );
    return problems;
  }
  const own = [...new Set(liveEndpoints.filter((endpoint) => endpoint.startsWith(`${live.hostname || service.name}/`)).map((endpoint) => endpoint.slice(endpoint.indexOf('/'))))];
  for (const drive of own) {
    const liveHost = hostPathOf(drive, live.mounts).hostPath;
    const renderedHost = hostPathOf(drive, rendered.mounts).hostPath;
    if (liveHost !== renderedHost) {
      problems.push(
        `${service.name}'s drive ${drive} is ${liveHost ?? 'not a host directory'} on its host; the rendered one ${renderedHost ?? 'none'}: deploy would start MinIO on other drives — list ${liveHost ?? 'the drives'} under the pool's drives in ${facts.model.source}, in the cluster's order`,
      );
    }
  }
  return problems;
}

/** What a live MinIO node signs in with: SHA-256 of its root user and password, and where they come from. */
function liveRootDigests(shape: ServiceShape, facts: TakeoverFacts): { user?: string; password?: string; from: string } {
  const env = shape.environment;
  const fromSecret = (variable: string) => {
    const file = env[variable];
    const secret = file ? shape.secrets.find((entry) => path.posix.join('/run/secrets', entry.target) === file || entry.target === file) : undefined;
    return secret ? { digest: facts.secretDigests.get(secret.name), name: secret.name } : undefined;
  };
  const userSecret = fromSecret('MINIO_ROOT_USER_FILE');
  const passwordSecret = fromSecret('MINIO_ROOT_PASSWORD_FILE');
  if (userSecret && passwordSecret) return { user: userSecret.digest, password: passwordSecret.digest, from: `the secrets ${userSecret.name}/${passwordSecret.name}` };
  const user = env.MINIO_ROOT_USER ?? env.MINIO_ACCESS_KEY;
  const password = env.MINIO_ROOT_PASSWORD ?? env.MINIO_SECRET_KEY;
  if (user !== undefined && password !== undefined) return { user: sha256(user), password: sha256(password), from: 'MINIO_ROOT_USER/MINIO_ROOT_PASSWORD set inline in its environment' };
  return { user: sha256('minioadmin'), password: sha256('minioadmin'), from: "MinIO's default minioadmin/minioadmin (no root credentials set)" };
}

function credentialProblems(facts: TakeoverFacts): string[] {
  const { rootUser, rootPassword } = facts.model.minio.secrets;
  const wanted = { user: facts.secretDigests.get(rootUser), password: facts.secretDigests.get(rootPassword) };
  // Secrets that do not exist are preflight's own refusal (with the command that creates them).
  if (wanted.user === undefined || wanted.password === undefined) return [];
  const differing = facts.model.services
    .filter((service) => service.role === 'minio-node' && facts.live.has(service.name))
    .map((service) => ({ service, live: liveRootDigests(facts.live.get(service.name)!, facts) }))
    .filter(({ live }) => live.user !== undefined && live.password !== undefined && (live.user !== wanted.user || live.password !== wanted.password));
  if (differing.length === 0) return [];
  const sides = [...new Set(differing.map(({ live }) => live.from))].join('; ');
  return [
    `${differing.map(({ service }) => service.name).join(', ')} run${differing.length === 1 ? 's' : ''} with other root credentials (${sides}) than the swarm secrets ${rootUser}/${rootPassword} hold (compared by SHA-256, not shown): MinIO would restart with the secrets' pair and Milvus, verify and deploy's own calls be locked out — make the secrets from the credentials the cluster runs with (\`docker secret rm ${rootUser} ${rootPassword}\`, then \`printf '%s' "$VALUE" | docker secret create NAME -\` for each), then deploy again`,
  ];
}

/** Every reason a takeover would put a stateful service on other data, or lock its clients out. */
export function takeoverProblems(facts: TakeoverFacts): string[] {
  return [
    ...facts.model.services.filter((service) => service.role === 'etcd-member').flatMap((service) => etcdProblems(service, facts)),
    ...facts.model.services.filter((service) => service.role === 'minio-node').flatMap((service) => minioProblems(service, facts)),
    ...credentialProblems(facts),
  ];
}
