// Waiting for a deployed stack to converge, judged from swarm's own state, never from `docker stack deploy`'s exit
// code (it exits 0 when a service later rolls back).
//
// Converged: every service of the stack has exactly its desired number of tasks in state `running`, each running
// for at least the settling period, and no update in progress. Swarm reports a task with a healthcheck as `starting`
// until the check passes, so `running` already means healthy. Tasks that fail while their backends start (nginx
// until the MinIO names resolve, the etcd proxy until a member answers) are tolerated: swarm replaces them and we
// keep waiting, until the timeout. A rolled-back or paused update fails at once.
import { dockerJson, dockerLines, dockerValue, type DockerValue } from '../../docker/calls.ts';
import { parseJsonLines } from '../../docker/cli.ts';
import { processDocker, type DockerRunner } from '../../docker/runner.ts';

export interface ConvergeOptions {
  stack: string;
  timeoutMs: number;
  /**
   * How long every task must have been running (default 5 s: a task that exits at start, a bad flag or config, does so
   * well inside it; for a new service nothing else watches, since swarm's update monitor only watches updates).
   */
  settleMs?: number;
  /** Between two looks at the swarm (default 1 s: a look itself takes about as long on a busy manager, and every wait of a roll step pays half a poll on average). */
  pollMs?: number;
  /**
   * When the deploy started. Update states older than this belong to an earlier deploy and are ignored (default:
   * the call's start). A few seconds of clock difference between this machine and the managers are allowed.
   */
  since?: Date;
  /** Called after every look, e.g. to show progress. Must not throw. */
  onProgress?: (services: ServiceState[], elapsedMs: number) => void;
  /** How docker runs (the action passes one on @actions/exec); default: a child process. */
  runner?: DockerRunner;
}

export interface ServiceState {
  /** Full swarm name, e.g. milvus_etcd1. */
  name: string;
  id: string;
  image: string;
  mode: 'replicated' | 'global' | 'job';
  desired: number;
  running: number;
  /** Running for at least the settling period. */
  settled: number;
  /** Swarm's update state when an update started since the deploy: updating, paused, completed, rollback_*. */
  updateState?: string;
  updateMessage?: string;
  /** Constraints of the service's placement, as swarm has them. */
  constraints: string[];
}

export interface TaskFailure {
  service: string;
  task: string;
  node: string;
  desiredState: string;
  currentState: string;
  error: string;
}

export type ConvergeResult =
  | { ok: true; elapsedMs: number; services: ServiceState[] }
  | {
      ok: false;
      reason: 'timeout' | 'rolled-back' | 'paused' | 'no-services';
      /** One line for a person: what did not converge and why. */
      message: string;
      elapsedMs: number;
      services: ServiceState[];
      /** The failing tasks' errors, from `docker service ps --no-trunc`, newest first per service. */
      failures: TaskFailure[];
    };

const FAILED_UPDATE_STATES: Record<string, 'rolled-back' | 'paused'> = {
  paused: 'paused',
  rollback_started: 'rolled-back',
  rollback_paused: 'rolled-back',
  rollback_completed: 'rolled-back',
};
const CLOCK_SLACK_MS = 5_000;

