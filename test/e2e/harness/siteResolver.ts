// The staging site's resolver (siteResolverServer.ts says why), started with the swarm and stopped with it. Its pid is
// kept beside the engines' so that e2e:up finds it running, and e2e:down stops exactly that process.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR, REPO_ROOT } from './paths.ts';

const RUN_DIR = '/run/milvus-swarm';
const SERVER = path.join(import.meta.dirname, 'siteResolverServer.ts');

const pidFile = (environment: string) => path.join(RUN_DIR, environment, 'resolver.pid');
const logFile = (environment: string) => path.join(CACHE_DIR, environment, 'resolver.log');

/** The resolver's pid when that process is still ours (a recycled pid of something else is not). */
async function resolverPid(environment: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile(environment), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(SERVER) ? pid : undefined;
}

/** Starts the resolver on `address`:53 unless it runs; waits until it answers. */
export async function ensureSiteResolver(environment: string, address: string): Promise<{ started: boolean }> {
  if (await resolverPid(environment)) return { started: false };
  await mkdir(path.dirname(pidFile(environment)), { recursive: true });
  await mkdir(path.dirname(logFile(environment)), { recursive: true });
  const log = openSync(logFile(environment), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, address, '53'], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not start the site resolver');
  child.unref();
  await writeFile(pidFile(environment), `${child.pid}\n`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const said = await readFile(logFile(environment), 'utf8').catch(() => '');
    if (said.includes(`answering NXDOMAIN on ${address}:53`) && (await resolverPid(environment))) return { started: true };
    if (!(await resolverPid(environment)) || Date.now() > deadline) {
      throw new Error(`the site resolver did not start on ${address}:53: ${said.trim().split('\n').slice(-2).join(' / ') || 'no output'} (${logFile(environment)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopSiteResolver(environment: string): Promise<{ stopped: boolean }> {
  const pid = await resolverPid(environment);
  await rm(pidFile(environment), { force: true });
  if (!pid) return { stopped: false };
  process.kill(pid, 'SIGTERM');
  return { stopped: true };
}
