// The topology of the last successful deploy, kept in the swarm itself as a config (a swarm config is immutable,
// holds up to 500 KB, survives `docker stack rm` and is readable from any manager), so the next deploy plans against
// what is really deployed, not against git history; and beside it the stack file that deploy deployed, so what runs
// can be told apart from it (a hand edit) even after the generator changed how it renders. One record of each kind
// per stack: the new one is written after convergence and the older ones removed. Their names carry the content hash,
// like every config this project creates.
import { dockerDo, dockerLines, dockerValue, type DockerValue } from '../../docker/calls.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { contentHash } from '../../render/configName.ts';
import { hashedConfigName } from '../../topology/swarmNames.ts';

export const RECORD_LABEL = 'io.milvus-swarm.record';
export const RECORD_KIND = 'deployed-topology';
/** The rendered stack.yaml the last successful deploy deployed. */
export const STACK_RECORD_KIND = 'deployed-stack';
export type RecordKind = typeof RECORD_KIND | typeof STACK_RECORD_KIND;
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

export const recordName = (stack: string, text: string, kind: RecordKind = RECORD_KIND): string => hashedConfigName(stack, kind === RECORD_KIND ? 'topology' : 'stackfile', contentHash(text));

export function recordLabels(stack: string, environment: string, deployedAt: Date, commit?: string, kind: RecordKind = RECORD_KIND): Record<string, string> {
  return {
    [RECORD_LABEL]: kind,
    [STACK_LABEL]: stack,
    [ENVIRONMENT_LABEL]: environment,
    [DEPLOYED_AT_LABEL]: deployedAt.toISOString(),
    ...(commit ? { [COMMIT_LABEL]: commit } : {}),
  };
}

/** `docker config create` of a record; the text goes on stdin. */
export function recordCreateArgs(stack: string, environment: string, text: string, deployedAt: Date, commit?: string, kind: RecordKind = RECORD_KIND): string[] {
  const labels = Object.entries(recordLabels(stack, environment, deployedAt, commit, kind)).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  return ['config', 'create', ...labels, recordName(stack, text, kind), '-'];
}

export const recordFilterArgs = (stack: string, kind: RecordKind = RECORD_KIND): string[] => ['--filter', `label=${RECORD_LABEL}=${kind}`, '--filter', `label=${STACK_LABEL}=${stack}`];

interface ConfigInspect {
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}

/** The newest record among `docker config inspect` output, or undefined when there is none (a first deploy). */
export function latestRecord(inspected: readonly ConfigInspect[], kind: RecordKind = RECORD_KIND): DeployedTopology | undefined {
  const records = inspected
    .filter((config) => config.Spec.Labels?.[RECORD_LABEL] === kind)
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

export async function readDeployedTopology(runner: DockerRunner, stack: string, kind: RecordKind = RECORD_KIND): Promise<DockerValue<DeployedTopology | undefined>> {
  const listed = await dockerLines(runner, ['config', 'ls', '--quiet', ...recordFilterArgs(stack, kind)]);
  if (!listed.ok) return listed;
  if (listed.value.length === 0) return { ok: true, value: undefined };
  return dockerValue(runner, ['config', 'inspect', ...listed.value], (stdout) => latestRecord(JSON.parse(stdout) as ConfigInspect[], kind));
}

/** After a successful deploy: the record of this text exists, and it is the only one of the stack. */
export async function recordDeployedTopology(runner: DockerRunner, stack: string, environment: string, text: string, commit?: string, kind: RecordKind = RECORD_KIND): Promise<string[]> {
  const problems: string[] = [];
  const name = recordName(stack, text, kind);
  // Not listable: no older record is known, so none is removed; the create below still records this deploy.
  const existing = await dockerLines(runner, ['config', 'ls', '--format', '{{.Name}}', ...recordFilterArgs(stack, kind)]);
  const names = existing.ok ? existing.value : [];
  // The same topology deployed from a newer commit (a template change): the record must name the newer commit, or
  // the deploy action's revision gate would let a re-run of the older commit roll the template back.
  if (names.includes(name) && commit) {
    const recorded = await dockerValue(runner, ['config', 'inspect', '--format', `{{index .Spec.Labels "${COMMIT_LABEL}"}}`, name], (stdout) => stdout.trim());
    if (recorded.ok && recorded.value !== commit) {
      const removed = await dockerDo(runner, ['config', 'rm', name]);
      if (removed.ok) names.splice(names.indexOf(name), 1);
      else problems.push(`could not replace the topology record ${name} (deployed from another commit): ${removed.reason}`);
    }
  }
  if (!names.includes(name)) {
    const created = await dockerDo(runner, recordCreateArgs(stack, environment, text, new Date(), commit, kind), { input: text });
    if (!created.ok) problems.push(`could not record the deployed topology as config ${name}: ${created.reason}`);
  }
  const older = names.filter((other) => other !== name);
  if (older.length > 0 && problems.length === 0) {
    const removed = await dockerDo(runner, ['config', 'rm', ...older]);
    if (!removed.ok) problems.push(`could not remove older topology records ${older.join(', ')}: ${removed.reason}`);
  }
  return problems;
}
