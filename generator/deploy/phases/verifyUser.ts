// After convergence: verify's own MinIO user made what the topology says (deploy/verifyUser.ts), signed as root —
// the one step of deploy that needs MinIO's root credentials. deploy.yml gives both pairs; a hand-run deploy
// without them leaves the user alone and says so, since the cluster itself is deployed either way.
import { ensureVerifyUser, minioAdminFor } from '../operations/verifyUserAccount.ts';
import { isStillInitializing, whileMinioInitializes } from '../../minio/initializing.ts';
import { PASSWORD_VARIABLE, USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, redact } from '../../cluster/credentials.ts';
import { endpointsFromModel, formatHostPort } from '../../cluster/endpoints.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

const LOCATE_MS = 5_000;

export const verifyUser: Phase = {
  name: 'verify user',
  stage: 'converge',
  async run(context) {
    const { model } = context;
    const { root, verify } = context.options.minio ?? {};
    const state = `the stack converged; verify's MinIO user was not made what the topology says`;
    if (!root && !verify) {
      return passed({ notes: [`verify's MinIO user left as it is: ${USER_VARIABLE}/${PASSWORD_VARIABLE} and ${VERIFY_USER_VARIABLE}/${VERIFY_PASSWORD_VARIABLE} are not set (deploy.yml sets them; --credentials FILE by hand)`] });
    }
    if (!root || !verify) {
      const missing = root ? `${VERIFY_USER_VARIABLE}/${VERIFY_PASSWORD_VARIABLE}` : `${USER_VARIABLE}/${PASSWORD_VARIABLE}`;
      return stopped([`verify's MinIO user: ${missing} not set; deploy makes the user with root's pair and verify's pair together: set both (the swarm secrets' values)`], {
        stopped: { state, resume: resumeDeploy(context.environment) },
      });
    }
    // Host-mode ports answer only where a proxy task runs: the same lookup verify makes.
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS);
    const admin = minioAdminFor(model, located.endpoints.s3, root);
    // Every attempt's changes: an attempt that met a node still initializing may have done part of the work.
    const changes: string[] = [];
    const { outcome: result, waitedMs } = await whileMinioInitializes(
      async () => {
        const attempt = await ensureVerifyUser(admin, model, verify);
        changes.push(...attempt.changes);
        return attempt;
      },
      (attempt) => !attempt.ok && isStillInitializing(attempt.problem),
    );
    const secrets = [root.secretKey, verify.secretKey];
    const waited = waitedMs > 0 ? [`verify's MinIO user: waited ${(waitedMs / 1000).toFixed(1)} s for MinIO to finish initializing (it answered "Server not initialized")`] : [];
    const notes = [...located.notes, ...waited, ...changes.map((change) => `verify's MinIO user: ${change}`)];
    if (!result.ok) {
      return stopped([redact(`verify's MinIO user (through ${formatHostPort(located.endpoints.s3)}): ${result.problem}`, secrets)], {
        notes,
        stopped: { state, resume: resumeDeploy(context.environment) },
      });
    }
    return passed({ notes: notes.length > 0 ? notes : [`verify's MinIO user: as the topology says`] });
  },
};
