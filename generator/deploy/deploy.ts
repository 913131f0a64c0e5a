// deploy: preflight (decided before anything changes) → host preparation → etcd members that would restart together
// rolled one at a time (rollingMembers.ts) → bounded `docker stack deploy` → wait for
// convergence → in dnsrr mode, restart the MinIO proxy if MinIO tasks started after it (refreshProxy.ts) → remove
// unused configs and secrets → record the deployed topology → report. One report value comes back; the CLI prints it
// and the action writes it to the job summary.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocatedProblem } from '../topology/problems.ts';
import type { ResolveImage } from '../topology/schema.ts';
import { validateTopology } from '../topology/validate.ts';
import type { DockerRunner } from '../docker/runner.ts';
import { loadEnvironment } from '../workspace/environment.ts';
import { renderSource } from '../workspace/pipeline.ts';
import { readFromDirectory, readTemplates, RENDERED_DIR } from '../workspace/repository.ts';
import { compareTrees, readTree } from '../workspace/tree.ts';
import { describeService, waitForConvergence, type ConvergeResult, type TaskFailure } from './converge.ts';
import { readDeployedTopology, recordDeployedTopology } from './deployedTopology.ts';
import { nodeList, secretNames, swarmInfo } from '../docker/swarm.ts';
import { judgePlan, planAgainstDeployed, type PlanGate, type PlanTopologies } from './planGate.ts';
import { preflightProblems } from './preflight.ts';
import { prepareJobs, removeLeftoverJobs, runPrepareJobs } from './prepareHosts.ts';
import { applyLabels, labelUpdates } from './nodeLabels.ts';
import { removeOrphans } from './orphans.ts';
import { pruneUnused } from './prune.ts';
import { refreshStaleProxy } from './refreshProxy.ts';
import { placementNames, reportRows, type ReportRow } from './report.ts';
import { renderedMembers, rollingSteps, runningSpecs, stackWithout, waitForEtcdHealthy, writeStepFile } from './rollingMembers.ts';
import { deployStack } from './stackDeploy.ts';

export type DeployPhase = 'topology' | 'preflight' | 'prepare' | 'deploy' | 'converge' | 'done';

export interface DeployReport {
  environment: string;
  stack: string;
  ok: boolean;
  /** Where it stopped (`done` when it succeeded). */
  phase: DeployPhase;
  /** Topology file problems, located for annotations. */
  topologyProblems: LocatedProblem[];
  /** One line each: what failed and what to do. */
  problems: string[];
  notes: string[];
  rows: ReportRow[];
  failures: TaskFailure[];
  timings: { phase: DeployPhase; ms: number }[];
}

export interface DeployOptions {
  root: string;
  environment: string;
  runner: DockerRunner;
  /** Progress lines (stderr for the CLI, the log for the action). */
  log: (line: string) => void;
  resolveImage?: ResolveImage;
  /** Skip rolling etcd members one at a time: every member restarts together (quorum is lost meanwhile). */
  allMembersAtOnce?: boolean;
  /** Recorded with the deployed topology (GITHUB_SHA in the action). */
  commit?: string;
  plan?: PlanTopologies;
  stackDeployTimeoutMs?: number;
  prepareTimeoutMs?: number;
}

export const STACK_DEPLOY_TIMEOUT_MS = 120_000;
export const PREPARE_TIMEOUT_MS = 120_000;

/**
 * The phases in the order they run, each ending the report early when it fails. Long (about 150 lines) on purpose
 * for now: it reads top to bottom as a deploy happens, and issue 11 is splitting deploy into separate phase
 * modules; splitting it here as well would only collide with that.
 */
