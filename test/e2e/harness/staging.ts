// The staging swarm: production's shape on one machine. environments/staging.yaml names 3 managers, 3 etcd hosts and
// 4 MinIO hosts; each becomes an engine of swarmNodes.ts with the topology's hostname and address, and the stack is
// deployed by the product itself (`milvus-swarm deploy`: host labels, host directories, convergence), so what this
// harness proves is what an operator would run. e2e:up / e2e:down / e2e:node with --env staging run this code.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { docker } from '../../../generator/docker/cli.ts';
import { runDeploy } from '../../../generator/deploy/deploy.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import type { DockerRunner } from '../../../generator/docker/runner.ts';
import { ensureBinaries, type Binaries } from './binaries.ts';
import { ensureSecrets, removeLocalEnv, type MinioCredentials } from './credentials.ts';
import { ensureImage, imageRecipes, imageTags, type Engine, type ImageReport } from './images.ts';
import { formatMs, phase, renderIfStale, type Log, type Phase } from './lifecycle.ts';
import { CACHE_DIR, envFile, REPO_ROOT } from './paths.ts';
import { waitUntilReady } from './readiness.ts';
import { endpointsFromModel } from '../../../generator/cluster/endpoints.ts';
import { runVerify } from '../../../generator/verify/verify.ts';
import {
  BRIDGE_ADDRESS,
  BRIDGE_PREFIX,
  dockerHost,
  enginePid,
  ensureBridge,
  formSwarm,
  isolate,
  knownNodes,
  nodePaths,
  rejoin,
  removeBridge,
  removeNodes,
  startEngine,
  stopEngine,
  type NodeSpec,
} from './swarmNodes.ts';
import { loadModel } from './topology.ts';
import { ensureSiteResolver, stopSiteResolver } from './siteResolver.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';

export const STAGING = 'staging';
/** The node specs of the running staging swarm (hosts added with e2e:node add included), for start/stop by name. */
const NODES_FILE = path.join(CACHE_DIR, STAGING, 'nodes.json');

/** The topology's managers and hosts as nodes: every manager needs a name (its hostname), every address the bridge's subnet. */
export function stagingNodes(model: ClusterModel): NodeSpec[] {
  const problems: string[] = [];
  const nodes: NodeSpec[] = [];
  for (const manager of model.managers) {
    if (!manager.name) problems.push(`manager ${manager.ip} has no name: the staging swarm needs each manager's hostname`);
    else nodes.push({ name: manager.name, ip: manager.ip, manager: true });
  }
  for (const host of model.hosts) nodes.push({ name: host.name, ip: host.ip, manager: false });
  const subnet = BRIDGE_ADDRESS.split('.').slice(0, 3).join('.');
  for (const node of nodes) {
    if (!node.ip.startsWith(`${subnet}.`) || node.ip === BRIDGE_ADDRESS) problems.push(`${node.name} ${node.ip}: the staging swarm's nodes live on ${subnet}.0/${BRIDGE_PREFIX} (not ${BRIDGE_ADDRESS})`);
  }
  if (!nodes.some((node) => node.manager)) problems.push('the staging topology names no manager');
  if (problems.length > 0) throw new Error(`${model.source}: ${problems.join('; ')}`);
  return nodes;
}

/** The first manager: where swarm was initialised, where deploy and verify run (DOCKER_HOST in staging.env). */
export const leaderOf = (nodes: readonly NodeSpec[]) => nodes.find((node) => node.manager)!;

export const managerEnv = (leader: NodeSpec): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: dockerHost(STAGING, leader.name) });

export const managerRunner =
  (leader: NodeSpec): DockerRunner =>
  (args, options = {}) =>
    docker(args, { ...options, env: { ...managerEnv(leader), ...(options.env ?? {}) } });

const engineOf = (node: NodeSpec): Engine => ({ name: node.name, env: { ...process.env, DOCKER_HOST: dockerHost(STAGING, node.name) } });

async function readNodes(): Promise<NodeSpec[]> {
  return JSON.parse(await readFile(NODES_FILE, 'utf8').catch(() => '[]')) as NodeSpec[];
}

