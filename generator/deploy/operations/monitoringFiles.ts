// Prometheus's and Alertmanager's rendered files, written into their data dirs' config/ folder and reloaded without a
// restart. Swarm configs are immutable and their names carry content hashes: mounted into the service, a changed rule
// would change the service's spec and swarm would replace the task (a gap in the scrapes, pending alerts starting
// over). So the services read one stable path in their data dir (model/monitoring.ts), and deploy:
//   1. ships each file as a content-hashed swarm config (render/configName.ts) to a one-shot job pinned to the
//      service's node, which copies it into <dataDir>/config/ when it differs (a temporary name, then mv: a reader
//      never sees half a file) and prints what it changed; the configs are removed after the job;
//   2. after convergence, asks each service whose files changed to reload them: POST /-/reload (Prometheus with
//      --web.enable-lifecycle; Alertmanager always) from a job on the stack's network. Both answer 200 only when the
//      new configuration is loaded, and keep the old one when it is not (prometheus web/web.go reload,
//      alertmanager cmd/alertmanager/main.go).
import { randomBytes } from 'node:crypto';
import { dockerDo } from '../../docker/calls.ts';
import { hostJobArgs, runJob } from '../../docker/jobs.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { ALERTMANAGER_CONTAINER_PORT, MONITORING_CONFIG_FOLDER, MONITORING_FILES, PROMETHEUS_CONTAINER_PORT } from '../../model/monitoring.ts';
import { pinnedHost } from '../../model/placement.ts';
import type { ClusterModel, Service } from '../../model/types.ts';
import { monitoringConfigName } from '../../render/configName.ts';
import { swarmConstraints } from '../../render/swarmPlacement.ts';
import { PREPARE_LABEL } from './hostDirectories.ts';

/** Where the job sees the files and the data dir. */
const FILES_TARGET = '/milvus-swarm-files';
const DATA_TARGET = '/milvus-swarm-data';
const JOB_TIMEOUT_MS = 120_000;
/** Prometheus answers 503 until it is ready (a fresh task replays its WAL first): the reload is tried this long. */
const RELOAD_TRIES = 30;

export type MonitoringService = keyof typeof MONITORING_FILES;

const CONFIG_KIND = { 'prometheus.yml': 'prom_conf', 'alerts.yml': 'prom_rules', 'alertmanager.yml': 'am_conf' } as const;
const PORT = { prometheus: PROMETHEUS_CONTAINER_PORT, alertmanager: ALERTMANAGER_CONTAINER_PORT } as const;

/** The stack's Prometheus and Alertmanager, with the files each reads; none when the topology does not run them. */
export function monitoringServicesOf(model: ClusterModel): { name: MonitoringService; service: Service; dataDir: string; files: readonly string[] }[] {
  return (Object.keys(MONITORING_FILES) as MonitoringService[]).flatMap((name) => {
    const service = model.services.find((candidate) => candidate.role === name);
    const dataDir = service?.mounts[0]?.source;
    return service && dataDir ? [{ name, service, dataDir, files: MONITORING_FILES[name] }] : [];
  });
}

/**
 * The job's script: each file copied in when it differs, and one line `changed FILE` for each. busybox sh, cmp, cp,
 * mv and mkdir (the helper image). File names are ours (MONITORING_FILES), never input.
 */
export function writeScript(files: readonly string[]): string {
  const config = `${DATA_TARGET}/${MONITORING_CONFIG_FOLDER}`;
  const lines = [`set -e`, `mkdir -p ${config}`];
  for (const file of files) {
    lines.push(`if ! cmp -s ${FILES_TARGET}/${file} ${config}/${file}; then cp ${FILES_TARGET}/${file} ${config}/.${file}.new && mv -f ${config}/.${file}.new ${config}/${file} && echo "changed ${file}"; fi`);
  }
  return lines.join('\n');
}

export interface WrittenFiles {
  service: MonitoringService;
  host: string;
  changed: string[];
}

export type WriteResult = { ok: true; written: WrittenFiles[] } | { ok: false; problem: string; written: WrittenFiles[] };

/**
 * Writes each service's files into its data dir (step 1 above); `texts` maps a file name to its rendered text. The
 * services' jobs run side by side (each is seconds of scheduling and a container start).
 */
