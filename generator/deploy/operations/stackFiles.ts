// etcd members one at a time. Each member is its own swarm service, and `docker stack deploy` updates every service
// at once: a change common to all members (an image bump, a flag, the healthcheck) would stop all three together and
// lose quorum — and Milvus with it. Swarm's `update_config.parallelism: 1` orders tasks within one service, not
// services. So when more than one running member would restart, deploy first deploys stack files that hold back the
// members not yet due (without --prune, `docker stack deploy` leaves services missing from the file alone), waits
// until the stack has converged and every member answers with one leader, and only then moves on; the last step is
// the rendered file itself. MinIO nodes are left to restart together: MinIO wants every node restarted at once when
// its command line changes (a node refuses peers whose arguments differ).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ClusterModel } from '../../model/types.ts';
import { ROLE_LABEL, SPEC_LABEL } from '../../render/stack.ts';
import { Budget } from '../../cluster/deadline.ts';
import { dockerValue, type DockerValue } from '../../docker/calls.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { memberCheckTarget, startMemberChecks } from '../../verify/etcdInNetwork.ts';
import { stackServiceIds } from './convergence.ts';

interface ComposeService {
  deploy?: { labels?: Record<string, string> };
}

interface Compose {
  services: Record<string, ComposeService>;
  configs?: Record<string, { file?: string; name?: string }>;
  [key: string]: unknown;
}

/** The etcd members of a rendered stack file, in file order, with the spec hash each would run. */
export function renderedMembers(stackText: string): { name: string; spec: string }[] {
  const compose = parse(stackText) as Compose;
  return Object.entries(compose.services)
    .filter(([, service]) => service.deploy?.labels?.[ROLE_LABEL] === 'etcd-member')
    .map(([name, service]) => ({ name, spec: service.deploy?.labels?.[SPEC_LABEL] ?? '' }));
}

/**
 * Which members are held back in each step before the final one. Only members that exist and would restart count
 * (a missing spec label is a difference: the service predates the label). One such member needs no steps.
 */
export function rollingSteps(members: readonly { name: string; spec: string }[], running: ReadonlyMap<string, string | undefined>): { restart: string[]; steps: string[][] } {
  const restart = members.filter((member) => running.has(member.name) && running.get(member.name) !== member.spec).map((member) => member.name);
  if (restart.length < 2) return { restart, steps: [] };
  return { restart, steps: restart.slice(0, -1).map((_, index) => restart.slice(index + 1)) };
}

/** The rendered stack without the held-back services; config files made absolute, since it is written elsewhere. */
export function stackWithout(stackText: string, heldBack: readonly string[], renderedDir: string): string {
  const compose = parse(stackText) as Compose;
  for (const name of heldBack) delete compose.services[name];
  for (const config of Object.values(compose.configs ?? {})) {
    if (config.file) config.file = path.resolve(renderedDir, config.file);
  }
  return stringify(compose, { lineWidth: 0 });
}

/** The spec label of each of the stack's running services, by its name in the stack file. */
export async function runningSpecs(runner: DockerRunner, stack: string, timeoutMs: number): Promise<DockerValue<Map<string, string | undefined>>> {
  const ids = await stackServiceIds(stack, timeoutMs, runner);
  if (!ids.ok) return ids;
  if (ids.value.length === 0) return { ok: true, value: new Map() };
  return dockerValue(runner, ['service', 'inspect', '--format', `{{.Spec.Name}} {{index .Spec.Labels "${SPEC_LABEL}"}}`, ...ids.value], (stdout) => parseSpecs(stack, stdout), { timeoutMs });
}

function parseSpecs(stack: string, stdout: string): Map<string, string | undefined> {
  const specs = new Map<string, string | undefined>();
  for (const line of stdout.split('\n')) {
    const [name, ...rest] = line.trim().split(' ');
    const spec = rest.join(' ');
    // `index` of a missing label prints "<no value>".
    if (name?.startsWith(`${stack}_`)) specs.set(name.slice(stack.length + 1), /^[0-9a-f]+$/.test(spec) ? spec : undefined);
  }
  return specs;
}

/** Writes a step's stack file into a fresh temporary folder; the caller removes it with `remove`. */
export async function writeStepFile(text: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-step-'));
  const file = path.join(folder, 'stack.yaml');
  await writeFile(file, text);
  return { file, remove: () => rm(folder, { recursive: true, force: true }) };
}

/**
 * Between steps: every member answers, one leader agreed by all, raft indexes close (verify's endpoint status row),
 * polled until it passes or the time is up. Converged is not enough: a restarted member's healthcheck passes before
 * it has caught up with the leader.
 */
export async function waitForEtcdHealthy(runner: DockerRunner, model: ClusterModel, timeoutMs: number, pollMs = 2_000): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const started = performance.now();
  let reason = 'not asked';
  for (let attempt = 0; ; attempt++) {
    const checks = startMemberChecks({
      runner,
      ...memberCheckTarget(model),
      budget: new Budget(Math.min(20_000, Math.max(1_000, timeoutMs - (performance.now() - started)))),
      runId: `milvus-swarm-rolling-${randomBytes(4).toString('hex')}-${attempt}`,
    });
    const [status] = await Promise.all([checks.statusRow, checks.listRow]);
    if (status.status === 'pass') return { ok: true, ms: Math.round(performance.now() - started) };
    reason = status.reason;
    if (performance.now() - started + pollMs > timeoutMs) return { ok: false, reason };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
