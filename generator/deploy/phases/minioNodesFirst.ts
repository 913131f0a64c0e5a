// Any MinIO restart goes before the load balancer's new config (minioApart.ts says why): when a deploy restarts
// MinIO nodes (a new command line after a pool added or drained, a new image) or creates them, the nodes go first,
// all together as MinIO wants, and the stack deploy then updates the proxy. The proxy's own spec does not show a new
// nginx.conf (its config's name does), so any node restart goes first while a proxy runs.
import { readFile } from 'node:fs/promises';
import { deployMinioApart } from '../moves/minioApart.ts';
import { renderedSpecs } from '../operations/stackFiles.ts';
import { renderedMembers } from '../operations/stackFiles.ts';
import { runningSpecs } from '../operations/runningSpecs.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';

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
    if (restarting.length === 0 || !running.value.has(proxy)) return passed();
    const started = performance.now();
    const heldBack = [proxy, ...renderedMembers(stackText).map((member) => member.name)];
    const state = `MinIO nodes ${restarting.join(', ')} may be restarting on their rendered spec; the load balancer still runs its previous config`;
    const failed = await deployMinioApart(context, stackText, heldBack, nodes, state);
    if (failed) return failed;
    return passed({ notes: [`MinIO nodes ${restarting.join(', ')} (re)started together before the load balancer's new config (${((performance.now() - started) / 1000).toFixed(1)} s)`] });
  },
};