export async function writeMonitoringFiles(runner: DockerRunner, model: ClusterModel, texts: ReadonlyMap<string, string>): Promise<WriteResult> {
  const targets = monitoringServicesOf(model);
  const missing = [...new Set(targets.flatMap((target) => target.files))].filter((file) => !texts.has(file));
  if (missing.length > 0) return { ok: false, written: [], problem: `rendered/${model.environment}/monitoring/ lacks ${missing.join(', ')}: run npx milvus-swarm render` };
  const results = await Promise.all(targets.map((target) => writeServiceFiles(runner, model, target, texts)));
  const written = results.flatMap((result) => ('changed' in result ? [result] : []));
  const problem = results.find((result): result is { problem: string } => 'problem' in result);
  return problem ? { ok: false, written, problem: problem.problem } : { ok: true, written };
}

async function writeServiceFiles(runner: DockerRunner, model: ClusterModel, target: ReturnType<typeof monitoringServicesOf>[number], texts: ReadonlyMap<string, string>): Promise<WrittenFiles | { problem: string }> {
  const host = pinnedHost(target.service.placement) ?? 'any node';
  const configs = target.files.map((file) => ({ file, name: monitoringConfigName(model.stack, CONFIG_KIND[file as keyof typeof CONFIG_KIND], texts.get(file) ?? '') }));
  for (const config of configs) {
    // A config of this name holds this content already (the name is its hash): "already exists" is fine.
    const created = await dockerDo(runner, ['config', 'create', '--label', `com.docker.stack.namespace=${model.stack}`, config.name, '-'], { timeoutMs: 30_000, input: texts.get(config.file) ?? '' });
    if (!created.ok && !/already exists/i.test(created.reason)) return { problem: `swarm config ${config.name}: ${created.reason}` };
  }
  const name = `${model.stack}-monitoring-files-${randomBytes(4).toString('hex')}`;
  const args = [
    ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: swarmConstraints(target.service.placement), registryAuth: true, resolveImage: model.swarm.resolveImage }),
    ...configs.flatMap((config) => ['--config', `source=${config.name},target=${FILES_TARGET}/${config.file},mode=0444`]),
    '--mount',
    `type=bind,source=${target.dataDir},target=${DATA_TARGET}`,
    '--entrypoint',
    'sh',
    model.swarm.helperImage,
    '-c',
    writeScript(target.files),
  ];
  const run = await runJob(runner, name, args, JOB_TIMEOUT_MS);
  // The configs did their work (or the job failed): either way nothing uses them now.
  await dockerDo(runner, ['config', 'rm', ...configs.map((config) => config.name)], { timeoutMs: 30_000 });
  if (run.state.kind !== 'complete') {
    return { problem: `${target.name}'s files on ${host} (${target.dataDir}/${MONITORING_CONFIG_FOLDER}): the job failed: ${run.state.kind === 'failed' ? run.state.error : 'no end'} (is ${target.dataDir} there? host preparation makes it)` };
  }
  return { service: target.name, host, changed: [...run.output.matchAll(/^changed (\S+)$/gm)].map((match) => match[1]!) };
}

/** The reload job's script: POST /-/reload until it answers 200 (bounded), then one line saying how it went. */
export function reloadScript(service: MonitoringService): string {
  const url = `http://${service}:${PORT[service]}/-/reload`;
  return [
    `i=0`,
    `while [ $i -lt ${RELOAD_TRIES} ]; do`,
    `  if out=$(wget -q -O - --post-data= ${url} 2>&1); then echo "reloaded ${service}"; exit 0; fi`,
    `  i=$((i + 1)); sleep 2`,
    `done`,
    // Exit 0 on purpose: the job's output (read only on completion) carries the reason.
    `echo "reload failed: $out"`,
  ].join('\n');
}

export type ReloadResult = { ok: true } | { ok: false; problem: string };

/** Asks the service to reload its files (step 2 above), from a job on the stack's network. */
export async function reloadMonitoringService(runner: DockerRunner, model: ClusterModel, service: MonitoringService): Promise<ReloadResult> {
  const name = `${model.stack}-monitoring-reload-${randomBytes(4).toString('hex')}`;
  const args = [
    ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints: [], registryAuth: true, resolveImage: model.swarm.resolveImage }),
    '--network',
    model.network.name,
    '--entrypoint',
    'sh',
    model.swarm.helperImage,
    '-c',
    reloadScript(service),
  ];
  const run = await runJob(runner, name, args, JOB_TIMEOUT_MS);
  if (run.state.kind !== 'complete') return { ok: false, problem: `the reload job failed: ${run.state.kind === 'failed' ? run.state.error : 'no end'}` };
  if (new RegExp(`^reloaded ${service}$`, 'm').test(run.output)) return { ok: true };
  const said = /^reload failed: (.*)$/m.exec(run.output)?.[1]?.trim() || 'no answer';
  return { ok: false, problem: `POST /-/reload was refused ${RELOAD_TRIES} times: ${said}` };
}
