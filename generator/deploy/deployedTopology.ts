// The topology of the last successful deploy, kept in the swarm itself as a config (a swarm config is immutable,
// holds up to 500 KB, survives `docker stack rm` and is readable from any manager), so the next deploy plans against
// what is really deployed, not against git history. One record per stack: the new one is written after convergence
// and the older ones removed. Its name carries the content hash, like every config this project creates.
import { dockerFailure } from '../docker/cli.ts';
import { contentHash } from '../render/configName.ts';
import { hashedConfigName } from '../topology/swarmNames.ts';
import type { DockerRunner } from '../verify/dockerRunner.ts';
import { readFact, type Fact } from './facts.ts';

export const RECORD_LABEL = 'io.milvus-swarm.record';
export const RECORD_KIND = 'deployed-topology';
export const STACK_LABEL = 'io.milvus-swarm.stack';
export const ENVIRONMENT_LABEL = 'io.milvus-swarm.environment';
export const DEPLOYED_AT_LABEL = 'io.milvus-swarm.deployed-at';
export const COMMIT_LABEL = 'io.milvus-swarm.commit';

export interface DeployedTopology {
  name: string;
  environment: string;
  deployedAt: string;
  commit?: string;
  /** The topology file's text, as it was deployed. */
  text: string;
}

export const recordName = (stack: string, text: string): string => hashedConfigName(stack, 'topology', contentHash(text));

export function recordLabels(stack: string, environment: string, deployedAt: Date, commit?: string): Record<string, string> {
  return {
    [RECORD_LABEL]: RECORD_KIND,
    [STACK_LABEL]: stack,
    [ENVIRONMENT_LABEL]: environment,
    [DEPLOYED_AT_LABEL]: deployedAt.toISOString(),
    ...(commit ? { [COMMIT_LABEL]: commit } : {}),
  };
}

/** `docker config create` of a record; the text goes on stdin. */
export function recordCreateArgs(stack: string, environment: string, text: string, deployedAt: Date, commit?: string): string[] {
  const labels = Object.entries(recordLabels(stack, environment, deployedAt, commit)).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  return ['config', 'create', ...labels, recordName(stack, text), '-'];
}

export const recordFilterArgs = (stack: string): string[] => ['--filter', `label=${RECORD_LABEL}=${RECORD_KIND}`, '--filter', `label=${STACK_LABEL}=${stack}`];

interface ConfigInspect {
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}

/** The newest record among `docker config inspect` output, or undefined when there is none (a first deploy). */
export function latestRecord(inspected: readonly ConfigInspect[]): DeployedTopology | undefined {
  const records = inspected
    .filter((config) => config.Spec.Labels?.[RECORD_LABEL] === RECORD_KIND)
    .map((config) => ({
      name: config.Spec.Name,
      environment: config.Spec.Labels?.[ENVIRONMENT_LABEL] ?? '',
      deployedAt: config.Spec.Labels?.[DEPLOYED_AT_LABEL] ?? '',
      ...(config.Spec.Labels?.[COMMIT_LABEL] ? { commit: config.Spec.Labels[COMMIT_LABEL] } : {}),
      text: Buffer.from(config.Spec.Data ?? '', 'base64').toString('utf8'),
    }))
    .sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
  return records[0];
}

export async function readDeployedTopology(runner: DockerRunner, stack: string): Promise<Fact<DeployedTopology | undefined>> {
  const listed = await readFact(runner, ['config', 'ls', '--quiet', ...recordFilterArgs(stack)], (stdout) => stdout.split('\n').filter((id) => id.trim() !== ''));
  if (!listed.ok) return listed;
  if (listed.value.length === 0) return { ok: true, value: undefined };
  return readFact(runner, ['config', 'inspect', ...listed.value], (stdout) => latestRecord(JSON.parse(stdout) as ConfigInspect[]));
}

/** After a successful deploy: the record of this text exists, and it is the only one of the stack. */
export async function recordDeployedTopology(runner: DockerRunner, stack: string, environment: string, text: string, commit?: string): Promise<string[]> {
  const problems: string[] = [];
  const name = recordName(stack, text);
  const existing = await runner(['config', 'ls', '--format', '{{.Name}}', ...recordFilterArgs(stack)], { timeoutMs: 20_000 });
  const names = existing.code === 0 ? existing.stdout.split('\n').filter((line) => line.trim() !== '') : [];
  // The same topology deployed from a newer commit (a template change): the record must name the newer commit, or
  // the deploy action's revision gate would let a re-run of the older commit roll the template back.
  if (names.includes(name) && commit) {
    const recorded = await runner(['config', 'inspect', '--format', `{{index .Spec.Labels "${COMMIT_LABEL}"}}`, name], { timeoutMs: 20_000 });
    if (recorded.code === 0 && recorded.stdout.trim() !== commit) {
      const removed = await runner(['config', 'rm', name], { timeoutMs: 20_000 });
      if (removed.code === 0) names.splice(names.indexOf(name), 1);
      else problems.push(`could not replace the topology record ${name} (deployed from another commit): ${dockerFailure(removed)}`);
    }
  }
  if (!names.includes(name)) {
    const created = await runner(recordCreateArgs(stack, environment, text, new Date(), commit), { timeoutMs: 20_000, input: text });
    if (created.code !== 0) problems.push(`could not record the deployed topology as config ${name}: ${dockerFailure(created)}`);
  }
  const older = names.filter((other) => other !== name);
  if (older.length > 0 && problems.length === 0) {
    const removed = await runner(['config', 'rm', ...older], { timeoutMs: 20_000 });
    if (removed.code !== 0) problems.push(`could not remove older topology records ${older.join(', ')}: ${dockerFailure(removed)}`);
  }
  return problems;
}

/**
 * Removes every record of the stack. `docker stack rm` keeps them on purpose (they carry no stack-namespace label):
 * removing the services is not forgetting what was deployed. Tearing an environment down for good (e2e:down) is.
 */
export async function removeDeployedTopologyRecords(runner: DockerRunner, stack: string): Promise<{ removed: string[]; problem?: string }> {
  const listed = await runner(['config', 'ls', '--format', '{{.Name}}', ...recordFilterArgs(stack)], { timeoutMs: 20_000 });
  if (listed.code !== 0) return { removed: [], problem: `could not list the topology records of ${stack}: ${dockerFailure(listed)}` };
  const names = listed.stdout.split('\n').filter((line) => line.trim() !== '');
  if (names.length === 0) return { removed: [] };
  const removed = await runner(['config', 'rm', ...names], { timeoutMs: 20_000 });
  if (removed.code !== 0) return { removed: [], problem: `could not remove the topology records ${names.join(', ')}: ${dockerFailure(removed)}` };
  return { removed: names };
}
