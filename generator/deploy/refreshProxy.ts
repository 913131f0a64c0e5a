// After convergence, in dnsrr mode: restart the MinIO load balancer when a MinIO task became running after nginx looked
// up the names (generator/verify/proxyAddresses.ts says why), so that nginx sends every node traffic again instead of
// stalling on an address that is gone. A forced update is swarm's own restart: it follows the proxy's update_config
// (one task at a time, rolled back on failure) and works on whichever manager runs the proxy.
import { dockerFailure } from '../docker/cli.ts';
import type { ClusterModel } from '../model/types.ts';
import type { DockerRunner } from '../verify/dockerRunner.ts';
import { minioProxyAddresses } from '../verify/proxyAddresses.ts';
import { waitForConvergence, type ConvergeResult } from './converge.ts';

export interface ProxyRefresh {
  notes: string[];
  /** Set when the proxy was restarted: the stack's state after that restart. */
  converged?: ConvergeResult;
  /** The restart could not even be asked for. */
  problem?: string;
}

export async function refreshStaleProxy(runner: DockerRunner, model: ClusterModel, timeoutMs: number): Promise<ProxyRefresh> {
  let addresses: Awaited<ReturnType<typeof minioProxyAddresses>>;
  try {
    addresses = await minioProxyAddresses(runner, model, 20_000);
  } catch (error) {
    // The deploy converged; a failed look is worth a note, and verify reports the same check.
    return { notes: [`could not check whether ${model.minio.proxy.name} has the MinIO nodes' current addresses: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (addresses.kind !== 'stale') return { notes: [] };
  const service = `${model.stack}_${addresses.proxy}`;
  const since = new Date();
  const updated = await runner(['service', 'update', '--force', '--detach', '--quiet', service], { timeoutMs: 60_000 });
  if (updated.code !== 0) {
    return {
      notes: [],
      problem: `${addresses.stale.join(', ')} started after ${addresses.proxy} looked up the MinIO names (dnsrr), and restarting it failed: ${dockerFailure(updated)}: run \`docker service update --force ${service}\``,
    };
  }
  const converged = await waitForConvergence({ stack: model.stack, timeoutMs, since, runner });
  return {
    notes: [`restarted ${addresses.proxy}: ${addresses.stale.join(', ')} started after it looked up the MinIO names (dnsrr: nginx had their old addresses)`],
    converged,
  };
}
