// deploy: load the environment, then run its phases (phases/index.ts) in order with runPhases: preflight (decided
// before anything changes, the plan gate and the steps' acknowledgements included) → a recovery point before a care
// or destructive change → node labels and host preparation → the plan's executed steps (etcd members joining and
// leaving, MinIO pools drained: steps/) → orphan removal → etcd members that would restart rolled one at a time, the
// leader last → bounded `docker stack deploy` → wait for convergence → in dnsrr mode, restart the MinIO proxy if
// MinIO tasks started after it → wait until MinIO serves through it → the steps after the stack (a drained pool's
// services removed) → verify's own MinIO user → the recovery window → remove unused configs → record the deployed
// topology. One report value comes back; the CLI prints it and the action writes it to the job summary.
import path from 'node:path';
import { loadEnvironment } from '../workspace/environment.ts';
import { RENDERED_DIR } from '../workspace/repository.ts';
import { DEPLOY_PHASES } from './phases/index.ts';
import type { DeployContext, DeployOptions, DeployReport, Phase } from './runner/contract.ts';
import { runPhases } from './runner/runPhases.ts';
import { etcdTarget } from '../cluster/etcdCluster.ts';
import { etcdctlProbe } from '../cluster/etcdctlProbe.ts';

export async function runDeploy(options: DeployOptions, phases: readonly Phase[] = DEPLOY_PHASES): Promise<DeployReport> {
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
    phaseTimes: [],
  };
  if (!loaded.ok) {
    report.problems.push(`${loaded.source.file} is invalid: fix it before deploying`);
    return report;
  }
  const context: DeployContext = {
    options,
    runner: options.runner,
    log: options.log,
    environment: options.environment,
    source: loaded.source,
    topology: loaded.topology,
    model: loaded.model,
    composeFile: path.join(options.root, RENDERED_DIR, options.environment, 'stack.yaml'),
    nodes: [],
    planned: [],
    steps: [],
    progress: { lastMs: 0 },
  };
  // One container for the deploy's etcdctl calls, removed whatever happens (a killed deploy leaves it labelled as
  // verify's containers are: io.milvus-swarm.verify=<stack>).
  const probe = etcdctlProbe(options.runner, etcdTarget(loaded.model));
  context.etcdctl = probe.call;
  try {
    return await runPhases(phases, context, report);
  } finally {
    await probe.close();
  }
}
