// MinIO nodes before their load balancer. nginx resolves its upstream names when it starts, and in dnsrr mode a
// task is in swarm's DNS only once it runs (healthy): when one stack deploy restarts MinIO nodes and changes the
// proxy's config too (a pool added or removed names other nodes), nginx starts while its upstreams restart, exits,
// and swarm rolls it back (seen on staging after a decommission). So whenever MinIO nodes restart, they go first —
// all together, as MinIO wants on a new command line (togetherUpdate) — and the stack deploy then updates the proxy.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderedMembers, runningSpecs, stackWithout, writeStepFile } from '../rollingMembers.ts';
import { passed, stopped, type Phase } from '../runPhases.ts';
import { deployStack } from '../stackDeploy.ts';
import { renderedSpecs, togetherUpdate } from '../steps/minioPoolAdd.ts';
import { convergeFailed, waitForStack } from './converge.ts';
import { stackDeployOptions } from './stackDeploy.ts';
import { resumeDeploy } from './stopPoints.ts';

export const minioNodesFirst: Phase = {
  name: 'minio nodes before their load balancer',
  stage: 'deploy',
  async run(context) {
    const { model, runner } = context;
    const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
    const proxy = model.minio.proxy.name;
    const stackText = await readFile(context.composeFile, 'utf8');
    const running = await runningSpecs(runner, model.stack, 20_000);
    if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
    const wanted = renderedSpecs(stackText, nodes);
    const differs = (service: string) => running.value.has(service) && running.value.get(service) !== wanted.get(service);
    // Nodes to create count too (MinIO's services removed by hand while the proxy stayed): nginx must not name them first.
    const restarting = nodes.filter((node) => !running.value.has(node) || differs(node));
    // The proxy's own spec does not show a new nginx.conf (its config's name does): any node restart goes first.
    if (restarting.length === 0 || !running.value.has(proxy)) return passed();
    const started = performance.now();
    const since = new Date();
    const heldBack = [proxy, ...renderedMembers(stackText).map((member) => member.name)];
    const file = await writeStepFile(togetherUpdate(stackWithout(stackText, heldBack, path.dirname(context.composeFile)), nodes));
    const state = `MinIO nodes ${restarting.join(', ')} may be restarting on their rendered spec; the load balancer still runs its previous config`;
    try {
      const deployed = await deployStack({ ...stackDeployOptions(context), composeFile: file.file });
      if (!deployed.ok) return stopped([deployed.error ?? 'docker stack deploy failed'], { stopped: { state, resume: resumeDeploy(context.environment) } });
      const converged = await waitForStack(context, since);
      if (!converged.ok) return convergeFailed(context, converged, state);
    } finally {
      await file.remove();
    }
    return passed({ notes: [`MinIO nodes ${restarting.join(', ')} (re)started together before the load balancer's new config (${((performance.now() - started) / 1000).toFixed(1)} s)`] });
  },
};