async function writeNodes(nodes: readonly NodeSpec[]): Promise<void> {
  await mkdir(path.dirname(NODES_FILE), { recursive: true });
  await writeFile(NODES_FILE, `${JSON.stringify(nodes, null, 2)}\n`);
}

export interface StagingUpResult {
  phases: Phase[];
  model: ClusterModel;
  nodes: NodeSpec[];
  credentials: MinioCredentials;
  totalMs: number;
}

export async function stagingUp(options: { log?: Log; readyTimeoutMs?: number } = {}): Promise<StagingUpResult> {
  const log = options.log ?? (() => undefined);
  const phases: Phase[] = [];
  const started = performance.now();
  const model = await loadModel(STAGING);
  const nodes = mergeNodes(await readNodes(), stagingNodes(model));
  const leader = leaderOf(nodes);

  await phase(phases, log, 'network', async () => {
    const bridge = await ensureBridge();
    const resolver = await ensureSiteResolver(STAGING, BRIDGE_ADDRESS);
    return { value: undefined, detail: `${bridge.created ? 'bridge created' : 'bridge present'}; site resolver ${resolver.started ? 'started' : 'running'} on ${BRIDGE_ADDRESS}:53` };
  });
  await phase(phases, log, 'engines', async () => {
    const started = await Promise.all(nodes.map(async (node) => ((await startEngine(STAGING, node)).started ? node.name : undefined)));
    await writeNodes(nodes);
    const count = started.filter(Boolean).length;
    return { value: undefined, detail: `${nodes.length} engines (${count} started, ${nodes.length - count} running)` };
  });
  await phase(phases, log, 'swarm', async () => {
    const formed = await formSwarm(STAGING, nodes);
    return {
      value: undefined,
      detail: `${nodes.filter((node) => node.manager).length} managers, ${nodes.filter((node) => !node.manager).length} workers${formed.initialised ? ', initialised' : ''}${formed.joined.length > 0 ? `, joined ${formed.joined.length}` : ''}`,
    };
  });
  const binaries = await phase(phases, log, 'binaries', async () => {
    const { binaries, reports } = await ensureBinaries();
    return { value: binaries, detail: reports.map((report) => `${report.name} ${report.built ? `built in ${formatMs(report.ms)}` : 'cached'}`).join(', ') };
  });
  await phase(phases, log, 'images', async () => {
    const reports = await importImages(model, nodes, binaries);
    return { value: undefined, detail: reports.map((report) => `${report.tag} ${report.importedInto.length > 0 ? `into ${report.importedInto.length} engines` : 'current'}`).join(', ') };
  });
  const credentials = await phase(phases, log, 'secrets', async () => {
    const { credentials, report } = await ensureSecrets(model, { file: envFile(STAGING), env: managerEnv(leader), extra: { DOCKER_HOST: dockerHost(STAGING, leader.name) } });
    return { value: credentials, detail: `${report.created.length > 0 ? `created ${report.created.join(', ')}` : 'all exist'}; ${path.basename(envFile(STAGING))} ${report.reusedCredentials ? 'reused' : 'written'}` };
  });
  await phase(phases, log, 'render', async () => ({ value: undefined, detail: await renderIfStale(STAGING) }));
  await phase(phases, log, 'deploy', async () => {
    const report = await runDeploy({
      root: REPO_ROOT,
      environment: STAGING,
      runner: managerRunner(leader),
      log: (line) => log(`  ${line}`),
      minio: { root: { accessKey: credentials.user, secretKey: credentials.password }, verify: { accessKey: credentials.verifyUser, secretKey: credentials.verifyPassword } },
    });
    if (!report.ok) throw new Error(`milvus-swarm deploy --env staging failed in ${report.phase}:\n  ${report.problems.join('\n  ')}`);
    // Where the converge stage's seconds go (the proxy refresh, MinIO serving), in every CI log.
    for (const note of report.notes) log(`  ${note}`);
    return { value: report, detail: `milvus-swarm deploy: ${report.rows.length} services converged (${report.timings.map((timing) => `${timing.phase} ${formatMs(timing.ms)}`).join(', ')})` };
  });
  await phase(phases, log, 'ready', async () => {
    const ready = await waitUntilReady(model, options.readyTimeoutMs ?? 180_000, stagingReadiness(model, nodes));
    return { value: ready, detail: `${ready.probes.length} probes answer` };
  });
  // As deploy.yml does after every deploy: verify (deploy, with root's pair, made the buckets the topology names: the
  // runbook's console step). A fail here is a failed e2e:up.
  await phase(phases, log, 'verify', async () => {
    // The topology's endpoints; verify finds the managers that run the proxies itself.
    const report = await runVerify({
      model,
      endpoints: endpointsFromModel(model),
      // verify's own user, which deploy just made (deploy.yml's verify step signs in the same way).
      credentials: { accessKey: credentials.verifyUser, secretKey: credentials.verifyPassword, user: 'verify' },
      runner: managerRunner(leader),
    });
    const failed = report.rows.filter((row) => row.status === 'fail');
    if (failed.length > 0) throw new Error(`verify failed: ${failed.map((row) => `${row.check}: ${row.reason}`).join('; ')}`);
    return { value: report, detail: `${report.summary.pass} pass, ${report.summary.warn} warn` };
  });
  return { phases, model, nodes, credentials, totalMs: Math.round(performance.now() - started) };
}

