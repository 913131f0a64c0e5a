// The Docker engine and a one-node swarm. What is already running is used and left alone; what the harness starts
// (dockerd, `swarm init`) is written to ENGINE_STATE_FILE so that e2e:down stops exactly that.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import { ensurePackages } from './debian.ts';
import { DOCKERD_LOG, ENGINE_STATE_FILE } from './paths.ts';
import { storageDriverFor } from './storageDriver.ts';

export interface EngineState {
  /** dockerd started by the harness (pid), undefined when it found one running. */
  dockerdPid?: number;
  /** true when the harness ran `docker swarm init`. */
  swarmInitialised?: boolean;
}

export interface EngineReport {
  installed: string[];
  startedDaemon: boolean;
  initialisedSwarm: boolean;
  serverVersion: string;
}

// Without the userland proxy a host-mode port reached from 127.0.0.1 is plain NAT (through the proxy GET ran at 0.24×).
// The storage driver is overlay2 where this machine can mount one beside the data root, else vfs (storageDriver.ts).
export const dockerdArgs = async (dataRootParent: string): Promise<string[]> => [`--storage-driver=${await storageDriverFor(dataRootParent)}`, '--userland-proxy=false'];

/** dockerd's default data root (/var/lib/docker), which the engine started here keeps. */
const DEFAULT_DATA_ROOT_PARENT = '/var/lib';

interface SwarmInfo {
  LocalNodeState: string;
  ControlAvailable: boolean;
  NodeID: string;
}

export async function readEngineState(): Promise<EngineState> {
  try {
    return JSON.parse(await readFile(ENGINE_STATE_FILE, 'utf8')) as EngineState;
  } catch {
    return {};
  }
}

async function writeEngineState(state: EngineState): Promise<void> {
  await mkdir(path.dirname(ENGINE_STATE_FILE), { recursive: true });
  if (state.dockerdPid === undefined && !state.swarmInitialised) await rm(ENGINE_STATE_FILE, { force: true });
  else await writeFile(ENGINE_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

async function engineInfo(): Promise<{ version: string; swarm: SwarmInfo } | undefined> {
  const result = await docker(['info', '--format', '{{json .ServerVersion}} {{json .Swarm}}'], { timeoutMs: 10_000 });
  if (result.code !== 0) return undefined;
  const [version, ...swarm] = result.stdout.trim().split(' ');
  try {
    return { version: JSON.parse(version!) as string, swarm: JSON.parse(swarm.join(' ')) as SwarmInfo };
  } catch {
    return undefined;
  }
}

export async function ensureEngine(): Promise<EngineReport> {
  const state = await readEngineState();
  let installed: string[] = [];
  let startedDaemon = false;
  let info = await engineInfo();
  if (!info) {
    if (!(await onPath('dockerd'))) installed = await ensurePackages(['docker.io']);
    const pid = await startDockerd();
    state.dockerdPid = pid;
    startedDaemon = true;
    await writeEngineState(state);
    info = await waitFor(engineInfo, 60_000, `dockerd (pid ${pid}) did not answer within 60 s; see ${DOCKERD_LOG}`);
  }

  let initialisedSwarm = false;
  if (info.swarm.LocalNodeState !== 'active') {
    const result = await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1'], { timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`docker swarm init: ${firstLines(result.stderr, 3)}`);
    state.swarmInitialised = true;
    initialisedSwarm = true;
    await writeEngineState(state);
    info = (await engineInfo()) ?? info;
  } else if (!info.swarm.ControlAvailable) {
    throw new Error('this node is a swarm worker: run the end-to-end tests on a manager (or a machine without a swarm)');
  }
  return { installed, startedDaemon, initialisedSwarm, serverVersion: info.version };
}

/** Stops only what ensureEngine started (leaves the swarm it initialised, stops the dockerd it started). */
export async function stopStartedEngine(): Promise<{ leftSwarm: boolean; stoppedDaemon: boolean }> {
  const state = await readEngineState();
  let leftSwarm = false;
  let stoppedDaemon = false;
  if (state.swarmInitialised) {
    const result = await docker(['swarm', 'leave', '--force'], { timeoutMs: 60_000 });
    if (result.code !== 0 && !/not part of a swarm/.test(result.stderr)) throw new Error(`docker swarm leave: ${firstLines(result.stderr, 3)}`);
    leftSwarm = true;
    state.swarmInitialised = false;
    await writeEngineState(state);
  }
  if (state.dockerdPid !== undefined) {
    if (await isDockerd(state.dockerdPid)) {
      process.kill(state.dockerdPid, 'SIGTERM');
      await waitFor(async () => ((await isDockerd(state.dockerdPid!)) ? undefined : true), 60_000, `dockerd (pid ${state.dockerdPid}) did not stop within 60 s`);
      stoppedDaemon = true;
    }
    state.dockerdPid = undefined;
    await writeEngineState(state);
  }
  return { leftSwarm, stoppedDaemon };
}

async function startDockerd(): Promise<number> {
  await mkdir(path.dirname(DOCKERD_LOG), { recursive: true });
  const log = openSync(DOCKERD_LOG, 'a');
  // Detached, in its own session, output to the log: it outlives this process (e2e:down stops it by pid).
  const child = spawn('dockerd', await dockerdArgs(DEFAULT_DATA_ROOT_PARENT), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start dockerd');
  child.unref();
  return pid;
}

/** The pid is still a dockerd (not a recycled pid of something else). */
async function isDockerd(pid: number): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return path.basename(cmdline.split('\0')[0] ?? '') === 'dockerd';
  } catch {
    return false;
  }
}

async function onPath(binary: string): Promise<boolean> {
  const result = await runCommand('sh', ['-c', `command -v ${binary}`], { timeoutMs: 5_000 });
  return result.code === 0 && existsSync(result.stdout.trim());
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, message: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
