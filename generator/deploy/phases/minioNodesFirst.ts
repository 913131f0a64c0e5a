// Any MinIO restart goes before the load balancer's new config (minioApart.ts says why): when a deploy restarts
// MinIO nodes (a new command line after a pool added or drained, a new image) or creates them, the nodes go first,
// all together as MinIO wants, and the stack deploy then updates the proxy. The proxy's own spec does not show a new
// nginx.conf (its config's name does), so any node restart goes first while a proxy runs. With dnsrr, a first
// deploy starts the nodes before the proxy too (nodesBeforeNewProxy).
//
// S3 is down from the moment the nodes stop until nginx knows their new addresses (dnsrr: nginx looked the names up
// when it started; operations/proxyRestart.ts). So this phase does not wait for the rest of the deploy (member rolls,
// the whole stack settling) before the proxy learns them: as soon as the nodes run in swarm's DNS (settled 3 s, their
// update watched 5 s), the proxy restarts — or, when its config changes anyway, the stack deploy right after
// restarts it. Measured on staging by the pools drill's longest gap (test/README.md).
import { readFile } from 'node:fs/promises';
import { deployMinioApart } from '../moves/minioApart.ts';
import { renderedSpecs } from '../operations/stackFiles.ts';
import { renderedMembers } from '../operations/stackFiles.ts';
import { runningSpecs } from '../operations/runningSpecs.ts';
import { passed, stopped, type DeployContext, type Phase, type PhaseResult } from '../runner/contract.ts';
import { NETWORK_ANCHOR } from '../../topology/reservedNames.ts';
import { refreshStaleProxy } from '../operations/proxyRestart.ts';
import { parse } from 'yaml';
import { dockerLines } from '../../docker/calls.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { NGINX_CONFIG_KEY } from '../../model/minio.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { convergeFailed } from '../moves/stackWait.ts';

/** The nodes' new tasks are in DNS once running (healthy); 3 s proves they did not exit at once. */
const NODES_SETTLE_MS = 3_000;

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
    // Nodes to create count too (MinIO's services removed by hand while the proxy stayed): nginx must not name them first.
    const restarting = nodes.filter((node) => !running.value.has(node) || running.value.get(node) !== wanted.get(node));
    if (restarting.length === 0) return passed();
    if (running.value.size === 0 && model.swarm.endpointMode === 'dnsrr') return nodesBeforeNewProxy(context, stackText, nodes, restarting);
    if (!running.value.has(proxy)) return passed();
    const anchored = await anchorFirst(context, stackText, running.value, restarting);
    if (!anchored.ok) return anchored.failed;
    const started = performance.now();
    const heldBack = [proxy, NETWORK_ANCHOR, ...renderedMembers(stackText).map((member) => member.name)];
    const state = `MinIO nodes ${restarting.join(', ')} may be restarting on their rendered spec; the load balancer still runs its previous config`;
    const failed = await deployMinioApart(context, stackText, heldBack, nodes, state, NODES_SETTLE_MS);
    if (failed) return { ...failed, notes: [...anchored.notes, ...(failed.notes ?? [])] };
    const notes = [...anchored.notes, `MinIO nodes ${restarting.join(', ')} (re)started together before the load balancer's new config (${((performance.now() - started) / 1000).toFixed(1)} s)`];
    const proxyChanges = running.value.get(proxy) !== renderedSpecs(stackText, [proxy]).get(proxy) || (await nginxConfigChanges(runner, `${model.stack}_${proxy}`, stackText));
    if (proxyChanges) return passed({ notes: [...notes, `${proxy} restarts on its new spec with the stack deploy, next`] });
    const refreshed = await refreshStaleProxy(runner, model, model.swarm.deployTimeoutSeconds * 1000);
    if (refreshed.problem) return stopped([refreshed.problem], { notes: [...notes, ...refreshed.notes], stopped: { state: `MinIO nodes ${restarting.join(', ')} restarted; ${proxy} still has their old addresses`, resume: resumeDeploy(context.environment) } });
    if (refreshed.converged && !refreshed.converged.ok) return { ...convergeFailed(context, refreshed.converged, `MinIO nodes ${restarting.join(', ')} restarted, then ${proxy} was restarted and did not converge`), notes: [...notes, ...refreshed.notes] };
    return passed({ notes: [...notes, ...refreshed.notes.map((note) => `${note} (${((performance.now() - started) / 1000).toFixed(1)} s after the nodes' restart began)`)] });
  },
};