/**
 * Every image the model names, imported into the engines that may run it (needs, below). A topology of a test that
 * runs more than staging.yaml (Prometheus and Alertmanager in the monitoring drill) brings its images this way too.
 */
export async function importImages(model: ClusterModel, nodes: readonly NodeSpec[], binaries?: Binaries): Promise<ImageReport[]> {
  const built = binaries ?? (await ensureBinaries()).binaries;
  const reports: ImageReport[] = [];
  for (const recipe of await imageRecipes(imageTags(model), built)) reports.push(await ensureImage(recipe, nodes.filter((node) => needs(model, node, recipe.tag)).map(engineOf)));
  return reports;
}

/**
 * Whether a node needs an image: as a registry would serve it, each node gets only what may run there — the helper
 * everywhere (host jobs), the services pinned to it, and on managers the proxies and verify's one-off etcdctl
 * containers. A host added by e2e:node add gets everything (a change may place anything on it).
 */
function needs(model: ClusterModel, node: NodeSpec, tag: string): boolean {
  if (tag === model.swarm.helperImage) return true;
  const pinned = model.services.filter((service) => service.placement.kind === 'host' && service.placement.host === node.name);
  if (node.manager) return tag === model.etcd.image || tag === model.minio.proxy.image || pinned.some((service) => service.image === tag);
  const known = model.hosts.some((host) => host.name === node.name);
  return !known || pinned.some((service) => service.image === tag);
}

/** Nodes added with e2e:node add stay part of the swarm across e2e:up runs; the topology's own nodes come first. */
function mergeNodes(saved: readonly NodeSpec[], fromTopology: readonly NodeSpec[]): NodeSpec[] {
  const names = new Set(fromTopology.map((node) => node.name));
  return [...fromTopology, ...saved.filter((node) => !names.has(node.name))];
}

/** Readiness on staging: the proxies at the managers that run them, MinIO nodes probed on their own engines. */
export function stagingReadiness(model: ClusterModel, nodes: readonly NodeSpec[]) {
  const hostOf = new Map(model.minio.pools.flatMap((pool) => pool.nodes.map((node) => [node.name, node.host ?? ''])));
  return {
    runner: managerRunner(leaderOf(nodes)),
    dockerForService: (service: string) => {
      const host = hostOf.get(service);
      const env = host ? { ...process.env, DOCKER_HOST: dockerHost(STAGING, host) } : managerEnv(leaderOf(nodes));
      return (args: readonly string[], timeoutMs: number) => docker(args, { timeoutMs, env });
    },
  };
}

