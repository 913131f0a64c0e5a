// `docker stack rm`, then wait until the stack is really gone. The CLI returns while swarm still tears down tasks
// and the overlay network; deploying the same stack again before the network is gone fails or races.
import { RECORD_KIND, recordFilterArgs, STACK_RECORD_KIND } from '../../../generator/deploy/operations/deployedTopology.ts';
import { docker, dockerFailure } from '../../../generator/docker/cli.ts';
import type { DockerRunner } from '../../../generator/docker/runner.ts';
import { firstLines } from '../support/docker.ts';

export interface StackRemoveOptions {
  stack: string;
  timeoutMs: number;
  pollMs?: number;
}

/** What of the stack still exists, by the label `docker stack deploy` puts on everything it creates. */
export interface StackLeftovers {
  services: string[];
  containers: string[];
  networks: string[];
  configs: string[];
}

export type StackRemoveResult =
  | { ok: true; elapsedMs: number; /** false when there was nothing to remove */ removed: boolean }
  | { ok: false; elapsedMs: number; message: string; leftovers?: StackLeftovers };

export async function removeStack(options: StackRemoveOptions): Promise<StackRemoveResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const elapsed = () => Date.now() - started;

  const before = await stackLeftovers(options.stack, Math.min(remaining(), 20_000));
  if (isEmpty(before)) return { ok: true, elapsedMs: elapsed(), removed: false };

  if (before.services.length > 0 || before.networks.length > 0 || before.configs.length > 0) {
    const result = await docker(['stack', 'rm', options.stack], { timeoutMs: Math.min(remaining(), 60_000) });
    if (result.code !== 0) {
      return { ok: false, elapsedMs: elapsed(), message: `docker stack rm ${options.stack}: ${result.timedOut ? 'timed out' : firstLines(result.stderr, 3)}` };
    }
  }
  let leftovers = before;
  for (;;) {
    leftovers = await stackLeftovers(options.stack, Math.min(remaining(), 20_000)).catch(() => leftovers);
    if (isEmpty(leftovers)) return { ok: true, elapsedMs: elapsed(), removed: true };
    // Swarm removes the network once the last task is gone; a network left after its services (an attached
    // container outside the stack, or the removal raced) needs asking again.
    if (leftovers.services.length === 0 && leftovers.containers.length === 0 && leftovers.networks.length > 0) {
      await docker(['network', 'rm', ...leftovers.networks], { timeoutMs: Math.min(remaining(), 20_000) });
    }
    if (Date.now() + (options.pollMs ?? 1_000) > deadline) {
      const what = Object.entries(leftovers)
        .filter(([, names]) => names.length > 0)
        .map(([kind, names]) => `${kind}: ${(names as string[]).join(', ')}`)
        .join('; ');
      return { ok: false, elapsedMs: elapsed(), message: `stack ${options.stack} still has ${what} after ${Math.round(elapsed() / 1000)} s`, leftovers };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}

export async function stackLeftovers(stack: string, timeoutMs: number): Promise<StackLeftovers> {
  const label = `label=com.docker.stack.namespace=${stack}`;
  const names = async (args: string[], field = '.Name') => {
    const result = await docker([...args, '--filter', label, '--format', `{{${field}}}`], { timeoutMs });
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')}: ${result.timedOut ? 'timed out' : firstLines(result.stderr, 3)}`);
    return result.stdout.split('\n').filter((line) => line.trim() !== '').sort();
  };
  const [services, containers, networks, configs] = await Promise.all([
    names(['service', 'ls']),
    names(['container', 'ls', '--all'], '.Names'),
    names(['network', 'ls']),
    names(['config', 'ls']),
  ]);
  return { services, containers, networks, configs };
}

const isEmpty = (leftovers: StackLeftovers) => Object.values(leftovers).every((names) => names.length === 0);

/**
 * Removes every record of the stack. `docker stack rm` keeps them on purpose (they carry no stack-namespace label):
 * removing the services is not forgetting what was deployed. Tearing an environment down for good (e2e:down) is.
 */
export async function removeDeployedTopologyRecords(runner: DockerRunner, stack: string): Promise<{ removed: string[]; problem?: string }> {
  const names: string[] = [];
  // Both kinds: the deployed topology and the stack file deployed beside it.
  for (const kind of [RECORD_KIND, STACK_RECORD_KIND] as const) {
    const listed = await runner(['config', 'ls', '--format', '{{.Name}}', ...recordFilterArgs(stack, kind)], { timeoutMs: 20_000 });
    if (listed.code !== 0) return { removed: [], problem: `could not list the records of ${stack}: ${dockerFailure(listed)}` };
    names.push(...listed.stdout.split('\n').filter((line) => line.trim() !== ''));
  }
  if (names.length === 0) return { removed: [] };
  const removed = await runner(['config', 'rm', ...names], { timeoutMs: 20_000 });
  if (removed.code !== 0) return { removed: [], problem: `could not remove the topology records ${names.join(', ')}: ${dockerFailure(removed)}` };
  return { removed: names };
}