export async function runDeploy(options: DeployOptions): Promise<DeployReport> {
  const { runner, log } = options;
  const loaded = await loadEnvironment(options.root, options.environment);
  const report: DeployReport = {
    environment: options.environment,
    stack: loaded.ok ? loaded.model.stack : '',
    ok: false,
    phase: 'topology',
    topologyProblems: loaded.ok ? loaded.warnings : loaded.problems,
    problems: [],
    notes: [],
    rows: [],
    failures: [],
    timings: [],
  };
  if (!loaded.ok) {
    report.problems.push(`${loaded.source.file} is invalid: fix it before deploying`);
    return report;
  }
  const { model, source } = loaded;
  let phaseStarted = performance.now();
  const enter = (phase: DeployPhase) => {
    report.timings.push({ phase: report.phase, ms: Math.round(performance.now() - phaseStarted) });
    report.phase = phase;
    phaseStarted = performance.now();
    log(`deploy ${options.environment}: ${phase}`);
  };

  enter('preflight');
  const [swarm, nodes, secrets, deployed, drift] = await Promise.all([
    swarmInfo(runner),
    nodeList(runner),
    secretNames(runner),
    readDeployedTopology(runner, model.stack),
    renderedDrift(options.root, source, options.environment),
  ]);
  report.problems.push(...preflightProblems(model, { swarm, nodes, secrets, drift }));
  if (report.problems.length === 0) {
    const gate = planGate(deployed, loaded.topology, options.environment, options.plan ?? planAgainstDeployed);
    if ('problem' in gate) report.problems.push(gate.problem);
    else {
      const verdict = judgePlan(gate, options.environment);
      report.problems.push(...verdict.problems);
      report.notes.push(...verdict.notes);
    }
  }
  if (report.problems.length > 0) return finish(report, phaseStarted);

  enter('prepare');
  // Labels before anything is placed by them: the jobs below and the stack's pinned services.
  const labels = await applyLabels(runner, nodes.ok ? labelUpdates(model, nodes.value) : []);
  report.notes.push(...labels.done);
  if (labels.problems.length > 0) {
    report.problems.push(...labels.problems);
    return finish(report, phaseStarted);
  }
  const jobs = prepareJobs(model, Date.now().toString(36));
  if (!jobs.ok) {
    report.problems.push(...jobs.problems);
    return finish(report, phaseStarted);
  }
  await removeLeftoverJobs(runner, model.stack);
  const prepared = await runPrepareJobs(runner, jobs.jobs, options.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS);
  report.notes.push(...prepared.done.map((line) => `prepared ${line}`));
  if (prepared.problems.length > 0) {
    report.problems.push(...prepared.problems);
    return finish(report, phaseStarted);
  }

  enter('deploy');
  const composeFile = path.join(options.root, RENDERED_DIR, options.environment, 'stack.yaml');
  const stackDeployOptions = {
    stack: model.stack,
    timeoutMs: options.stackDeployTimeoutMs ?? STACK_DEPLOY_TIMEOUT_MS,
    // The topology says whether this environment's images come from a registry; the option overrides it.
    resolveImage: options.resolveImage ?? model.swarm.resolveImage,
    runner,
  };
  let lastProgress = 0;
  const converge = (since: Date) =>
    waitForConvergence({
      stack: model.stack,
      timeoutMs: model.swarm.deployTimeoutSeconds * 1000,
      since,
      runner,
      onProgress: (services, elapsedMs) => {
        if (elapsedMs - lastProgress < 10_000) return;
        lastProgress = elapsedMs;
        log(`  ${Math.round(elapsedMs / 1000)} s: ${services.map(describeService).join(', ')}`);
      },
    });

  // What --prune did, for milvus-swarm's own services only (orphans.ts), and before any stack file is deployed: a
  // renamed host-mode proxy's new tasks need the ports its old tasks hold, in the rolling steps too.
  const orphans = await removeOrphans(runner, model);
  report.notes.push(...orphans.removed.map((name) => `removed ${name}: the topology no longer has it`));
  if (orphans.problems.length > 0) {
    report.problems.push(...orphans.problems);
    return finish(report, phaseStarted);
  }

  // More than one running etcd member would restart: roll them one at a time first (rollingMembers.ts says why).
  const stackText = await readFile(composeFile, 'utf8');
  const running = await runningSpecs(runner, model.stack, 20_000);
  if (!running.ok) {
    report.problems.push(`cannot read the running services' specs (${running.error}): run deploy on a manager`);
    return finish(report, phaseStarted);
  }
  const rolling = rollingSteps(renderedMembers(stackText), running.value);
  if (options.allMembersAtOnce && rolling.restart.length > 1) {
    report.notes.push(`etcd members ${rolling.restart.join(', ')} restart together (--all-members-at-once): quorum is lost until they are back`);
    rolling.steps = [];
  }
  for (const [index, heldBack] of rolling.steps.entries()) {
    const member = rolling.restart[index]!;
    log(`deploy ${options.environment}: etcd member ${member} first, holding back ${heldBack.join(', ')}`);
    const stepStarted = performance.now();
    const step = await writeStepFile(stackWithout(stackText, heldBack, path.dirname(composeFile)));
    try {
      const since = new Date();
      const stepDeploy = await deployStack({ ...stackDeployOptions, composeFile: step.file });
      if (!stepDeploy.ok) {
        report.problems.push(stepDeploy.error ?? 'docker stack deploy failed');
        return finish(report, phaseStarted);
      }
      const stepConverged = await converge(since);
      report.rows = reportRows(stepConverged.services, placementNames(model));
      if (!stepConverged.ok) return convergeFailed(report, model.stack, stepConverged, phaseStarted);
      const healthy = await waitForEtcdHealthy(runner, model, model.swarm.deployTimeoutSeconds * 1000);
      if (!healthy.ok) {
        report.problems.push(
          `etcd is not healthy after ${member} restarted, so ${heldBack.join(', ')} were not touched: ${healthy.reason} — fix etcd, or, when every member needs this change to recover, deploy with --all-members-at-once`,
        );
        return finish(report, phaseStarted);
      }
    } finally {
      await step.remove();
    }
    report.notes.push(`rolled etcd member ${member} alone (${((performance.now() - stepStarted) / 1000).toFixed(1)} s, then every member answered with one leader)`);
  }
  if (rolling.steps.length > 0) report.notes.push(`rolled etcd member ${rolling.restart.at(-1)!} last, with the whole stack`);

  const since = new Date();
  const deployedStack = await deployStack({ ...stackDeployOptions, composeFile });
  if (!deployedStack.ok) {
    report.problems.push(deployedStack.error ?? 'docker stack deploy failed');
    return finish(report, phaseStarted);
  }
  enter('converge');
  const converged = await converge(since);
  report.rows = reportRows(converged.services, placementNames(model));
  if (!converged.ok) return convergeFailed(report, model.stack, converged, phaseStarted);

  // dnsrr: nginx looked up the MinIO names when it started; MinIO tasks that started since need it restarted.
  const refreshed = await refreshStaleProxy(runner, model, model.swarm.deployTimeoutSeconds * 1000);
  report.notes.push(...refreshed.notes);
  if (refreshed.problem) {
    report.problems.push(refreshed.problem);
    return finish(report, phaseStarted);
  }
  if (refreshed.converged) {
    report.rows = reportRows(refreshed.converged.services, placementNames(model));
    if (!refreshed.converged.ok) return convergeFailed(report, model.stack, refreshed.converged, phaseStarted);
  }

  const pruned = await pruneUnused(runner, model.stack);
  report.notes.push(...pruned.removed.map((name) => `removed unused ${name}`), ...pruned.problems);
  report.notes.push(...(await recordDeployedTopology(runner, model.stack, options.environment, source.text, options.commit)));
  report.ok = true;
  enter('done');
  return report;
}

