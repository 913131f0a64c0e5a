// After a successful deploy: remove this stack's nginx and monitoring configs that no service uses any more. Their
// names carry content hashes (render/configName.ts), so every template change leaves the previous one behind, and the
// monitoring files' configs are used only by the job that writes them (operations/monitoringFiles.ts removes them
// itself; an interrupted deploy leaves them here). Only configs named by that scheme are candidates: the stack's namespace may hold another team's configs and secrets (the runbook's
// `milvus` stack also runs Milvus itself), and external secrets and the deployed-topology record never are.
import { dockerDo, dockerJson, dockerLines, dockerValue } from '../../docker/calls.ts';
import { parseJsonLines } from '../../docker/cli.ts';
import { isStackFileConfigName } from '../../render/configName.ts';
import type { DockerRunner } from '../../docker/runner.ts';

export interface ServiceReferences {
  Spec: { TaskTemplate: { ContainerSpec?: { Configs?: { ConfigName?: string }[] } } };
}

/** The stack's own nginx and monitoring configs that none of these services (from `docker service inspect`) refers to. */
export function unusedConfigs(stack: string, configs: readonly string[], services: readonly ServiceReferences[]): string[] {
  const used = new Set(services.flatMap((service) => (service.Spec.TaskTemplate.ContainerSpec?.Configs ?? []).map((config) => config.ConfigName ?? '')));
  return configs.filter((name) => isStackFileConfigName(stack, name) && !used.has(name)).sort();
}

export interface PruneResult {
  removed: string[];
  /** Not fatal: the deploy succeeded; a leftover is retried at the next deploy. */
  problems: string[];
}

export async function pruneUnused(runner: DockerRunner, stack: string): Promise<PruneResult> {
  const [configs, services] = await Promise.all([
    dockerValue(runner, ['config', 'ls', '--filter', `label=com.docker.stack.namespace=${stack}`, '--format', '{{json .}}'], (stdout) =>
      parseJsonLines<{ Name: string }>(stdout).map((entry) => entry.Name),
    ),
    // Every service of the namespace, ours or not: a config another service still uses is never unused.
    dockerLines(runner, ['service', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${stack}`]),
  ]);
  if (!configs.ok) return { removed: [], problems: [`could not list the stack's configs or services: ${configs.reason}`] };
  if (!services.ok) return { removed: [], problems: [`could not list the stack's configs or services: ${services.reason}`] };
  // No services means nothing is known to be in use: never remove on that basis.
  if (services.value.length === 0) return { removed: [], problems: [] };
  const inspected = await dockerJson<ServiceReferences[]>(runner, ['service', 'inspect', ...services.value]);
  if (!inspected.ok) return { removed: [], problems: [`could not inspect the stack's services: ${inspected.reason}`] };
  const removed: string[] = [];
  const problems: string[] = [];
  for (const name of unusedConfigs(stack, configs.value, inspected.value)) {
    // One at a time: one still in use (a task not yet replaced) must not stop the others.
    const result = await dockerDo(runner, ['config', 'rm', name]);
    if (result.ok) removed.push(`config ${name}`);
    else problems.push(`config ${name} is unused but could not be removed: ${result.reason} (the next deploy retries)`);
  }
  return { removed, problems };
}
