// A swarm of many nodes on one machine (DESIGN.md §6): each node is its own dockerd in its own network namespace
// (one address on a shared bridge), its own mount namespace (a private /mnt/data, so every "host" keeps its data
// apart, at the path production uses) and its own UTS namespace (its hostname, as the topology names it).
//
// Traps met on the way, each handled below: `ip netns exec` remounts /sys and dockerd then fails with "Devices cgroup
// isn't mounted", so engines start under `nsenter --net`; the host's FORWARD policy is DROP once any dockerd ran, so
// the bridge gets its own ACCEPT rule before a node joins (a join attempted before it times out and leaves the node
// in "Swarm: error"); images must be imported into every engine; stopped engines leave their namespaces' mounts to
// the kernel (the mount namespace dies with its last process), so only the folders remain to delete.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { docker, runCommand, type DockerResult } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import { dockerdArgs } from './engine.ts';
import { CACHE_DIR } from './paths.ts';

export interface NodeSpec {
  /** The hostname, as the topology names it. */
  name: string;
  /** Its address on the bridge (the topology's hosts[].ip / managers[].ip). */
  ip: string;
  manager: boolean;
}

export const BRIDGE = 'mswbr0';
export const BRIDGE_ADDRESS = '10.77.0.1';
export const BRIDGE_PREFIX = 24;
/** Overlay networks take their subnets from here, far from the bridge's 10.77.0.0/24. */
export const OVERLAY_POOL = '10.200.0.0/16';

/** Where one node's engine keeps its state (data root, the folder behind its /mnt/data) and where it listens. */
export function nodePaths(environment: string, name: string) {
  const root = path.join('/var/lib/milvus-swarm', environment, 'nodes', name);
  const run = path.join('/run/milvus-swarm', environment);
  return {
    root,
    dataRoot: path.join(root, 'docker'),
    /** Bind-mounted over /mnt/data inside the node's mount namespace. */
    mnt: path.join(root, 'mnt'),
    execRoot: path.join(run, name),
    socket: path.join(run, `${name}.sock`),
    pidFile: path.join(run, `${name}.pid`),
    log: path.join(CACHE_DIR, environment, 'engines', `${name}.log`),
    netns: `msw-${name}`,
    /** Host side of the node's link: interface names are at most 15 characters, so it is named by a hash. */
    veth: `mswv-${nameHash(name)}`,
  };
}

/** FNV-1a of the name, 6 hex digits: short enough for an interface name, distinct enough for ten nodes. */
function nameHash(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').slice(0, 6);
}

export const dockerHost = (environment: string, name: string) => `unix://${nodePaths(environment, name).socket}`;

/** The docker CLI against one node's engine. */
export function nodeDocker(environment: string, name: string) {
  const env = { ...process.env, DOCKER_HOST: dockerHost(environment, name) };
  return (args: readonly string[], timeoutMs = 30_000): Promise<DockerResult> => docker(args, { timeoutMs, env });
}

async function run(binary: string, args: readonly string[], timeoutMs = 15_000): Promise<DockerResult> {
  return runCommand(binary, args, { timeoutMs });
}

async function must(binary: string, args: readonly string[], timeoutMs = 15_000): Promise<string> {
  const result = await run(binary, args, timeoutMs);
  if (result.code !== 0) throw new Error(`${binary} ${args.join(' ')}: ${firstLines(result.stderr || result.stdout, 3) || `exit ${result.code}`}`);
  return result.stdout;
}

