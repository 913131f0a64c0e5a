// After convergence, in dnsrr mode: restart the MinIO load balancer when a MinIO task became running after nginx looked
// up the names (generator/verify/proxyAddresses.ts says why), so that nginx sends every node traffic again instead of
// stalling on an address that is gone. A forced update is swarm's own restart: it follows the proxy's update_config
// (one task at a time, rolled back on failure) and works on whichever manager runs the proxy.
import { dockerDo } from '../../docker/calls.ts';
import type { ClusterModel } from '../../model/types.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { minioProxyAddresses } from '../../cluster/proxyAddresses.ts';
import { waitForConvergence, type ConvergeResult } from './convergence.ts';

export interface ProxyRefresh {
  notes: string[];
  /** Set when the proxy was restarted: the stack's state after that restart. */
  converged?: ConvergeResult;
  /** The restart could not even be asked for. */
  problem?: string;
}

export async function refreshStaleProxy(runner: DockerRunner, model: ClusterModel, timeoutMs: number): Promise<ProxyRefresh> {
  const looked = await minioProxyAddresses(runner, model, 20_000);
  // The deploy converged; a failed look is worth a note, and verify reports the same check.
  if (!looked.ok) return { notes: [`could not check whether ${model.minio.proxy.name} has the MinIO nodes' current addresses: ${looked.error}`] };
  const addresses = looked.value;
  if (addresses.kind !== 'stale') return { notes: [] };
  const service = `${model.stack}_${addresses.proxy}`;
  const since = new Date();
  const updated = await dockerDo(runner, ['service', 'update', '--force', '--detach', '--quiet', service], { timeoutMs: 60_000 });
  if (!updated.ok) {
    return {
      notes: [],
      problem: `${addresses.stale.join(', ')} started after ${addresses.proxy} looked up the MinIO names (dnsrr), and restarting it failed: ${updated.reason}: run \`docker service update --force ${service}\``,
    };
  }
  const converged = await waitForConvergence({ stack: model.stack, timeoutMs, since, runner });
  return {
    notes: [`restarted ${addresses.proxy}: ${addresses.stale.join(', ')} started after it looked up the MinIO names (dnsrr: nginx had their old addresses)`],
    converged,
  };
}
