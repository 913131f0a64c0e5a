// What a proxy costs and holds, read from the outside while a benchmark runs on the local stack: CPU time of a
// service's containers (cgroup v1 cpuacct, as the Docker engine here sets it up) and TCP connection counts in a
// container's network namespace (ss through nsenter). Local only: the staging engines' containers live in other
// namespaces and cgroup trees; there the figures are reported as unknown rather than guessed.
import { readFile } from 'node:fs/promises';
import { docker, runCommand } from '../../../generator/docker/cli.ts';

async function containersOf(service: string): Promise<string[]> {
  const result = await docker(['ps', '-q', '--no-trunc', '--filter', `label=com.docker.swarm.service.name=${service}`], { timeoutMs: 15_000 });
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/** CPU nanoseconds used so far by every container of the services, or undefined when it cannot be read. */
export async function servicesCpuNs(services: readonly string[]): Promise<number | undefined> {
  let total = 0;
  for (const service of services) {
    const ids = await containersOf(service);
    if (ids.length === 0) return undefined;
    for (const id of ids) {
      const text = await readFile(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      total += Number(text.trim());
    }
  }
  return total;
}

export interface ConnectionCounts {
  /** Established connections to port `upstreamPort` (the proxy's connections to its backends). */
  upstream: number;
  /** Established connections to the proxy's own port (its clients). */
  clients: number;
  /** Sockets in TIME-WAIT: connections closed since (a proxy without keepalive closes one per request). */
  timeWait: number;
}

/** Connection counts inside the first container of a service (its network namespace). */
export async function connectionCounts(service: string, listenPort: number, upstreamPort: number): Promise<ConnectionCounts | undefined> {
  const [id] = await containersOf(service);
  if (!id) return undefined;
  const inspect = await docker(['inspect', '-f', '{{.State.Pid}}', id], { timeoutMs: 15_000 });
  const pid = inspect.stdout.trim();
  if (inspect.code !== 0 || !/^\d+$/.test(pid) || pid === '0') return undefined;
  const count = async (filter: string[]) => {
    const result = await runCommand('nsenter', ['-t', pid, '-n', 'ss', '-Htn', ...filter], { timeoutMs: 15_000 });
    return result.code === 0 ? result.stdout.split('\n').filter(Boolean).length : Number.NaN;
  };
  return {
    upstream: await count(['state', 'established', `( dport = :${upstreamPort} )`]),
    clients: await count(['state', 'established', `( sport = :${listenPort} )`]),
    timeWait: await count(['state', 'time-wait']),
  };
}