export async function waitForConvergence(options: ConvergeOptions): Promise<ConvergeResult> {
  const settleMs = options.settleMs ?? 5_000;
  const pollMs = options.pollMs ?? 1_000;
  const started = Date.now();
  const since = (options.since ?? new Date(started)).getTime() - CLOCK_SLACK_MS;
  const runner = options.runner ?? processDocker;
  const deadline = started + options.timeoutMs;
  let services: ServiceState[] = [];
  let lastError = '';

  for (;;) {
    const remaining = deadline - Date.now();
    const looked = await lookAtStack(runner, options.stack, since, settleMs, Math.max(1_000, Math.min(remaining, 20_000)));
    // A manager busy with the deploy can be slow to answer: keep trying until the deadline.
    if (looked.ok) services = looked.value;
    lastError = looked.ok ? '' : looked.error;
    const elapsedMs = Date.now() - started;
    options.onProgress?.(services, elapsedMs);

    const failedUpdate = services.find((service) => service.updateState !== undefined && FAILED_UPDATE_STATES[service.updateState]);
    if (failedUpdate) {
      const reason = FAILED_UPDATE_STATES[failedUpdate.updateState!]!;
      const message = `${failedUpdate.name}: update ${failedUpdate.updateState}${failedUpdate.updateMessage ? `: ${failedUpdate.updateMessage}` : ''}`;
      return { ok: false, reason, message, elapsedMs, services, failures: await taskFailures(services, runner, since) };
    }
    if (lastError === '' && services.length > 0 && services.every(isConverged)) return { ok: true, elapsedMs, services };

    if (Date.now() + pollMs > deadline) {
      if (lastError === '' && services.length === 0) {
        return { ok: false, reason: 'no-services', message: `stack ${options.stack} has no services`, elapsedMs, services, failures: [] };
      }
      const waiting = services.filter((service) => !isConverged(service));
      const message =
        lastError !== ''
          ? `not converged after ${Math.round(elapsedMs / 1000)} s; the last look at the swarm failed: ${lastError}`
          : `not converged after ${Math.round(elapsedMs / 1000)} s: ${waiting.map(describeService).join(', ')}`;
      return { ok: false, reason: 'timeout', message, elapsedMs, services, failures: await taskFailures(waiting.length > 0 ? waiting : services, runner, since) };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export const isConverged = (service: ServiceState) =>
  service.mode === 'job' ||
  // Global: swarm stops counting a node that is down in "desired" while its task still reports running (10/9 with
  // one of ten engines stopped), so at least as many as desired.
  (service.mode === 'global'
    ? service.running >= service.desired && service.settled >= service.desired
    : service.running === service.desired && service.settled === service.desired) && (service.updateState === undefined || service.updateState === 'completed');

export const describeService = (service: ServiceState) =>
  `${service.name} ${service.running}/${service.desired} running${service.settled < service.running ? ` (${service.settled} settled)` : ''}${
    service.updateState && service.updateState !== 'completed' ? `, update ${service.updateState}` : ''
  }`;

/** The stack's services by label, as `docker stack deploy` labels them. */
export const stackServiceIds = (stack: string, timeoutMs: number, runner: DockerRunner = processDocker): Promise<DockerValue<string[]>> =>
  dockerLines(runner, ['service', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs });

interface ServiceInspect {
  ID: string;
  Spec: {
    Name: string;
    TaskTemplate: { ContainerSpec?: { Image?: string }; Placement?: { Constraints?: string[] } };
    Mode: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: object; GlobalJob?: object };
  };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

interface ServiceListEntry {
  ID: string;
  Replicas: string;
}

interface TaskInspect {
  ID: string;
  ServiceID: string;
  DesiredState: string;
  Status: { State: string; Timestamp: string; Err?: string };
}

async function lookAtStack(runner: DockerRunner, stack: string, since: number, settleMs: number, timeoutMs: number): Promise<DockerValue<ServiceState[]>> {
  const ids = await stackServiceIds(stack, timeoutMs, runner);
  if (!ids.ok) return ids;
  if (ids.value.length === 0) return { ok: true, value: [] };
  const [inspected, listed, taskIds] = await Promise.all([
    dockerJson<ServiceInspect[]>(runner, ['service', 'inspect', ...ids.value], { timeoutMs }),
    dockerLines(runner, ['service', 'ls', '--format', '{{json .}}', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs }),
    dockerLines(runner, ['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', ...ids.value], { timeoutMs }),
  ]);
  if (!inspected.ok) return inspected;
  if (!listed.ok) return listed;
  // A service removed between two calls makes `service ps` fail; the next look sees the new state.
  if (!taskIds.ok) return taskIds;
  const replicasById = new Map(parseJsonLines<ServiceListEntry>(listed.value.join('\n')).map((entry) => [entry.ID, entry.Replicas]));
  const tasks = taskIds.value.length > 0 ? await dockerJson<TaskInspect[]>(runner, ['inspect', ...taskIds.value], { timeoutMs }) : { ok: true as const, value: [] };
  if (!tasks.ok) return tasks;
  const now = Date.now();

  const states = inspected.value
    .map((service): ServiceState => {
      const mode = service.Spec.Mode.Replicated ? 'replicated' : service.Spec.Mode.Global ? 'global' : 'job';
      const desired =
        mode === 'replicated'
          ? (service.Spec.Mode.Replicated?.Replicas ?? 1)
          : // Global: as many as swarm says (one per eligible node), from `service ls`'s "running/desired".
            Number((replicasById.get(service.ID.slice(0, 12)) ?? replicasById.get(service.ID) ?? '0/0').split('/')[1]?.replace(/\D.*$/, '') ?? 0);
      const own = tasks.value.filter((task) => task.ServiceID === service.ID && task.DesiredState === 'running' && task.Status.State === 'running');
      const settled = own.filter((task) => now - Date.parse(task.Status.Timestamp) >= settleMs).length;
      const update = service.UpdateStatus;
      const recentUpdate = update?.State !== undefined && (update.StartedAt === undefined || Date.parse(update.StartedAt) >= since);
      return {
        name: service.Spec.Name,
        id: service.ID,
        image: (service.Spec.TaskTemplate.ContainerSpec?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
        mode,
        desired,
        running: own.length,
        settled,
        ...(recentUpdate ? { updateState: update!.State, ...(update!.Message ? { updateMessage: update!.Message } : {}) } : {}),
        constraints: service.Spec.TaskTemplate.Placement?.Constraints ?? [],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ok: true, value: states };
}

interface ServicePsEntry {
  ID: string;
  Name: string;
  Node: string;
  DesiredState: string;
  CurrentState: string;
  Error: string;
}

/**
 * The errors of the given services' tasks, as `docker service ps --no-trunc` shows them (its newest task first per
 * slot), at most three per service, and only of tasks whose state changed at or after `since` (ms): a proxy task that
 * failed while its backends started an hour ago says nothing about this deploy. Best effort: a failure to ask is
 * itself reported as a failure line; tasks whose time cannot be read are kept.
 */
export async function taskFailures(services: readonly Pick<ServiceState, 'name' | 'id'>[], runner: DockerRunner = processDocker, since?: number): Promise<TaskFailure[]> {
  const failures: TaskFailure[] = [];
  for (const service of services) {
    const listed = await dockerValue(runner, ['service', 'ps', '--no-trunc', '--format', '{{json .}}', service.id], parseJsonLines<ServicePsEntry>, { timeoutMs: 15_000 });
    if (!listed.ok) {
      failures.push({ service: service.name, task: '', node: '', desiredState: '', currentState: '', error: `docker service ps failed: ${listed.reason}` });
      continue;
    }
    const withErrors = listed.value.filter((entry) => entry.Error.trim() !== '');
    const changedAt = since === undefined ? new Map<string, number>() : await taskTimes(withErrors.map((entry) => entry.ID), runner);
    const entries = withErrors.filter((entry) => since === undefined || !changedAt.has(entry.ID) || changedAt.get(entry.ID)! >= since);
    for (const [index, entry] of entries.slice(0, 3).entries()) {
      // The newest failed task's own last lines: "non-zero exit (1)" alone does not say why (nginx's "host not found
      // in upstream", MinIO's drive errors), and an operator reading a CI log cannot ask the swarm afterwards.
      const words = index === 0 ? await lastWords(entry.ID, runner) : '';
      failures.push({
        service: service.name,
        task: entry.ID,
        node: entry.Node,
        desiredState: entry.DesiredState,
        currentState: entry.CurrentState,
        error: `${unquote(entry.Error.trim())}${words ? `; its last lines: ${words}` : ''}`,
      });
    }
  }
  return failures;
}

/** A task's last three log lines, joined by " | " (best effort: '' when the logs cannot be read in 10 s). */
async function lastWords(task: string, runner: DockerRunner): Promise<string> {
  // The task's stderr comes out on the CLI's stderr (a shell's syntax error, nginx's [emerg]): both streams count.
  const logs = await runner(['service', 'logs', '--raw', '--no-task-ids', '--tail', '3', task], { timeoutMs: 10_000 });
  if (logs.code !== 0 || logs.timedOut) return '';
  return `${logs.stdout}\n${logs.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join(' | ');
}

/** When each task's state last changed (ms), for the tasks docker can still inspect. */
async function taskTimes(ids: readonly string[], runner: DockerRunner): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  // The raw runner, not calls.ts: `docker inspect` exits 1 when one id is gone but still prints the others.
  const result = await runner(['inspect', '--format', '{{.ID}} {{.Status.Timestamp.Format "2006-01-02T15:04:05.000Z07:00"}}', ...ids], { timeoutMs: 15_000 });
  const times = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const [id, at] = line.trim().split(' ');
    if (id && at && !Number.isNaN(Date.parse(at))) times.set(id, Date.parse(at));
  }
  return times;
}

/** `docker service ps --no-trunc` prints the error Go-quoted ("task: non-zero exit (1)"). */
function unquote(text: string): string {
  if (!(text.startsWith('"') && text.endsWith('"'))) return text;
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, -1);
  }
}