/** The bridge every node's link hangs on, with the host's address on it and the FORWARD rule. Idempotent. */
export async function ensureBridge(): Promise<{ created: boolean }> {
  let created = false;
  if ((await run('ip', ['link', 'show', BRIDGE])).code !== 0) {
    await must('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    await must('ip', ['addr', 'add', `${BRIDGE_ADDRESS}/${BRIDGE_PREFIX}`, 'dev', BRIDGE]);
    created = true;
  }
  await must('ip', ['link', 'set', BRIDGE, 'up']);
  // The host's FORWARD policy is DROP once any dockerd ran (br_netfilter sends bridged frames through it).
  const rule = ['FORWARD', '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'];
  if ((await run('iptables', ['-C', ...rule])).code !== 0) await must('iptables', ['-I', ...rule]);
  return { created };
}

/** The node's network namespace and its link to the bridge. Idempotent. */
async function ensureNetns(environment: string, node: NodeSpec): Promise<void> {
  const paths = nodePaths(environment, node.name);
  const inNs = (args: string[]) => must('ip', ['-n', paths.netns, ...args]);
  if (!existsSync(`/var/run/netns/${paths.netns}`)) await must('ip', ['netns', 'add', paths.netns]);
  if ((await run('ip', ['link', 'show', paths.veth])).code !== 0) {
    await must('ip', ['link', 'add', paths.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', paths.netns]);
  }
  await must('ip', ['link', 'set', paths.veth, 'master', BRIDGE, 'up']);
  const addresses = await inNs(['-o', 'addr', 'show', 'dev', 'eth0']);
  if (!addresses.includes(`inet ${node.ip}/`)) await inNs(['addr', 'add', `${node.ip}/${BRIDGE_PREFIX}`, 'dev', 'eth0']);
  await inNs(['link', 'set', 'eth0', 'up']);
  await inNs(['link', 'set', 'lo', 'up']);
  if (!(await inNs(['route', 'show', 'default'])).includes('default')) await inNs(['route', 'add', 'default', 'via', BRIDGE_ADDRESS]);
}

export async function enginePid(environment: string, name: string): Promise<number | undefined> {
  const text = await readFile(nodePaths(environment, name).pidFile, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return path.basename(cmdline.split('\0')[0] ?? '') === 'dockerd' ? pid : undefined;
}

/** Starts the node's engine unless it runs; waits until it answers. */
export async function startEngine(environment: string, node: NodeSpec): Promise<{ started: boolean }> {
  await ensureNetns(environment, node);
  const paths = nodePaths(environment, node.name);
  if (await enginePid(environment, node.name)) return { started: false };
  for (const dir of [paths.dataRoot, paths.mnt, paths.execRoot, path.dirname(paths.log), '/mnt/data']) await mkdir(dir, { recursive: true });
  await rm(paths.socket, { force: true });
  const dockerd = [
    'dockerd',
    '--data-root', paths.dataRoot,
    '--exec-root', paths.execRoot,
    '--pidfile', paths.pidFile,
    '-H', `unix://${paths.socket}`,
    // The site's resolver on the bridge (siteResolver.ts): names swarm's DNS does not hold are answered at once.
    '--dns', BRIDGE_ADDRESS,
    ...(await dockerdArgs(paths.root)),
  ];
  // hostname and the private /mnt/data are set inside the new namespaces, then the shell becomes dockerd.
  const inside = `hostname ${node.name} && mount --bind ${paths.mnt} /mnt/data && exec ${dockerd.join(' ')}`;
  const log = openSync(paths.log, 'a');
  // A swarm task always tries to pull its image first (moby's executor), and from a namespace with no route out each
  // try waits for DNS to time out: tasks sat in "Preparing" for minutes. Moby's own test daemons set this too.
  const env = { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' };
  const child = spawn('nsenter', [`--net=/var/run/netns/${paths.netns}`, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', inside], {
    detached: true,
    stdio: ['ignore', log, log],
    env,
  });
  closeSync(log);
  child.unref();
  const answer = nodeDocker(environment, node.name);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = await answer(['info', '--format', '{{.Name}}'], 10_000);
    if (info.code === 0 && info.stdout.trim() === node.name) return { started: true };
    if (Date.now() > deadline) throw new Error(`the engine of ${node.name} did not answer within 60 s: see ${paths.log} (${firstLines(info.stderr, 2)})`);
    await sleep(300);
  }
}

/** Stops the node's engine (the machine is down): SIGTERM, so its containers stop; SIGKILL after 60 s. */
export async function stopEngine(environment: string, name: string): Promise<{ stopped: boolean }> {
  const pid = await enginePid(environment, name);
  if (!pid) return { stopped: false };
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (await enginePid(environment, name)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(1_000);
      break;
    }
    await sleep(250);
  }
  await waitForNamespaceToEmpty(environment, name);
  return { stopped: true };
}

/** containerd and its shims leave after dockerd; the netns must hold no process before it can be reused or deleted. */
async function waitForNamespaceToEmpty(environment: string, name: string): Promise<void> {
  const { netns } = nodePaths(environment, name);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pids = (await run('ip', ['netns', 'pids', netns])).stdout.split('\n').filter(Boolean);
    if (pids.length === 0) return;
    if (Date.now() > deadline) {
      for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
      return;
    }
    await sleep(250);
  }
}

/** A network partition: the node's link goes down (its engine keeps running, cut off from every peer). */
export const isolate = (environment: string, name: string) => must('ip', ['link', 'set', nodePaths(environment, name).veth, 'down']);
export const rejoin = (environment: string, name: string) => must('ip', ['link', 'set', nodePaths(environment, name).veth, 'up']);

export async function isIsolated(environment: string, name: string): Promise<boolean> {
  const link = await run('ip', ['-o', 'link', 'show', nodePaths(environment, name).veth]);
  return link.code === 0 && !/[<,]UP[,>]/.test(link.stdout);
}

interface SwarmInfo {
  LocalNodeState: string;
  NodeID: string;
  ControlAvailable: boolean;
  Error: string;
}

async function swarmState(environment: string, name: string): Promise<SwarmInfo> {
  const result = await nodeDocker(environment, name)(['info', '--format', '{{json .Swarm}}'], 15_000);
  if (result.code !== 0) throw new Error(`docker info on ${name}: ${firstLines(result.stderr, 2)}`);
  return JSON.parse(result.stdout) as SwarmInfo;
}

/**
 * The first manager initialises the swarm (unless it is in one), every other node joins it as what the spec says.
 * A node stuck in "error" (a join that timed out) leaves and joins again.
 */
export async function formSwarm(environment: string, nodes: readonly NodeSpec[]): Promise<{ initialised: boolean; joined: string[] }> {
  const leader = nodes.find((node) => node.manager);
  if (!leader) throw new Error('a swarm needs at least one manager');
  const onLeader = nodeDocker(environment, leader.name);
  let initialised = false;
  if ((await swarmState(environment, leader.name)).LocalNodeState !== 'active') {
    const init = await onLeader(['swarm', 'init', '--advertise-addr', leader.ip, '--listen-addr', `${leader.ip}:2377`, '--default-addr-pool', OVERLAY_POOL], 60_000);
    if (init.code !== 0) throw new Error(`docker swarm init on ${leader.name}: ${firstLines(init.stderr, 3)}`);
    initialised = true;
  }
  const token = async (role: 'manager' | 'worker') => (await mustDocker(onLeader, ['swarm', 'join-token', '-q', role])).trim();
  const tokens = { manager: await token('manager'), worker: await token('worker') };
  const joined: string[] = [];
  for (const node of nodes) {
    if (node === leader) continue;
    const state = await swarmState(environment, node.name);
    if (state.LocalNodeState === 'active') continue;
    const onNode = nodeDocker(environment, node.name);
    if (state.LocalNodeState === 'error' || state.LocalNodeState === 'pending') await onNode(['swarm', 'leave', '--force'], 30_000);
    const join = await onNode(['swarm', 'join', '--token', node.manager ? tokens.manager : tokens.worker, '--advertise-addr', node.ip, `${leader.ip}:2377`], 60_000);
    if (join.code !== 0) throw new Error(`docker swarm join on ${node.name}: ${firstLines(join.stderr, 3)}`);
    joined.push(node.name);
  }
  return { initialised, joined };
}

async function mustDocker(on: ReturnType<typeof nodeDocker>, args: string[]): Promise<string> {
  const result = await on(args);
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')}: ${firstLines(result.stderr, 3)}`);
  return result.stdout;
}

/** The nodes whose engines this machine runs for the environment (from the folders the engines keep). */
export async function knownNodes(environment: string): Promise<string[]> {
  const listed = await run('ls', ['-1', path.join('/var/lib/milvus-swarm', environment, 'nodes')]);
  return listed.code === 0 ? listed.stdout.split('\n').filter(Boolean).sort() : [];
}

/** Stops every engine, deletes the namespaces (their links go with them), and the folders — /mnt/data unless kept. */
export async function removeNodes(environment: string, options: { keepData: boolean }): Promise<{ stopped: string[]; removed: string[] }> {
  const names = await knownNodes(environment);
  const stopped: string[] = [];
  // In parallel: each engine takes seconds to stop its containers.
  await Promise.all(names.map(async (name) => ((await stopEngine(environment, name)).stopped ? stopped.push(name) : undefined)));
  for (const name of names) {
    const paths = nodePaths(environment, name);
    if (existsSync(`/var/run/netns/${paths.netns}`)) await must('ip', ['netns', 'del', paths.netns]);
    // Deleting the namespace deletes its end of the pair, and the kernel then removes the host end on its own.
    const veth = await run('ip', ['link', 'del', paths.veth]);
    if (veth.code !== 0 && !/Cannot find device/.test(veth.stderr)) throw new Error(`ip link del ${paths.veth}: ${firstLines(veth.stderr, 2)}`);
    await rm(paths.execRoot, { recursive: true, force: true });
    await rm(paths.socket, { force: true });
    await rm(paths.pidFile, { force: true });
    await rm(paths.dataRoot, { recursive: true, force: true });
    if (!options.keepData) await rm(paths.root, { recursive: true, force: true });
  }
  return { stopped: stopped.sort(), removed: names };
}

/** The bridge and its FORWARD rule, once no node hangs on it. */
export async function removeBridge(): Promise<{ removed: boolean }> {
  const rule = ['FORWARD', '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'];
  while ((await run('iptables', ['-C', ...rule])).code === 0) await must('iptables', ['-D', ...rule]);
  if ((await run('ip', ['link', 'show', BRIDGE])).code !== 0) return { removed: false };
  await must('ip', ['link', 'del', BRIDGE]);
  return { removed: true };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
