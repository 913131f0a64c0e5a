// A MinIO pool added, executed: the new pool's nodes start first and alone (the running nodes, the load balancer and
// the etcd members held back), so they answer their healthcheck and are in swarm's DNS before anything names them: a
// restarting MinIO node resolves every peer's name before it answers its own healthcheck. The running nodes then
// restart together on the command line with the new pool (a node refuses peers whose arguments differ), before the
// load balancer's new config, in the phase every MinIO restart takes (phases/minioNodesFirst.ts); then the stack.
import { readFile } from 'node:fs/promises';
import { deployMinioApart } from '../moves/minioApart.ts';
import { renderedMembers } from '../operations/stackFiles.ts';
import { runningSpecs } from '../operations/runningSpecs.ts';
import { passed, stopped } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runPoolAdd: StepRunner<'minio-pool-add'> = async (step, context) => {
  const { model, runner } = context;
  const stackText = await readFile(context.composeFile, 'utf8');
  const running = await runningSpecs(runner, model.stack, 20_000);
  if (!running.ok) return stopped([`cannot read the running services' specs (${running.error}): run deploy on a manager`]);
  const created = step.nodes.filter((node) => !running.value.has(node));
  if (created.length === 0) return passed({ notes: [`the nodes of pool ${step.pool} run; the running nodes restart together next, before the load balancer`] });
  const started = performance.now();
  const existing = step.nodes.filter((node) => running.value.has(node));
  const heldBack = [model.minio.proxy.name, ...renderedMembers(stackText).map((member) => member.name), ...existing];
  const failed = await deployMinioApart(context, stackText, heldBack, created, `new MinIO nodes ${created.join(', ')} may be starting; the running nodes and the load balancer are unchanged`);
  if (failed) return failed;
  return passed({
    notes: [`started the new nodes ${created.join(', ')} on the command line with pool ${step.pool} (${((performance.now() - started) / 1000).toFixed(1)} s); the running nodes restart together next, before the load balancer`],
  });
};
