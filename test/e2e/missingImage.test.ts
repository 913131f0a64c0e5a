// Drill: a stack whose image does not exist. In a scratch copy of the repository the load balancer's image becomes a
// tag no node has and no registry is asked for (local.yaml: resolveImage never), with a short deploy timeout; deploy
// must fail within that timeout with the task's error in its report, not hang and not trust `docker stack deploy`'s
// exit 0. Swarm rolls the proxy back (failure_action: rollback); deploying the repository then restores the stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk } from './support/docker.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel, swarmName } from './harness/topology.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { deployFromRepository, restoreByDeploy, until } from './support/stack.ts';

const MISSING = 'nginx:v0.0.0-e2e-missing';
const TIMEOUT_SECONDS = 60;
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

let model: ClusterModel;
let scratch: Scratch;
let touched = false;

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
  scratch = await scratchRepository();
  await scratch.edit('environments/local.yaml', (text) =>
    text.replace(`image: ${model.minio.proxy.image}`, `image: ${MISSING}`).replace(/deployTimeoutSeconds: \d+/, `deployTimeoutSeconds: ${TIMEOUT_SECONDS}`),
  );
  await scratch.render();
});

afterAll(async () => {
  if (touched) {
    // Let swarm finish rolling the proxy back before the repository's deploy updates it again (bounded).
    await until('minio-proxy no longer updating or rolling back', 120_000, async () => {
      const state = await dockerOk(['service', 'inspect', swarmName(model, model.minio.proxy.name), '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'], { timeoutMs: 15_000 });
      return ['updating', 'rollback_started'].includes(state.trim()) ? undefined : true;
    }, 1_000).catch(() => undefined);
    await restoreByDeploy(model);
  }
  await scratch?.remove();
});

describe('drill: an image that does not exist', () => {
  it('fails deploy within its timeout, with the task error in the report', async () => {
    touched = true;
    const deployed = await deployFromRepository(model, scratch.root);
    log(`missing image: deploy failed in ${(deployed.elapsedMs / 1000).toFixed(1)} s (timeout ${TIMEOUT_SECONDS} s): ${deployed.stderr.trim().split('\n').at(-1)}`);
    expect(deployed.code).toBe(1);
    expect(deployed.timedOut).toBe(false);
    // Its own timeout plus what comes before convergence (preflight, host jobs, the stack deploy): well under.
    expect(deployed.elapsedMs).toBeLessThan((TIMEOUT_SECONDS + 30) * 1000);
    const errors = deployed.stderr.split('\n').filter((line) => line.startsWith('error: '));
    for (const line of errors) log(`  ${line}`);
    expect(errors[0]).toMatch(/^error: milvus did not converge: (milvus_minio-proxy: update rollback_\w+|not converged after \d+ s: .*milvus_minio-proxy)/);
    expect(errors[0]).toContain('`docker service logs --tail 50 milvus_minio-proxy` shows why; fix the topology or the image and deploy again');
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^error: milvus_minio-proxy task [0-9a-z]{12} on \\S+: No such image: ${MISSING.replace(/[.:]/g, '\\$&')}`)));
    expect(deployed.stderr.trim().split('\n').at(-1)).toMatch(/^deploy local: failed in converge \(\d+ problems\)$/);
    // The report still tables every service, the proxy among them.
    expect(deployed.stdout).toMatch(/^milvus_minio-proxy\s+nginx:\S+\s+\d\/1\s+managers\s+/m);
  });
});
