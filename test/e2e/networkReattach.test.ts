// The race runOnStackNetwork (generator/cluster/stackNetworkRun.ts) rides through, for real on this swarm: a
// service's only task on the node removed, then at once a one-off container on the same attachable overlay network,
// as deploy's etcdctl container right after it removed a renamed proxy. docker refuses some of these with "network
// <id> not found" for about a second; every one must run. Rounds that met the refusal are printed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDocker } from '../../generator/docker/runner.ts';
import { runOnStackNetwork } from '../../generator/cluster/stackNetworkRun.ts';
import { dockerOk } from './support/docker.ts';
import { loadModel } from './harness/topology.ts';

const network = `milvus-swarm-reattach-${randomBytes(3).toString('hex')}`;
const ROUNDS = 6;
let image = '';

beforeAll(async () => {
  image = (await loadModel()).swarm.helperImage;
  await dockerOk(['network', 'create', '--driver', 'overlay', '--attachable', network], { timeoutMs: 30_000 });
});

afterAll(async () => {
  // The network is in use until the last removed task is gone.
  for (let tries = 0; tries < 30; tries++) {
    const removed = await processDocker(['network', 'rm', network], { timeoutMs: 15_000 });
    if (removed.code === 0 || /not found/i.test(removed.stderr)) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
});

describe('a container on the overlay network right after the node left it', () => {
  it(`runs in each of ${ROUNDS} rounds (the node's only task on the network removed just before)`, async () => {
    const tries: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const service = `${network}-${round}`;
      await dockerOk(['service', 'create', '--quiet', '--no-resolve-image', '--name', service, '--network', network, '--stop-grace-period', '1s', image, 'sleep', '3600'], { timeoutMs: 120_000 });
      await dockerOk(['service', 'rm', service], { timeoutMs: 30_000 });
      const run = await runOnStackNetwork(processDocker, { network, args: ['run', '--rm', '--network', network, image, 'true'], timeoutMs: () => 60_000 });
      expect(run.code, `round ${round}, try ${run.tries}: ${run.stderr.trim()}`).toBe(0);
      tries.push(run.tries);
    }
    process.stdout.write(`[e2e] overlay re-attach race: tries per round ${tries.join(', ')} (more than 1: docker said "network … not found" first)\n`);
  });
});
