// After convergence, with a backup: section: Milvus's bucket versioned, with the lifecycle rule that keeps
// overwritten and deleted objects backup.windowDays days (backup/s3.ts ensureRecoveryWindow) — what lets a recovery
// point bring the bucket back. Signed as root (bucket settings); without root's pair the bucket is left as it is and
// the deploy says so, like the verify-user phase.
import { minioClient } from '../../backup/sites.ts';
import { ensureRecoveryWindow, readRecoveryWindow } from '../../backup/s3.ts';
import { PASSWORD_VARIABLE, redact, USER_VARIABLE } from '../../cluster/credentials.ts';
import { endpointsFromModel, formatHostPort } from '../../cluster/endpoints.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

const LOCATE_MS = 5_000;

export const recoveryWindow: Phase = {
  name: 'recovery window',
  stage: 'converge',
  async run(context) {
    const backup = context.topology.backup;
    if (!backup) return passed();
    const { model } = context;
    const bucket = model.milvus.bucketName;
    const root = context.options.minio?.root;
    if (!root) {
      return passed({ notes: [`${bucket}: versioning and the ${backup.windowDays}-day recovery window left as they are: ${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (deploy.yml sets them; --credentials FILE by hand)`] });
    }
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS);
    const client = minioClient(located.endpoints.s3, root);
    try {
      // The buckets phase (phases/buckets.ts) made missing buckets already, with the same root pair; kept for a deploy that
      // runs this phase alone (a phase list without it).
      if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
      const before = await readRecoveryWindow(client, bucket);
      if (before.versioning === 'Enabled' && before.windowDays === backup.windowDays) return passed({ notes: [...located.notes, `${bucket}: versioned, recovery window ${backup.windowDays} days, as the topology says`] });
      await ensureRecoveryWindow(client, bucket, backup.windowDays);
      const was = `${before.versioning === 'Enabled' ? 'versioned' : `versioning ${before.versioning}`}, ${before.windowDays === undefined ? 'no recovery window' : `window ${before.windowDays} days`}`;
      return passed({ notes: [...located.notes, `${bucket}: versioned, recovery window ${backup.windowDays} days (was: ${was})`] });
    } catch (error) {
      return stopped([redact(`${bucket}'s recovery window (through ${formatHostPort(located.endpoints.s3)}): ${error instanceof Error ? error.message : String(error)}`, [root.secretKey])], {
        notes: located.notes,
        stopped: { state: `the stack converged; ${bucket} is not yet versioned with the topology's ${backup.windowDays}-day window, so no recovery point can bring it back`, resume: resumeDeploy(context.environment) },
      });
    }
  },
};