export async function stagingDown(options: { log?: Log; keepData?: boolean } = {}): Promise<{ phases: Phase[]; totalMs: number }> {
  const log = options.log ?? (() => undefined);
  const phases: Phase[] = [];
  const started = performance.now();
  // No `docker stack rm`: the engines go, and with them every service, config, secret and network of the swarm.
  await phase(phases, log, 'engines', async () => {
    const removed = await removeNodes(STAGING, { keepData: options.keepData ?? false });
    return {
      value: undefined,
      detail: `${removed.stopped.length} stopped, ${removed.removed.length} removed with their namespaces${options.keepData ? '; /mnt/data of each kept' : ' and data'}`,
    };
  });
  await phase(phases, log, 'network', async () => {
    const resolver = await stopSiteResolver(STAGING);
    return { value: undefined, detail: `${(await removeBridge()).removed ? 'bridge and FORWARD rule removed' : 'no bridge'}${resolver.stopped ? '; site resolver stopped' : ''}` };
  });
  await phase(phases, log, 'files', async () => {
    const removedEnv = await removeLocalEnv(envFile(STAGING));
    await rm(NODES_FILE, { force: true });
    return { value: undefined, detail: removedEnv ? `${path.basename(envFile(STAGING))} removed` : 'nothing left' };
  });
  return { phases, totalMs: Math.round(performance.now() - started) };
}

export type NodeAction = 'stop' | 'start' | 'isolate' | 'rejoin' | 'add';

/**
 * One host of the staging swarm: its engine stopped (the machine is down) or started again, its link cut (a
 * partition) or restored, or a new host joined (a topology change that grows the cluster: `--ip`, `--manager`).
 */
export async function nodeAction(action: NodeAction, host: string, options: { ip?: string; manager?: boolean } = {}): Promise<string> {
  const nodes = await readNodes();
  if (nodes.length === 0) throw new Error('the staging swarm is not up: npm run e2e:up -- --env staging');
  const node = nodes.find((candidate) => candidate.name === host);
  if (action === 'add') {
    if (node) throw new Error(`${host} is already a node of the staging swarm (${node.ip})`);
    const spec: NodeSpec = { name: host, ip: options.ip ?? nextFreeAddress(nodes), manager: options.manager ?? false };
    await startEngine(STAGING, spec);
    await writeNodes([...nodes, spec]);
    await formSwarm(STAGING, [leaderOf(nodes), spec]);
    const model = await loadModel(STAGING);
    const { binaries } = await ensureBinaries();
    for (const recipe of await imageRecipes(imageTags(model), binaries)) await ensureImage(recipe, [engineOf(spec)]);
    return `${host} (${spec.ip}) joined the staging swarm as a ${spec.manager ? 'manager' : 'worker'}`;
  }
  if (!node) throw new Error(`${host} is not a node of the staging swarm (${nodes.map((candidate) => candidate.name).join(', ')})`);
  switch (action) {
    case 'stop':
      return (await stopEngine(STAGING, host)).stopped ? `${host}: engine stopped` : `${host}: engine was not running`;
    case 'start':
      return (await startEngine(STAGING, node)).started ? `${host}: engine started` : `${host}: engine was running`;
    case 'isolate':
      await isolate(STAGING, host);
      return `${host}: link down (partitioned from every other node)`;
    case 'rejoin':
      await rejoin(STAGING, host);
      return `${host}: link up`;
  }
}

function nextFreeAddress(nodes: readonly NodeSpec[]): string {
  const subnet = BRIDGE_ADDRESS.split('.').slice(0, 3).join('.');
  const used = new Set(nodes.map((node) => node.ip));
  for (let last = 100; last < 250; last++) if (!used.has(`${subnet}.${last}`)) return `${subnet}.${last}`;
  throw new Error(`no free address left in ${subnet}.100-249`);
}

/** Whether the staging swarm's first manager engine runs (the suite decides whether to bring it up and down). */
export async function stagingIsUp(): Promise<boolean> {
  const nodes = await readNodes();
  if (nodes.length === 0) return false;
  return (await enginePid(STAGING, leaderOf(nodes).name)) !== undefined && existsSync(nodePaths(STAGING, leaderOf(nodes).name).socket);
}

export { knownNodes };
