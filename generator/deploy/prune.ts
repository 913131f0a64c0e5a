// After a successful deploy: remove this stack's configs and secrets that no service uses any more. Their names carry
// content hashes, so every change leaves the previous one behind. Only objects labelled with the stack's namespace
// (created by `docker stack deploy`) are candidates: external secrets and the deployed-topology record never are.
import { parseJsonLines } from '../docker/cli.ts';
import type { DockerRunner } from '../verify/dockerRunner.ts';

export interface ServiceReferences {
  Spec: { TaskTemplate: { ContainerSpec?: { Configs?: { ConfigName?: string }[]; Secrets?: { SecretName?: string }[] } } };
}

export interface Unused {
  configs: string[];
  secrets: string[];
}

/** The stack's configs and secrets that none of these services (from `docker service inspect`) refers to. */
export function unusedStackObjects(configs: readonly string[], secrets: readonly string[], services: readonly ServiceReferences[]): Unused {
  const usedConfigs = new Set(services.flatMap((service) => (service.Spec.TaskTemplate.ContainerSpec?.Configs ?? []).map((config) => config.ConfigName ?? '')));
  const usedSecrets = new Set(services.flatMap((service) => (service.Spec.TaskTemplate.ContainerSpec?.Secrets ?? []).map((secret) => secret.SecretName ?? '')));
  return { configs: configs.filter((name) => !usedConfigs.has(name)).sort(), secrets: secrets.filter((name) => !usedSecrets.has(name)).sort() };
}

export interface PruneResult {
  removed: string[];
  /** Not fatal: the deploy succeeded; a leftover is retried at the next deploy. */
  problems: string[];
}

export async function pruneUnused(runner: DockerRunner, stack: string): Promise<PruneResult> {
  const namespace = ['--filter', `label=com.docker.stack.namespace=${stack}`, '--format', '{{json .}}'];
  const [configs, secrets, services] = await Promise.all([
    runner(['config', 'ls', ...namespace], { timeoutMs: 20_000 }),
    runner(['secret', 'ls', ...namespace], { timeoutMs: 20_000 }),
    runner(['service', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs: 20_000 }),
  ]);
  const failed = [configs, secrets, services].find((result) => result.code !== 0);
  if (failed) return { removed: [], problems: [`could not list the stack's configs, secrets or services: ${failed.stderr.trim().split('\n')[0]}`] };
  const ids = services.stdout.split('\n').filter((line) => line.trim() !== '');
  // No services means nothing is known to be in use: never remove on that basis.
  if (ids.length === 0) return { removed: [], problems: [] };
  const inspected = await runner(['service', 'inspect', ...ids], { timeoutMs: 20_000 });
  if (inspected.code !== 0) return { removed: [], problems: [`could not inspect the stack's services: ${inspected.stderr.trim().split('\n')[0]}`] };
  const names = (stdout: string) => parseJsonLines<{ Name: string }>(stdout).map((entry) => entry.Name);
  const unused = unusedStackObjects(names(configs.stdout), names(secrets.stdout), JSON.parse(inspected.stdout) as ServiceReferences[]);
  const removed: string[] = [];
  const problems: string[] = [];
  for (const [kind, list] of [
    ['config', unused.configs],
    ['secret', unused.secrets],
  ] as const) {
    for (const name of list) {
      // One at a time: one still in use (a task not yet replaced) must not stop the others.
      const result = await runner([kind, 'rm', name], { timeoutMs: 20_000 });
      if (result.code === 0) removed.push(`${kind} ${name}`);
      else problems.push(`${kind} ${name} is unused but could not be removed: ${result.stderr.trim().split('\n')[0]} (the next deploy retries)`);
    }
  }
  return { removed, problems };
}