function convergeFailed(report: DeployReport, stack: string, converged: Extract<ConvergeResult, { ok: false }>, phaseStarted: number): DeployReport {
  report.problems.push(`${stack} did not converge: ${converged.message} — ${convergeNextStep(stack, converged)}`);
  report.failures = converged.failures;
  report.problems.push(...converged.failures.map((failure) => `${failure.service} task ${failure.task.slice(0, 12)} on ${failure.node || '?'}: ${failure.error}`));
  return finish(report, phaseStarted);
}

/** What to do about a failed convergence: where the tasks' own words are, and that a rolled-back service still runs. */
export function convergeNextStep(stack: string, converged: Extract<ConvergeResult, { ok: false }>): string {
  const failing = [...new Set(converged.failures.map((failure) => failure.service))].sort();
  const look =
    failing.length > 0
      ? `the task errors follow; \`docker service logs --tail 50 ${failing[0]}\`${failing.length > 1 ? ` (and ${failing.slice(1).join(', ')})` : ''} shows why`
      : `\`docker stack ps --no-trunc ${stack}\` shows the tasks`;
  return `${look}; fix the topology or the image and deploy again (a rolled-back service keeps running its previous spec)`;
}

function finish(report: DeployReport, phaseStarted: number): DeployReport {
  report.timings.push({ phase: report.phase, ms: Math.round(performance.now() - phaseStarted) });
  return report;
}

/** rendered/<env>/ against what the generator renders now, with the templates of the repository being deployed. */
async function renderedDrift(root: string, source: { environment: string; file: string; text: string }, environment: string) {
  const rendered = renderSource(source, await readTemplates(readFromDirectory(root)));
  const expected = rendered.ok ? new Map<string, string>(rendered.files) : new Map<string, string>();
  return compareTrees(expected, await readTree(path.join(root, RENDERED_DIR, environment)));
}

function planGate(
  deployed: Awaited<ReturnType<typeof readDeployedTopology>>,
  current: Parameters<PlanTopologies>[1],
  environment: string,
  plan: PlanTopologies,
): PlanGate | { problem: string } {
  if (!deployed.ok) return { problem: `cannot read the deployed topology record (${deployed.error}): run deploy on a manager` };
  if (!deployed.value) return { kind: 'first-deploy' };
  const record = deployed.value;
  const validated = validateTopology(`${record.name} (deployed topology)`, record.text);
  if (!validated.ok) {
    return {
      problem: `the deployed topology (config ${record.name}) no longer validates (${validated.problems[0]?.message ?? 'invalid'}): compare it with environments/${environment}.yaml by hand (\`docker config inspect --pretty ${record.name}\`), then \`docker config rm ${record.name}\` and deploy again`,
    };
  }
  return { kind: 'planned', changes: plan(validated.topology, current, environment) };
}
