// After convergence (and the dnsrr proxy refresh): wait until MinIO serves through its load balancer
// (deploy/minioServing.ts says why convergence is not enough), then go on to verify's user.
import { waitUntilMinioServes } from '../operations/minioReadiness.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { endpointsFromModel } from '../../cluster/endpoints.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

/** MinIO's start-up after its task runs: peers resolved and met, then the console (seconds, not minutes). */
export const SERVING_TIMEOUT_MS = 120_000;

export const minioServing: Phase = {
  name: 'minio serving',
  stage: 'converge',
  async run(context) {
    const { model } = context;
    // Host-mode ports answer only where a proxy task runs: the same lookup verify makes.
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], 5_000);
    const served = await waitUntilMinioServes(located.endpoints, context.options.servingTimeoutMs ?? SERVING_TIMEOUT_MS);
    if (!served.ok) {
      return stopped(
        [
          `MinIO does not serve through ${model.minio.proxy.name} ${Math.round(served.ms / 1000)} s after the stack converged: ${served.last.s3}; ${served.last.console} — read \`docker service logs ${model.stack}_${model.minio.pools[0]?.nodes[0]?.name ?? 'minio1'}\` (peers it cannot reach, drives it cannot use)`,
        ],
        { notes: located.notes, stopped: { state: 'the stack converged; MinIO did not serve through its load balancer', resume: resumeDeploy(context.environment) } },
      );
    }
    return passed({ notes: [...located.notes, `MinIO serves through ${model.minio.proxy.name} (S3 with write quorum, console) ${(served.ms / 1000).toFixed(1)} s after convergence`] });
  },
};