/**
 * dnsrr, and nothing of the stack runs yet (a first deploy, or one after `docker stack rm`): the nodes start first,
 * held apart only from the load balancer, so nginx looks up names already in swarm's DNS when it starts. Deployed
 * together, nginx started before the nodes' tasks ran and the converge phase had to restart it, one replica at a time
 * (every first deploy on staging). A proxy removed by hand beside running nodes is still refreshed after convergence.
 */
async function nodesBeforeNewProxy(context: DeployContext, stackText: string, nodes: readonly string[], starting: readonly string[]): Promise<PhaseResult> {
  const proxy = context.model.minio.proxy.name;
  const started = performance.now();
  const state = `this first deploy's services but ${proxy} may be starting (the MinIO nodes ${starting.join(', ')} go before it); ${proxy} is not deployed yet`;
  const failed = await deployMinioApart(context, stackText, [proxy], nodes, state, NODES_SETTLE_MS);
  if (failed) return failed;
  return passed({ notes: [`MinIO nodes ${starting.join(', ')} started before ${proxy}, which finds them in swarm's DNS when it starts (${((performance.now() - started) / 1000).toFixed(1)} s)`] });
}

/**
 * The network anchor (model/networkAnchor.ts) on its rendered spec before any node stops: deployed in the same step, a
 * node could leave the network as its MinIO task stops, and the nodes' names would reach the others only with the next
 * bulk sync. Its first deploy on a stack that has none (a takeover, the upgrade that brings it) is where this counts.
 */
async function anchorFirst(context: DeployContext, stackText: string, running: ReadonlyMap<string, string | undefined>, restarting: readonly string[]): Promise<{ ok: true; notes: string[] } | { ok: false; failed: PhaseResult }> {
  const wanted = renderedSpecs(stackText, [NETWORK_ANCHOR]).get(NETWORK_ANCHOR);
  if (wanted === undefined || running.get(NETWORK_ANCHOR) === wanted) return { ok: true, notes: [] };
  const started = performance.now();
  const others = Object.keys((parse(stackText) as { services: Record<string, unknown> }).services).filter((name) => name !== NETWORK_ANCHOR);
  const state = `the network anchor may be starting on every node; MinIO nodes ${restarting.join(', ')} have not restarted yet`;
  const failed = await deployMinioApart(context, stackText, others, [], state, NODES_SETTLE_MS);
  if (failed) return { ok: false, failed };
  return { ok: true, notes: [`${NETWORK_ANCHOR} runs on every node before the MinIO nodes restart (${((performance.now() - started) / 1000).toFixed(1)} s)`] };
}

/**
 * Whether the stack deploy gives the proxy another nginx.conf: the spec label does not cover the config's name (a
 * content hash), so it is read from the proxy's spec. One that cannot be inspected counts as changing (the converge
 * phase's refresh still follows).
 */
async function nginxConfigChanges(runner: DockerRunner, service: string, stackText: string): Promise<boolean> {
  const rendered = (parse(stackText) as { configs?: Record<string, { name?: string }> }).configs?.[NGINX_CONFIG_KEY]?.name;
  const running = await dockerLines(runner, ['service', 'inspect', '--format', '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{println .ConfigName}}{{end}}', service], { timeoutMs: 20_000 });
  return !running.ok || rendered === undefined || !running.value.includes(rendered);
}
